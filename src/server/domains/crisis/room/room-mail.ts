/**
 * The crisis room's mail, in each language of the web app (plain text, the link on a line of its own): a statement
 * waiting for approval (and the backup's copy when the deadline passed), an overdue task, an internal update due.
 */
type RoomMail = {
  approval(p: { name: string; crisis: string; author: string; deadline: string; escalated: boolean; link: string }): { subject: string; text: string };
  taskOverdue(p: { name: string; crisis: string; task: string; link: string }): { subject: string; text: string };
  updateDue(p: { name: string; crisis: string; link: string }): { subject: string; text: string };
};

const MAIL: Record<string, RoomMail> = {
  en: {
    approval: ({ name, crisis, author, deadline, escalated, link }) => ({
      subject: escalated ? `Backup approval needed: a statement for ${crisis}` : `A statement for ${crisis} waits for your approval`,
      text: `Hello ${name},\n\n${escalated ? `the approver did not decide a statement by ${author} for ${crisis} in time, so it comes to you as the backup.` : `${author} asks you to approve a public statement for ${crisis} by ${deadline}. If you do not decide by then, it goes to your backup.`}\n\nRead it and approve or reject it in the crisis room:\n\n${link}\n`,
    }),
    taskOverdue: ({ name, crisis, task, link }) => ({
      subject: `Overdue in ${crisis}: ${task}`,
      text: `Hello ${name},\n\nthe task “${task}” in ${crisis} is yours and its due time has passed. Mark it done, skip it, or move its due time in the crisis room:\n\n${link}\n`,
    }),
    updateDue: ({ name, crisis, link }) => ({
      subject: `Internal status update due for ${crisis}`,
      text: `Hello ${name},\n\nthe next internal status update for ${crisis} is due. Post it (tactical or executive) in the crisis room:\n\n${link}\n`,
    }),
  },
  de: {
    approval: ({ name, crisis, author, deadline, escalated, link }) => ({
      subject: escalated ? `Freigabe als Vertretung nötig: eine Stellungnahme zu ${crisis}` : `Eine Stellungnahme zu ${crisis} wartet auf Ihre Freigabe`,
      text: `Hallo ${name},\n\n${escalated ? `die freigebende Person hat über eine Stellungnahme von ${author} zu ${crisis} nicht rechtzeitig entschieden; sie geht deshalb an Sie als Vertretung.` : `${author} bittet Sie, eine öffentliche Stellungnahme zu ${crisis} bis ${deadline} freizugeben. Entscheiden Sie bis dahin nicht, geht sie an Ihre Vertretung.`}\n\nLesen Sie sie und geben Sie sie im Krisenraum frei oder lehnen Sie sie ab:\n\n${link}\n`,
    }),
    taskOverdue: ({ name, crisis, task, link }) => ({
      subject: `Überfällig in ${crisis}: ${task}`,
      text: `Hallo ${name},\n\ndie Aufgabe „${task}“ in ${crisis} ist Ihnen zugewiesen und ihre Frist ist verstrichen. Erledigen Sie sie, überspringen Sie sie oder verschieben Sie die Frist im Krisenraum:\n\n${link}\n`,
    }),
    updateDue: ({ name, crisis, link }) => ({
      subject: `Interner Lagebericht für ${crisis} fällig`,
      text: `Hallo ${name},\n\nder nächste interne Lagebericht für ${crisis} ist fällig. Schreiben Sie ihn (taktisch oder für die Leitung) im Krisenraum:\n\n${link}\n`,
    }),
  },
  it: {
    approval: ({ name, crisis, author, deadline, escalated, link }) => ({
      subject: escalated ? `Serve la tua approvazione come sostituto: una dichiarazione per ${crisis}` : `Una dichiarazione per ${crisis} attende la tua approvazione`,
      text: `Ciao ${name},\n\n${escalated ? `chi doveva approvare non ha deciso in tempo su una dichiarazione di ${author} per ${crisis}, quindi passa a te come sostituto.` : `${author} ti chiede di approvare una dichiarazione pubblica per ${crisis} entro ${deadline}. Se non decidi entro allora, passa al tuo sostituto.`}\n\nLeggila e approvala o respingila nella stanza di crisi:\n\n${link}\n`,
    }),
    taskOverdue: ({ name, crisis, task, link }) => ({
      subject: `In ritardo in ${crisis}: ${task}`,
      text: `Ciao ${name},\n\nil compito «${task}» in ${crisis} è tuo e la sua scadenza è passata. Segnalo come fatto, saltalo o sposta la scadenza nella stanza di crisi:\n\n${link}\n`,
    }),
    updateDue: ({ name, crisis, link }) => ({
      subject: `Aggiornamento interno dovuto per ${crisis}`,
      text: `Ciao ${name},\n\nil prossimo aggiornamento interno sullo stato di ${crisis} è dovuto. Pubblicalo (tattico o per la direzione) nella stanza di crisi:\n\n${link}\n`,
    }),
  },
  nl: {
    approval: ({ name, crisis, author, deadline, escalated, link }) => ({
      subject: escalated ? `Goedkeuring als vervanger nodig: een verklaring voor ${crisis}` : `Een verklaring voor ${crisis} wacht op je goedkeuring`,
      text: `Hallo ${name},\n\n${escalated ? `degene die moest goedkeuren heeft niet op tijd beslist over een verklaring van ${author} voor ${crisis}, dus komt die bij jou als vervanger.` : `${author} vraagt je een openbare verklaring voor ${crisis} goed te keuren vóór ${deadline}. Beslis je niet op tijd, dan gaat die naar je vervanger.`}\n\nLees hem en keur hem goed of af in de crisisruimte:\n\n${link}\n`,
    }),
    taskOverdue: ({ name, crisis, task, link }) => ({
      subject: `Te laat in ${crisis}: ${task}`,
      text: `Hallo ${name},\n\nde taak “${task}” in ${crisis} is van jou en de deadline is verstreken. Markeer hem als klaar, sla hem over of verplaats de deadline in de crisisruimte:\n\n${link}\n`,
    }),
    updateDue: ({ name, crisis, link }) => ({
      subject: `Interne statusupdate nodig voor ${crisis}`,
      text: `Hallo ${name},\n\nde volgende interne statusupdate voor ${crisis} is nodig. Plaats hem (tactisch of voor de directie) in de crisisruimte:\n\n${link}\n`,
    }),
  },
  fa: {
    approval: ({ name, crisis, author, deadline, escalated, link }) => ({
      subject: escalated ? `نیاز به تأیید شما به‌عنوان جانشین: بیانیه‌ای برای ${crisis}` : `بیانیه‌ای برای ${crisis} منتظر تأیید شماست`,
      text: `${name} عزیز،\n\n${escalated ? `تأییدکننده دربارهٔ بیانیهٔ ${author} برای ${crisis} به‌موقع تصمیم نگرفت، پس این بیانیه به شما که جانشین هستید رسیده است.` : `${author} از شما می‌خواهد بیانیهٔ عمومی‌ای برای ${crisis} را تا ${deadline} تأیید کنید. اگر تا آن زمان تصمیم نگیرید، به جانشین شما می‌رسد.`}\n\nآن را در اتاق بحران بخوانید و تأیید یا رد کنید:\n\n${link}\n`,
    }),
    taskOverdue: ({ name, crisis, task, link }) => ({
      subject: `عقب‌افتاده در ${crisis}: ${task}`,
      text: `${name} عزیز،\n\nکار «${task}» در ${crisis} با شماست و مهلتش گذشته است. در اتاق بحران آن را انجام‌شده یا ردشده علامت بزنید یا مهلتش را تغییر دهید:\n\n${link}\n`,
    }),
    updateDue: ({ name, crisis, link }) => ({
      subject: `زمان گزارش وضعیت داخلی برای ${crisis} رسیده است`,
      text: `${name} عزیز،\n\nزمان گزارش وضعیت داخلی بعدی برای ${crisis} رسیده است. آن را (عملیاتی یا مدیریتی) در اتاق بحران بنویسید:\n\n${link}\n`,
    }),
  },
};

export function roomMail(locale: string | null | undefined): RoomMail {
  return MAIL[locale ?? "en"] ?? MAIL.en;
}

export const crisisLabel = (crisis: { number: number; title: string }) => `CR-${crisis.number} “${crisis.title}”`;

/** A moment in the reader's language, in UTC (mail has no browser to tell the reader's zone). */
export const mailTime = (date: Date, locale: string) =>
  new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", day: "numeric", month: "short", timeZone: "UTC", timeZoneName: "short" }).format(date);
