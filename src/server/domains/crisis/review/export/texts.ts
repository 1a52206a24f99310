import type { CrisisEventType } from "../../../../../contracts/crisis-timeline";
import type { REVIEW_SECTIONS } from "../../../../../contracts/crisis-review";

export const EXPORT_LOCALES = ["en", "de", "it", "nl", "fa"] as const;
export type ExportLocale = (typeof EXPORT_LOCALES)[number];

/** The words of the exported review (Markdown and PDF), in each language of the web app. */
export type ExportTexts = {
  title: string;
  drill: string;
  severity: string;
  plan: string;
  status: Record<"draft" | "published" | "skipped", string>;
  owner: string;
  generated: string;
  blameless: string;
  figuresHeading: string;
  figures: {
    timeToDetect: string;
    timeToDeclare: string;
    timeToPause: string;
    timeToFirstPublicResponse: string;
    duration: string;
    triage: string;
    active: string;
    stable: string;
    internalCadence: string;
    publicCadence: string;
    tasks: string;
  };
  minutes(n: string): string;
  notMeasured: string;
  /** Numbers come written as the reader writes them (Persian digits in Persian). */
  cadence(p: { onTime: string; gaps: string; interval: string }): string;
  kept: string;
  notKept: string;
  tasksDone(p: { done: string; total: string; late: string }): string;
  statementsHeading: string;
  statementColumns: { kind: string; language: string; approval: string; note: string };
  statementKinds: Record<"holding" | "update" | "resolution" | "thread" | "reply", string>;
  escalatedBackup: string;
  escalated: string;
  heldHeading: string;
  held: Record<"total" | "resume" | "reschedule" | "edit" | "discard" | "pending", string>;
  volumeHeading: string;
  volume: { before: string; peak: string; after: string; perHour: string; negative: string; none: string };
  timelineHeading: string;
  sections: Record<(typeof REVIEW_SECTIONS)[number], string>;
  empty: string;
  actionItemsHeading: string;
  noOwner: string;
  due: string;
  updatesPlan: string;
  itemStatus: Record<"open" | "done" | "skipped", string>;
  events: Record<CrisisEventType, string>;
  /** Parapet's own jobs on the timeline (see timelineActorKind), as the crisis room names them. */
  actors: { automatic: string; drillScript: string };
  /** The lifecycle's note on the crisis another was merged into (its stored text is English). */
  mergedFrom(ref: string): string;
};

const TEXTS: Record<ExportLocale, ExportTexts> = {
  en: {
    title: "Post-crisis review",
    drill: "Drill",
    severity: "Severity",
    plan: "Plan",
    status: { draft: "Draft", published: "Published", skipped: "Skipped" },
    owner: "Owner",
    generated: "Figures computed",
    blameless: "This review is blameless: it looks at systems and process, not at people.",
    figuresHeading: "Figures",
    figures: {
      timeToDetect: "Time to detect (first signal → alert)",
      timeToDeclare: "Time to declare (alert → declared)",
      timeToPause: "Time to pause publishing",
      timeToFirstPublicResponse: "Time to first public response",
      duration: "Duration",
      triage: "Time in triage",
      active: "Time active",
      stable: "Time stable",
      internalCadence: "Internal update cadence",
      publicCadence: "Public update cadence",
      tasks: "Tasks",
    },
    minutes: (n) => `${n} min`,
    notMeasured: "—",
    cadence: ({ onTime, gaps, interval }) => `${onTime} of ${gaps} intervals within ${interval} min`,
    kept: "kept",
    notKept: "not kept",
    tasksDone: ({ done, total, late }) => `${done} of ${total} done (${late} after their due time)`,
    statementsHeading: "Statements",
    statementColumns: { kind: "Kind", language: "Language", approval: "Approval time", note: "Note" },
    statementKinds: { holding: "Holding statement", update: "Update", resolution: "Resolution", thread: "Thread for affected customers", reply: "Saved reply (move to private)" },
    escalatedBackup: "deadline passed; approved by the backup",
    escalated: "deadline passed",
    heldHeading: "Posts held",
    held: { total: "Held", resume: "Resumed", reschedule: "Rescheduled", edit: "Edited", discard: "Discarded", pending: "Undecided" },
    volumeHeading: "Mentions and sentiment",
    volume: { before: "Before (7 days)", peak: "Peak hour", after: "After", perHour: "mentions per hour", negative: "negative", none: "No listening streams were linked to this crisis." },
    timelineHeading: "Timeline (key moments)",
    sections: {
      summary: "Summary",
      whatHappened: "What happened",
      contributingFactors: "Contributing factors",
      resolution: "Resolution",
      impact: "Impact",
      wentWell: "What went well",
      toChange: "What to change",
      gotLucky: "Where we got lucky",
      followUp: "Internal note and external follow-up",
    },
    empty: "(not written yet)",
    actionItemsHeading: "Action items",
    noOwner: "no owner",
    due: "due",
    updatesPlan: "updates the plan",
    itemStatus: { open: "open", done: "done", skipped: "skipped" },
    events: {
      declared: "Declared", status_changed: "Status changed", severity_changed: "Severity changed", role_changed: "Role changed", alert_linked: "Alert linked",
      crisis_mode_on: "Crisis mode on", crisis_mode_off: "Crisis mode off", posts_held: "Posts held", held_post_decided: "Held post decided", post_held_lockdown: "Post held by the lock down", security_action: "Security action",
      stakeholders_notified: "Stakeholders notified", task_created: "Task created", task_done: "Task done", status_update: "Status update", statement_submitted: "Statement submitted",
      statement_escalated: "Statement escalated to the backup", statement_approved: "Statement approved", statement_rejected: "Statement rejected", statement_published: "Statement published",
      reply_sent: "Reply sent", volume_changed: "Volume changed", inject: "Drill inject", note: "Note", reminder_sent: "Reminder sent",
    },
    actors: { automatic: "Parapet (automatic)", drillScript: "Drill script" },
    mergedFrom: (ref) => `${ref} was merged into this crisis`,
  },
  de: {
    title: "Krisennachbereitung",
    drill: "Übung",
    severity: "Schweregrad",
    plan: "Plan",
    status: { draft: "Entwurf", published: "Veröffentlicht", skipped: "Übersprungen" },
    owner: "Verantwortlich",
    generated: "Kennzahlen berechnet",
    blameless: "Diese Nachbereitung sucht keine Schuldigen: Sie betrachtet Systeme und Abläufe, nicht Personen.",
    figuresHeading: "Kennzahlen",
    figures: {
      timeToDetect: "Zeit bis zur Erkennung (erstes Signal → Alarm)",
      timeToDeclare: "Zeit bis zur Ausrufung (Alarm → ausgerufen)",
      timeToPause: "Zeit bis zum Pausieren der Veröffentlichung",
      timeToFirstPublicResponse: "Zeit bis zur ersten öffentlichen Antwort",
      duration: "Dauer",
      triage: "Zeit in Triage",
      active: "Zeit aktiv",
      stable: "Zeit stabil",
      internalCadence: "Takt interner Updates",
      publicCadence: "Takt öffentlicher Updates",
      tasks: "Aufgaben",
    },
    minutes: (n) => `${n} Min.`,
    notMeasured: "—",
    cadence: ({ onTime, gaps, interval }) => `${onTime} von ${gaps} Intervallen innerhalb von ${interval} Min.`,
    kept: "eingehalten",
    notKept: "nicht eingehalten",
    tasksDone: ({ done, total, late }) => `${done} von ${total} erledigt (${late} nach Fälligkeit)`,
    statementsHeading: "Stellungnahmen",
    statementColumns: { kind: "Art", language: "Sprache", approval: "Freigabezeit", note: "Hinweis" },
    statementKinds: { holding: "Erste Stellungnahme", update: "Aktualisierung", resolution: "Abschluss", thread: "Thread für Betroffene", reply: "Gespeicherte Antwort (ins Private verlagern)" },
    escalatedBackup: "Frist verstrichen; von der Vertretung freigegeben",
    escalated: "Frist verstrichen",
    heldHeading: "Zurückgehaltene Beiträge",
    held: { total: "Zurückgehalten", resume: "Fortgesetzt", reschedule: "Neu geplant", edit: "Bearbeitet", discard: "Verworfen", pending: "Unentschieden" },
    volumeHeading: "Erwähnungen und Stimmung",
    volume: { before: "Vorher (7 Tage)", peak: "Spitzenstunde", after: "Nachher", perHour: "Erwähnungen pro Stunde", negative: "negativ", none: "Mit dieser Krise waren keine Listening-Streams verknüpft." },
    timelineHeading: "Zeitleiste (Schlüsselmomente)",
    sections: {
      summary: "Zusammenfassung",
      whatHappened: "Was geschah",
      contributingFactors: "Begünstigende Faktoren",
      resolution: "Lösung",
      impact: "Auswirkung",
      wentWell: "Was gut lief",
      toChange: "Was wir ändern",
      gotLucky: "Wo wir Glück hatten",
      followUp: "Interne Notiz und externe Nachricht",
    },
    empty: "(noch nicht geschrieben)",
    actionItemsHeading: "Maßnahmen",
    noOwner: "ohne Verantwortliche",
    due: "fällig",
    updatesPlan: "ändert den Plan",
    itemStatus: { open: "offen", done: "erledigt", skipped: "übersprungen" },
    events: {
      declared: "Ausgerufen", status_changed: "Status geändert", severity_changed: "Schweregrad geändert", role_changed: "Rolle geändert", alert_linked: "Alarm verknüpft",
      crisis_mode_on: "Krisenmodus an", crisis_mode_off: "Krisenmodus aus", posts_held: "Beiträge zurückgehalten", held_post_decided: "Über zurückgehaltenen Beitrag entschieden", post_held_lockdown: "Beitrag durch die Sperre zurückgehalten", security_action: "Sicherheitsmaßnahme",
      stakeholders_notified: "Beteiligte benachrichtigt", task_created: "Aufgabe erstellt", task_done: "Aufgabe erledigt", status_update: "Statusupdate", statement_submitted: "Stellungnahme eingereicht",
      statement_escalated: "Stellungnahme an Vertretung eskaliert", statement_approved: "Stellungnahme freigegeben", statement_rejected: "Stellungnahme abgelehnt", statement_published: "Stellungnahme veröffentlicht",
      reply_sent: "Antwort gesendet", volume_changed: "Volumen verändert", inject: "Übungseinspielung", note: "Notiz", reminder_sent: "Erinnerung gesendet",
    },
    actors: { automatic: "Parapet (automatisch)", drillScript: "Übungsdrehbuch" },
    mergedFrom: (ref) => `${ref} wurde mit dieser Krise zusammengeführt`,
  },
  it: {
    title: "Revisione post-crisi",
    drill: "Esercitazione",
    severity: "Gravità",
    plan: "Piano",
    status: { draft: "Bozza", published: "Pubblicata", skipped: "Saltata" },
    owner: "Responsabile",
    generated: "Dati calcolati",
    blameless: "Questa revisione non cerca colpevoli: guarda a sistemi e processi, non alle persone.",
    figuresHeading: "Dati",
    figures: {
      timeToDetect: "Tempo di rilevamento (primo segnale → avviso)",
      timeToDeclare: "Tempo di dichiarazione (avviso → dichiarata)",
      timeToPause: "Tempo per sospendere la pubblicazione",
      timeToFirstPublicResponse: "Tempo alla prima risposta pubblica",
      duration: "Durata",
      triage: "Tempo in triage",
      active: "Tempo attiva",
      stable: "Tempo stabile",
      internalCadence: "Cadenza degli aggiornamenti interni",
      publicCadence: "Cadenza degli aggiornamenti pubblici",
      tasks: "Attività",
    },
    minutes: (n) => `${n} min`,
    notMeasured: "—",
    cadence: ({ onTime, gaps, interval }) => `${onTime} intervalli su ${gaps} entro ${interval} min`,
    kept: "rispettata",
    notKept: "non rispettata",
    tasksDone: ({ done, total, late }) => `${done} di ${total} completate (${late} in ritardo)`,
    statementsHeading: "Dichiarazioni",
    statementColumns: { kind: "Tipo", language: "Lingua", approval: "Tempo di approvazione", note: "Nota" },
    statementKinds: { holding: "Dichiarazione di attesa", update: "Aggiornamento", resolution: "Risoluzione", thread: "Thread per i clienti coinvolti", reply: "Risposta salvata (passa in privato)" },
    escalatedBackup: "scadenza superata; approvata dal sostituto",
    escalated: "scadenza superata",
    heldHeading: "Post trattenuti",
    held: { total: "Trattenuti", resume: "Ripresi", reschedule: "Riprogrammati", edit: "Modificati", discard: "Scartati", pending: "Da decidere" },
    volumeHeading: "Menzioni e sentiment",
    volume: { before: "Prima (7 giorni)", peak: "Ora di picco", after: "Dopo", perHour: "menzioni all'ora", negative: "negative", none: "Nessun flusso di ascolto era collegato a questa crisi." },
    timelineHeading: "Cronologia (momenti chiave)",
    sections: {
      summary: "Sintesi",
      whatHappened: "Cosa è successo",
      contributingFactors: "Fattori che hanno contribuito",
      resolution: "Risoluzione",
      impact: "Impatto",
      wentWell: "Cosa è andato bene",
      toChange: "Cosa cambiare",
      gotLucky: "Dove siamo stati fortunati",
      followUp: "Nota interna e messaggio esterno di seguito",
    },
    empty: "(non ancora scritto)",
    actionItemsHeading: "Azioni",
    noOwner: "senza responsabile",
    due: "entro",
    updatesPlan: "aggiorna il piano",
    itemStatus: { open: "aperta", done: "completata", skipped: "saltata" },
    events: {
      declared: "Dichiarata", status_changed: "Stato cambiato", severity_changed: "Gravità cambiata", role_changed: "Ruolo cambiato", alert_linked: "Avviso collegato",
      crisis_mode_on: "Modalità crisi attiva", crisis_mode_off: "Modalità crisi disattivata", posts_held: "Post trattenuti", held_post_decided: "Decisione su un post trattenuto", post_held_lockdown: "Post trattenuto dal blocco", security_action: "Azione di sicurezza",
      stakeholders_notified: "Stakeholder avvisati", task_created: "Attività creata", task_done: "Attività completata", status_update: "Aggiornamento di stato", statement_submitted: "Dichiarazione inviata",
      statement_escalated: "Dichiarazione passata al sostituto", statement_approved: "Dichiarazione approvata", statement_rejected: "Dichiarazione respinta", statement_published: "Dichiarazione pubblicata",
      reply_sent: "Risposta inviata", volume_changed: "Volume cambiato", inject: "Evento dell'esercitazione", note: "Nota", reminder_sent: "Promemoria inviato",
    },
    actors: { automatic: "Parapet (automatico)", drillScript: "Copione dell’esercitazione" },
    mergedFrom: (ref) => `${ref} è stata unita a questa crisi`,
  },
  nl: {
    title: "Crisisevaluatie",
    drill: "Oefening",
    severity: "Ernst",
    plan: "Plan",
    status: { draft: "Concept", published: "Gepubliceerd", skipped: "Overgeslagen" },
    owner: "Eigenaar",
    generated: "Cijfers berekend",
    blameless: "Deze evaluatie zoekt geen schuldigen: ze kijkt naar systemen en werkwijzen, niet naar mensen.",
    figuresHeading: "Cijfers",
    figures: {
      timeToDetect: "Tijd tot detectie (eerste signaal → melding)",
      timeToDeclare: "Tijd tot afkondiging (melding → afgekondigd)",
      timeToPause: "Tijd tot pauzeren van publicaties",
      timeToFirstPublicResponse: "Tijd tot eerste publieke reactie",
      duration: "Duur",
      triage: "Tijd in triage",
      active: "Tijd actief",
      stable: "Tijd stabiel",
      internalCadence: "Ritme interne updates",
      publicCadence: "Ritme publieke updates",
      tasks: "Taken",
    },
    minutes: (n) => `${n} min`,
    notMeasured: "—",
    cadence: ({ onTime, gaps, interval }) => `${onTime} van ${gaps} intervallen binnen ${interval} min`,
    kept: "gehaald",
    notKept: "niet gehaald",
    tasksDone: ({ done, total, late }) => `${done} van ${total} gedaan (${late} na de deadline)`,
    statementsHeading: "Verklaringen",
    statementColumns: { kind: "Soort", language: "Taal", approval: "Goedkeuringstijd", note: "Opmerking" },
    statementKinds: { holding: "Eerste verklaring", update: "Update", resolution: "Afsluiting", thread: "Draad voor getroffen klanten", reply: "Opgeslagen antwoord (naar privé)" },
    escalatedBackup: "deadline verstreken; goedgekeurd door de vervanger",
    escalated: "deadline verstreken",
    heldHeading: "Tegengehouden berichten",
    held: { total: "Tegengehouden", resume: "Hervat", reschedule: "Opnieuw ingepland", edit: "Bewerkt", discard: "Verworpen", pending: "Onbeslist" },
    volumeHeading: "Vermeldingen en sentiment",
    volume: { before: "Ervoor (7 dagen)", peak: "Piekuur", after: "Erna", perHour: "vermeldingen per uur", negative: "negatief", none: "Er waren geen luisterstreams aan deze crisis gekoppeld." },
    timelineHeading: "Tijdlijn (kernmomenten)",
    sections: {
      summary: "Samenvatting",
      whatHappened: "Wat er gebeurde",
      contributingFactors: "Bijdragende factoren",
      resolution: "Oplossing",
      impact: "Impact",
      wentWell: "Wat goed ging",
      toChange: "Wat we veranderen",
      gotLucky: "Waar we geluk hadden",
      followUp: "Interne notitie en externe opvolging",
    },
    empty: "(nog niet geschreven)",
    actionItemsHeading: "Actiepunten",
    noOwner: "geen eigenaar",
    due: "uiterlijk",
    updatesPlan: "past het plan aan",
    itemStatus: { open: "open", done: "gedaan", skipped: "overgeslagen" },
    events: {
      declared: "Afgekondigd", status_changed: "Status gewijzigd", severity_changed: "Ernst gewijzigd", role_changed: "Rol gewijzigd", alert_linked: "Melding gekoppeld",
      crisis_mode_on: "Crisismodus aan", crisis_mode_off: "Crisismodus uit", posts_held: "Berichten tegengehouden", held_post_decided: "Besluit over tegengehouden bericht", post_held_lockdown: "Bericht vastgehouden door de vergrendeling", security_action: "Beveiligingsactie",
      stakeholders_notified: "Belanghebbenden ingelicht", task_created: "Taak aangemaakt", task_done: "Taak gedaan", status_update: "Statusupdate", statement_submitted: "Verklaring ingediend",
      statement_escalated: "Verklaring naar de vervanger", statement_approved: "Verklaring goedgekeurd", statement_rejected: "Verklaring afgewezen", statement_published: "Verklaring gepubliceerd",
      reply_sent: "Antwoord verzonden", volume_changed: "Volume veranderd", inject: "Oefeningsinbreng", note: "Notitie", reminder_sent: "Herinnering verstuurd",
    },
    actors: { automatic: "Parapet (automatisch)", drillScript: "Oefenscript" },
    mergedFrom: (ref) => `${ref} is samengevoegd met deze crisis`,
  },
  fa: {
    title: "بازبینی پس از بحران",
    drill: "تمرین",
    severity: "شدت",
    plan: "برنامه",
    status: { draft: "پیش‌نویس", published: "منتشرشده", skipped: "کنارگذاشته" },
    owner: "مسئول",
    generated: "ارقام محاسبه‌شده در",
    blameless: "این بازبینی دنبال مقصر نیست: به سامانه‌ها و روندها می‌نگرد، نه به افراد.",
    figuresHeading: "ارقام",
    figures: {
      timeToDetect: "زمان تا شناسایی (نخستین نشانه ← هشدار)",
      timeToDeclare: "زمان تا اعلام (هشدار ← اعلام)",
      timeToPause: "زمان تا توقف انتشار",
      timeToFirstPublicResponse: "زمان تا نخستین پاسخ عمومی",
      duration: "مدت",
      triage: "زمان در ارزیابی اولیه",
      active: "زمان فعال",
      stable: "زمان پایدار",
      internalCadence: "آهنگ به‌روزرسانی‌های داخلی",
      publicCadence: "آهنگ به‌روزرسانی‌های عمومی",
      tasks: "کارها",
    },
    minutes: (n) => `${n} دقیقه`,
    notMeasured: "—",
    cadence: ({ onTime, gaps, interval }) => `${onTime} از ${gaps} بازه در کمتر از ${interval} دقیقه`,
    kept: "رعایت شد",
    notKept: "رعایت نشد",
    tasksDone: ({ done, total, late }) => `${done} از ${total} انجام شد (${late} پس از موعد)`,
    statementsHeading: "بیانیه‌ها",
    statementColumns: { kind: "نوع", language: "زبان", approval: "زمان تأیید", note: "یادداشت" },
    statementKinds: { holding: "بیانیهٔ اولیه", update: "به‌روزرسانی", resolution: "اعلام حل مشکل", thread: "رشته برای مشتریان آسیب‌دیده", reply: "پاسخ ذخیره‌شده (انتقال به پیام خصوصی)" },
    escalatedBackup: "مهلت گذشت؛ جانشین تأیید کرد",
    escalated: "مهلت گذشت",
    heldHeading: "پست‌های نگه‌داشته",
    held: { total: "نگه‌داشته", resume: "ازسرگرفته", reschedule: "زمان‌بندی دوباره", edit: "ویرایش‌شده", discard: "کنارگذاشته", pending: "بی‌تصمیم" },
    volumeHeading: "اشاره‌ها و احساس",
    volume: { before: "پیش از بحران (۷ روز)", peak: "ساعت اوج", after: "پس از بحران", perHour: "اشاره در ساعت", negative: "منفی", none: "هیچ جریان پایشی به این بحران پیوند نداشت." },
    timelineHeading: "خط زمانی (لحظه‌های کلیدی)",
    sections: {
      summary: "خلاصه",
      whatHappened: "چه رخ داد",
      contributingFactors: "عوامل مؤثر",
      resolution: "راه‌حل",
      impact: "اثر",
      wentWell: "چه چیزی خوب پیش رفت",
      toChange: "چه چیزی را تغییر دهیم",
      gotLucky: "کجا بخت با ما یار بود",
      followUp: "یادداشت داخلی و پیام پیگیری بیرونی",
    },
    empty: "(هنوز نوشته نشده)",
    actionItemsHeading: "اقدام‌ها",
    noOwner: "بدون مسئول",
    due: "موعد",
    updatesPlan: "برنامه را به‌روز می‌کند",
    itemStatus: { open: "باز", done: "انجام‌شده", skipped: "کنارگذاشته" },
    events: {
      declared: "اعلام شد", status_changed: "وضعیت تغییر کرد", severity_changed: "شدت تغییر کرد", role_changed: "نقش تغییر کرد", alert_linked: "هشدار پیوند شد",
      crisis_mode_on: "حالت بحران روشن شد", crisis_mode_off: "حالت بحران خاموش شد", posts_held: "پست‌ها نگه داشته شدند", held_post_decided: "درباره پست نگه‌داشته تصمیم گرفته شد", post_held_lockdown: "پست با قفل نگه داشته شد", security_action: "اقدام امنیتی",
      stakeholders_notified: "ذی‌نفعان آگاه شدند", task_created: "کار ساخته شد", task_done: "کار انجام شد", status_update: "گزارش وضعیت", statement_submitted: "بیانیه فرستاده شد",
      statement_escalated: "بیانیه به جانشین رفت", statement_approved: "بیانیه تأیید شد", statement_rejected: "بیانیه رد شد", statement_published: "بیانیه منتشر شد",
      reply_sent: "پاسخ فرستاده شد", volume_changed: "حجم تغییر کرد", inject: "رویداد تمرین", note: "یادداشت", reminder_sent: "یادآوری فرستاده شد",
    },
    actors: { automatic: "Parapet (خودکار)", drillScript: "سناریوی تمرین" },
    mergedFrom: (ref) => `${ref} در این بحران ادغام شد`,
  },
};

export function exportTexts(locale: string): ExportTexts {
  return TEXTS[(EXPORT_LOCALES as readonly string[]).includes(locale) ? (locale as ExportLocale) : "en"];
}

/** Intl locale for numbers and dates (Persian with Persian digits). */
export const intlLocale = (locale: ExportLocale) => ({ en: "en-GB", de: "de-DE", it: "it-IT", nl: "nl-NL", fa: "fa-IR" })[locale];
