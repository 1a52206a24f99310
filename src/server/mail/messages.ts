import type { Locale, Role } from "../../contracts/roles";
import { LOCALES } from "../../contracts/roles";

/**
 * The mail Parapet sends, in each language of the web app. Plain text (it reads well in every client and in the
 * outbox); links on a line of their own so no client wraps them.
 */
type Messages = {
  roles: Record<Role, string>;
  passwordReset(p: { name: string; link: string; minutes: number }): { subject: string; text: string };
  invitation(p: { inviter: string; workspace: string; role: string; link: string; days: number }): { subject: string; text: string };
  reconnectRequest(p: { sender: string; workspace: string; account: string; network: string; link: string; days: number }): { subject: string; text: string };
  channelNeedsReconnect(p: { name: string; workspace: string; account: string; network: string; reason: string; link: string }): { subject: string; text: string };
  postNotPublished(p: { name: string; workspace: string; account: string; network: string; held: boolean; reason: string; excerpt: string; link: string }): { subject: string; text: string };
  partnerAccessEnding(p: { name: string; partner: string; organization: string; workspace: string; endsAt: Date; locale: string; link: string }): { subject: string; text: string };
  accessReviewDue(p: { name: string; workspace: string; quarter: string; people: number; withoutMfa: number; unused: number; partnersEndingSoon: number; link: string }): { subject: string; text: string };
  approvalRequested(p: { name: string; workspace: string; author: string; excerpt: string; scheduledAt: Date | null; locale: string; reminder: boolean; link: string }): { subject: string; text: string };
  postApprovalExpired(p: { name: string; workspace: string; excerpt: string; scheduledAt: Date; locale: string; link: string }): { subject: string; text: string };
  externalApprovalRequested(p: { name: string; workspace: string; author: string; scheduledAt: Date | null; expiresAt: Date; locale: string; link: string }): { subject: string; text: string };
  postRejected(p: { name: string; workspace: string; approver: string; comment: string; excerpt: string; link: string }): { subject: string; text: string };
  commentMention(p: { name: string; workspace: string; author: string; comment: string; excerpt: string; link: string }): { subject: string; text: string };
};

/** A moment in the reader's language, with its time zone (UTC: mail has no browser to tell the reader's zone). */
const when = (date: Date, locale: string) =>
  new Intl.DateTimeFormat(locale, { weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: "UTC", timeZoneName: "short" }).format(date);

const MESSAGES: Record<Locale, Messages> = {
  en: {
    roles: { owner: "owner", admin: "admin", manager: "manager", member: "member" },
    passwordReset: ({ name, link, minutes }) => ({
      subject: "Reset your Parapet password",
      text: `Hello ${name},\n\nsomeone (hopefully you) asked to reset your Parapet password. Open this link within ${minutes} minutes to choose a new one:\n\n${link}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
    }),
    invitation: ({ inviter, workspace, role, link, days }) => ({
      subject: `You are invited to ${workspace} on Parapet`,
      text: `Hello,\n\n${inviter} invited you to join ${workspace} on Parapet as ${role}.\nOpen this link within ${days} days to accept:\n\n${link}\n\nThe link works once.\n`,
    }),
    reconnectRequest: ({ sender, workspace, account, network, link, days }) => ({
      subject: `Please reconnect ${account} (${network}) to Parapet`,
      text: `Hello,\n\n${sender} asks you to reconnect the account ${account} on ${network} for ${workspace}: Parapet can no longer act for it until someone who can sign in to it does so.\nOpen this link within ${days} days and sign in to ${network} as ${account}:\n\n${link}\n\nThe link works once and only for this account. You do not need a Parapet account, and Parapet never shows you or anyone its password.\n`,
    }),
    channelNeedsReconnect: ({ name, workspace, account, network, reason, link }) => ({
      subject: `${account} (${network}) needs reconnecting`,
      text: `Hello ${name},\n\nParapet can no longer act for ${account} on ${network} in ${workspace}. Nothing will be published, answered or read for it until it is reconnected.\nThe network said: ${reason}\n\nReconnect it, or send a reconnect link to the account's owner, on the Channels page:\n\n${link}\n`,
    }),
    postNotPublished: ({ name, workspace, account, network, held, reason, excerpt, link }) => ({
      subject: held ? `A post for ${account} (${network}) is held` : `A post for ${account} (${network}) was not published`,
      text: `Hello ${name},\n\n${held ? `a post for ${account} on ${network} in ${workspace} is held: the channel needs reconnecting. It goes out only when someone releases it.` : `a post for ${account} on ${network} in ${workspace} was not published, and will not be retried by itself.`}\nThe network said: ${reason}\n\n“${excerpt}”\n\nSee the post and its history:\n\n${link}\n`,
    }),
    partnerAccessEnding: ({ name, partner, organization, workspace, endsAt, locale, link }) => ({
      subject: `${partner} (${organization}) loses access to ${workspace} in a week`,
      text: `Hello ${name},\n\nthe partner access of ${partner} (${organization}) to ${workspace} ends on ${when(endsAt, locale)}. Then Parapet ends their sessions and API tokens and removes their channel access by itself.\nTo keep them longer, change the end date on the Members page:\n\n${link}\n`,
    }),
    accessReviewDue: ({ name, workspace, quarter, people, withoutMfa, unused, partnersEndingSoon, link }) => ({
      subject: `Time for the access review of ${workspace} (${quarter})`,
      text: `Hello ${name},\n\nthe access of ${workspace} has not been reviewed this quarter (${quarter}). Check who can do what on each channel, remove what is no longer needed, and sign the review off.\nNow: ${people} people, ${withoutMfa} without two-factor authentication, ${unused} whose access went unused for 90 days, ${partnersEndingSoon} partners whose access ends within 30 days.\n\nOpen the access review:\n\n${link}\n\nThis reminder is sent once a quarter, and not when the review has already been signed off.\n`,
    }),
    approvalRequested: ({ name, workspace, author, excerpt, scheduledAt, locale, reminder, link }) => ({
      subject: reminder ? `Reminder: a post by ${author} still waits for your approval` : `A post by ${author} waits for your approval`,
      text: `Hello ${name},\n\n${reminder ? "a reminder: " : ""}${author} wrote a post in ${workspace} that needs your approval before it goes out.\n${scheduledAt ? `It is to go out on ${when(scheduledAt, locale)}. If it is not approved by then, it is not published.` : "It goes out once it is approved and someone publishes it."}\n\n“${excerpt}”\n\nApprove or reject it (with a comment) here:\n\n${link}\n`,
    }),
    postApprovalExpired: ({ name, workspace, excerpt, scheduledAt, locale, link }) => ({
      subject: "Your post was not approved in time and was not published",
      text: `Hello ${name},\n\nyour post in ${workspace}, due on ${when(scheduledAt, locale)}, was still waiting for approval at that time, so it was not published. It is now marked as expired.\nTo publish it, choose a new time: it goes to the approvers again.\n\n“${excerpt}”\n\n${link}\n`,
    }),
    externalApprovalRequested: ({ name, workspace, author, scheduledAt, expiresAt, locale, link }) => ({
      subject: `${workspace} asks for your approval of a post`,
      text: `Hello ${name},\n\n${author} of ${workspace} asks you to approve a post before it is published${scheduledAt ? ` on ${when(scheduledAt, locale)}` : ""}. Open this link to see the post as it will appear, and approve or reject it (with a comment):\n\n${link}\n\nYou do not need an account. The link works once, only for this post, until ${when(expiresAt, locale)}.\n`,
    }),
    postRejected: ({ name, workspace, approver, comment, excerpt, link }) => ({
      subject: `${approver} did not approve your post`,
      text: `Hello ${name},\n\n${approver} rejected your post in ${workspace}, so it is a draft again and will not be published as it is.\nTheir comment: ${comment}\n\n“${excerpt}”\n\nChange it and schedule it again to send it back for approval:\n\n${link}\n`,
    }),
    commentMention: ({ name, workspace, author, comment, excerpt, link }) => ({
      subject: `${author} mentioned you in a comment on a post`,
      text: `Hello ${name},\n\n${author} mentioned you in an internal comment on a post in ${workspace} (comments are never published):\n\n${comment}\n\nThe post: “${excerpt}”\n\nRead and answer it here:\n\n${link}\n`,
    }),
  },
  de: {
    roles: { owner: "Inhaber", admin: "Administrator", manager: "Manager", member: "Mitglied" },
    passwordReset: ({ name, link, minutes }) => ({
      subject: "Ihr Parapet-Passwort zurücksetzen",
      text: `Hallo ${name},\n\njemand (hoffentlich Sie) möchte Ihr Parapet-Passwort zurücksetzen. Öffnen Sie diesen Link innerhalb von ${minutes} Minuten, um ein neues zu wählen:\n\n${link}\n\nWaren Sie es nicht, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es ist.\n`,
    }),
    invitation: ({ inviter, workspace, role, link, days }) => ({
      subject: `Einladung zu ${workspace} auf Parapet`,
      text: `Hallo,\n\n${inviter} lädt Sie ein, ${workspace} auf Parapet als ${role} beizutreten.\nÖffnen Sie diesen Link innerhalb von ${days} Tagen, um die Einladung anzunehmen:\n\n${link}\n\nDer Link funktioniert nur einmal.\n`,
    }),
    reconnectRequest: ({ sender, workspace, account, network, link, days }) => ({
      subject: `Bitte verbinden Sie ${account} (${network}) erneut mit Parapet`,
      text: `Hallo,\n\n${sender} bittet Sie, das Konto ${account} auf ${network} für ${workspace} erneut zu verbinden: Parapet kann nicht mehr dafür handeln, bis sich jemand anmeldet, der Zugang zum Konto hat.\nÖffnen Sie diesen Link innerhalb von ${days} Tagen und melden Sie sich bei ${network} als ${account} an:\n\n${link}\n\nDer Link funktioniert einmal und nur für dieses Konto. Sie brauchen kein Parapet-Konto, und Parapet zeigt das Passwort niemandem.\n`,
    }),
    channelNeedsReconnect: ({ name, workspace, account, network, reason, link }) => ({
      subject: `${account} (${network}) muss erneut verbunden werden`,
      text: `Hallo ${name},\n\nParapet kann in ${workspace} nicht mehr für ${account} auf ${network} handeln. Bis das Konto erneut verbunden ist, wird dafür nichts veröffentlicht, beantwortet oder gelesen.\nDas Netzwerk meldet: ${reason}\n\nVerbinden Sie es auf der Seite „Kanäle“ erneut oder senden Sie der Inhaberin oder dem Inhaber des Kontos einen Link dafür:\n\n${link}\n`,
    }),
    postNotPublished: ({ name, workspace, account, network, held, reason, excerpt, link }) => ({
      subject: held ? `Ein Beitrag für ${account} (${network}) wird zurückgehalten` : `Ein Beitrag für ${account} (${network}) wurde nicht veröffentlicht`,
      text: `Hallo ${name},\n\n${held ? `ein Beitrag für ${account} auf ${network} in ${workspace} wird zurückgehalten: Der Kanal muss erneut verbunden werden. Er erscheint erst, wenn jemand ihn freigibt.` : `ein Beitrag für ${account} auf ${network} in ${workspace} wurde nicht veröffentlicht und wird nicht von selbst erneut versucht.`}\nDas Netzwerk meldet: ${reason}\n\n„${excerpt}“\n\nZum Beitrag und seinem Verlauf:\n\n${link}\n`,
    }),
    partnerAccessEnding: ({ name, partner, organization, workspace, endsAt, locale, link }) => ({
      subject: `${partner} (${organization}) verliert in einer Woche den Zugang zu ${workspace}`,
      text: `Hallo ${name},\n\nder Partnerzugang von ${partner} (${organization}) zu ${workspace} endet am ${when(endsAt, locale)}. Dann beendet Parapet selbst die Sitzungen und API-Tokens und entfernt den Kanalzugriff.\nUm den Zugang zu verlängern, ändern Sie das Enddatum auf der Seite „Mitglieder“:\n\n${link}\n`,
    }),
    accessReviewDue: ({ name, workspace, quarter, people, withoutMfa, unused, partnersEndingSoon, link }) => ({
      subject: `Zeit für die Zugriffsprüfung von ${workspace} (${quarter})`,
      text: `Hallo ${name},\n\nder Zugriff auf ${workspace} wurde in diesem Quartal (${quarter}) noch nicht geprüft. Prüfen Sie, wer auf welchem Kanal was tun darf, entfernen Sie, was nicht mehr gebraucht wird, und geben Sie die Prüfung frei.\nAktuell: ${people} Personen, ${withoutMfa} ohne Zwei-Faktor-Authentifizierung, ${unused} mit 90 Tage ungenutztem Zugang, ${partnersEndingSoon} Partner, deren Zugang in 30 Tagen endet.\n\nZur Zugriffsprüfung:\n\n${link}\n\nDiese Erinnerung kommt einmal pro Quartal und nicht, wenn die Prüfung schon freigegeben ist.\n`,
    }),
    approvalRequested: ({ name, workspace, author, excerpt, scheduledAt, locale, reminder, link }) => ({
      subject: reminder ? `Erinnerung: Ein Beitrag von ${author} wartet noch auf Ihre Freigabe` : `Ein Beitrag von ${author} wartet auf Ihre Freigabe`,
      text: `Hallo ${name},\n\n${reminder ? "zur Erinnerung: " : ""}${author} hat in ${workspace} einen Beitrag geschrieben, der Ihre Freigabe braucht, bevor er erscheint.\n${scheduledAt ? `Er soll am ${when(scheduledAt, locale)} erscheinen. Ist er bis dahin nicht freigegeben, wird er nicht veröffentlicht.` : "Er erscheint, sobald er freigegeben ist und jemand ihn veröffentlicht."}\n\n„${excerpt}“\n\nHier geben Sie ihn frei oder lehnen ihn (mit Kommentar) ab:\n\n${link}\n`,
    }),
    postApprovalExpired: ({ name, workspace, excerpt, scheduledAt, locale, link }) => ({
      subject: "Ihr Beitrag wurde nicht rechtzeitig freigegeben und nicht veröffentlicht",
      text: `Hallo ${name},\n\nIhr Beitrag in ${workspace} für ${when(scheduledAt, locale)} wartete zu diesem Zeitpunkt noch auf Freigabe und wurde daher nicht veröffentlicht. Er ist jetzt als abgelaufen markiert.\nUm ihn zu veröffentlichen, wählen Sie eine neue Zeit: Er geht erneut zur Freigabe.\n\n„${excerpt}“\n\n${link}\n`,
    }),
    externalApprovalRequested: ({ name, workspace, author, scheduledAt, expiresAt, locale, link }) => ({
      subject: `${workspace} bittet Sie um die Freigabe eines Beitrags`,
      text: `Hallo ${name},\n\n${author} von ${workspace} bittet Sie, einen Beitrag freizugeben, bevor er${scheduledAt ? ` am ${when(scheduledAt, locale)}` : ""} veröffentlicht wird. Über diesen Link sehen Sie den Beitrag so, wie er erscheinen wird, und geben ihn frei oder lehnen ihn (mit Kommentar) ab:\n\n${link}\n\nSie brauchen kein Konto. Der Link funktioniert einmal, nur für diesen Beitrag, bis ${when(expiresAt, locale)}.\n`,
    }),
    postRejected: ({ name, workspace, approver, comment, excerpt, link }) => ({
      subject: `${approver} hat Ihren Beitrag nicht freigegeben`,
      text: `Hallo ${name},\n\n${approver} hat Ihren Beitrag in ${workspace} abgelehnt. Er ist wieder ein Entwurf und wird so nicht veröffentlicht.\nKommentar: ${comment}\n\n„${excerpt}“\n\nÄndern Sie ihn und planen Sie ihn erneut, um ihn wieder zur Freigabe zu schicken:\n\n${link}\n`,
    }),
    commentMention: ({ name, workspace, author, comment, excerpt, link }) => ({
      subject: `${author} hat Sie in einem Kommentar zu einem Beitrag erwähnt`,
      text: `Hallo ${name},\n\n${author} hat Sie in einem internen Kommentar zu einem Beitrag in ${workspace} erwähnt (Kommentare werden nie veröffentlicht):\n\n${comment}\n\nDer Beitrag: „${excerpt}“\n\nHier lesen und antworten:\n\n${link}\n`,
    }),
  },
  it: {
    roles: { owner: "proprietario", admin: "amministratore", manager: "manager", member: "membro" },
    passwordReset: ({ name, link, minutes }) => ({
      subject: "Reimposta la tua password di Parapet",
      text: `Ciao ${name},\n\nqualcuno (speriamo tu) ha chiesto di reimpostare la tua password di Parapet. Apri questo link entro ${minutes} minuti per sceglierne una nuova:\n\n${link}\n\nSe non sei stato tu, ignora questa email: la tua password resta com'è.\n`,
    }),
    invitation: ({ inviter, workspace, role, link, days }) => ({
      subject: `Sei invitato in ${workspace} su Parapet`,
      text: `Ciao,\n\n${inviter} ti ha invitato a entrare in ${workspace} su Parapet come ${role}.\nApri questo link entro ${days} giorni per accettare:\n\n${link}\n\nIl link funziona una sola volta.\n`,
    }),
    reconnectRequest: ({ sender, workspace, account, network, link, days }) => ({
      subject: `Ricollega ${account} (${network}) a Parapet`,
      text: `Ciao,\n\n${sender} ti chiede di ricollegare l'account ${account} su ${network} per ${workspace}: Parapet non può più agire per questo account finché qualcuno che può accedervi non lo fa.\nApri questo link entro ${days} giorni e accedi a ${network} come ${account}:\n\n${link}\n\nIl link funziona una sola volta e solo per questo account. Non ti serve un account Parapet, e Parapet non mostra a nessuno la password.\n`,
    }),
    channelNeedsReconnect: ({ name, workspace, account, network, reason, link }) => ({
      subject: `${account} (${network}) va ricollegato`,
      text: `Ciao ${name},\n\nParapet non può più agire per ${account} su ${network} in ${workspace}. Finché non viene ricollegato, per questo account non si pubblica, non si risponde e non si legge nulla.\nLa rete dice: ${reason}\n\nRicollegalo, o invia un link di ricollegamento al titolare dell'account, dalla pagina Canali:\n\n${link}\n`,
    }),
    postNotPublished: ({ name, workspace, account, network, held, reason, excerpt, link }) => ({
      subject: held ? `Un post per ${account} (${network}) è trattenuto` : `Un post per ${account} (${network}) non è stato pubblicato`,
      text: `Ciao ${name},\n\n${held ? `un post per ${account} su ${network} in ${workspace} è trattenuto: il canale va ricollegato. Uscirà solo quando qualcuno lo sbloccherà.` : `un post per ${account} su ${network} in ${workspace} non è stato pubblicato e non verrà ritentato da solo.`}\nLa rete ha risposto: ${reason}\n\n«${excerpt}»\n\nVedi il post e la sua cronologia:\n\n${link}\n`,
    }),
    partnerAccessEnding: ({ name, partner, organization, workspace, endsAt, locale, link }) => ({
      subject: `${partner} (${organization}) perde l'accesso a ${workspace} tra una settimana`,
      text: `Ciao ${name},\n\nl'accesso da partner di ${partner} (${organization}) a ${workspace} termina ${when(endsAt, locale)}. A quel punto Parapet chiude da solo sessioni e token API e toglie l'accesso ai canali.\nPer prolungarlo, cambia la data di fine nella pagina Membri:\n\n${link}\n`,
    }),
    accessReviewDue: ({ name, workspace, quarter, people, withoutMfa, unused, partnersEndingSoon, link }) => ({
      subject: `È ora della revisione degli accessi di ${workspace} (${quarter})`,
      text: `Ciao ${name},\n\ngli accessi a ${workspace} non sono ancora stati rivisti in questo trimestre (${quarter}). Controlla chi può fare cosa su ogni canale, togli ciò che non serve più e approva la revisione.\nOra: ${people} persone, ${withoutMfa} senza autenticazione a due fattori, ${unused} con accesso inutilizzato da 90 giorni, ${partnersEndingSoon} partner il cui accesso scade entro 30 giorni.\n\nApri la revisione degli accessi:\n\n${link}\n\nQuesto promemoria arriva una volta a trimestre, e non se la revisione è già stata approvata.\n`,
    }),
    approvalRequested: ({ name, workspace, author, excerpt, scheduledAt, locale, reminder, link }) => ({
      subject: reminder ? `Promemoria: un post di ${author} attende ancora la tua approvazione` : `Un post di ${author} attende la tua approvazione`,
      text: `Ciao ${name},\n\n${reminder ? "un promemoria: " : ""}${author} ha scritto un post in ${workspace} che ha bisogno della tua approvazione prima di uscire.\n${scheduledAt ? `Deve uscire ${when(scheduledAt, locale)}. Se non è approvato entro allora, non viene pubblicato.` : "Esce quando è approvato e qualcuno lo pubblica."}\n\n«${excerpt}»\n\nApprovalo o rifiutalo (con un commento) qui:\n\n${link}\n`,
    }),
    postApprovalExpired: ({ name, workspace, excerpt, scheduledAt, locale, link }) => ({
      subject: "Il tuo post non è stato approvato in tempo e non è stato pubblicato",
      text: `Ciao ${name},\n\nil tuo post in ${workspace}, previsto per ${when(scheduledAt, locale)}, a quell'ora attendeva ancora l'approvazione, quindi non è stato pubblicato. Ora è segnato come scaduto.\nPer pubblicarlo, scegli un nuovo orario: tornerà agli approvatori.\n\n«${excerpt}»\n\n${link}\n`,
    }),
    externalApprovalRequested: ({ name, workspace, author, scheduledAt, expiresAt, locale, link }) => ({
      subject: `${workspace} ti chiede di approvare un post`,
      text: `Ciao ${name},\n\n${author} di ${workspace} ti chiede di approvare un post prima che venga pubblicato${scheduledAt ? ` ${when(scheduledAt, locale)}` : ""}. Apri questo link per vedere il post come apparirà, e approvalo o rifiutalo (con un commento):\n\n${link}\n\nNon ti serve un account. Il link funziona una volta, solo per questo post, fino a ${when(expiresAt, locale)}.\n`,
    }),
    postRejected: ({ name, workspace, approver, comment, excerpt, link }) => ({
      subject: `${approver} non ha approvato il tuo post`,
      text: `Ciao ${name},\n\n${approver} ha rifiutato il tuo post in ${workspace}: è di nuovo una bozza e non verrà pubblicato così com'è.\nIl commento: ${comment}\n\n«${excerpt}»\n\nModificalo e programmalo di nuovo per rimandarlo all'approvazione:\n\n${link}\n`,
    }),
    commentMention: ({ name, workspace, author, comment, excerpt, link }) => ({
      subject: `${author} ti ha menzionato in un commento a un post`,
      text: `Ciao ${name},\n\n${author} ti ha menzionato in un commento interno a un post in ${workspace} (i commenti non vengono mai pubblicati):\n\n${comment}\n\nIl post: «${excerpt}»\n\nLeggi e rispondi qui:\n\n${link}\n`,
    }),
  },
  nl: {
    roles: { owner: "eigenaar", admin: "beheerder", manager: "manager", member: "lid" },
    passwordReset: ({ name, link, minutes }) => ({
      subject: "Stel je Parapet-wachtwoord opnieuw in",
      text: `Hallo ${name},\n\niemand (hopelijk jij) heeft gevraagd je Parapet-wachtwoord opnieuw in te stellen. Open deze link binnen ${minutes} minuten om een nieuw wachtwoord te kiezen:\n\n${link}\n\nWas jij het niet? Negeer deze e-mail dan: je wachtwoord blijft zoals het is.\n`,
    }),
    invitation: ({ inviter, workspace, role, link, days }) => ({
      subject: `Je bent uitgenodigd voor ${workspace} op Parapet`,
      text: `Hallo,\n\n${inviter} nodigt je uit om lid te worden van ${workspace} op Parapet als ${role}.\nOpen deze link binnen ${days} dagen om de uitnodiging te accepteren:\n\n${link}\n\nDe link werkt één keer.\n`,
    }),
    reconnectRequest: ({ sender, workspace, account, network, link, days }) => ({
      subject: `Verbind ${account} (${network}) opnieuw met Parapet`,
      text: `Hallo,\n\n${sender} vraagt je het account ${account} op ${network} opnieuw te verbinden voor ${workspace}: Parapet kan er niet meer namens handelen tot iemand die erop kan inloggen dat doet.\nOpen deze link binnen ${days} dagen en log bij ${network} in als ${account}:\n\n${link}\n\nDe link werkt één keer en alleen voor dit account. Je hebt geen Parapet-account nodig, en Parapet laat het wachtwoord aan niemand zien.\n`,
    }),
    channelNeedsReconnect: ({ name, workspace, account, network, reason, link }) => ({
      subject: `${account} (${network}) moet opnieuw verbonden worden`,
      text: `Hallo ${name},\n\nParapet kan in ${workspace} niet meer handelen namens ${account} op ${network}. Tot het opnieuw verbonden is, wordt er niets voor gepubliceerd, beantwoord of gelezen.\nHet netwerk meldt: ${reason}\n\nVerbind het opnieuw, of stuur de eigenaar van het account een link daarvoor, op de pagina Kanalen:\n\n${link}\n`,
    }),
    postNotPublished: ({ name, workspace, account, network, held, reason, excerpt, link }) => ({
      subject: held ? `Een bericht voor ${account} (${network}) wordt vastgehouden` : `Een bericht voor ${account} (${network}) is niet gepubliceerd`,
      text: `Hallo ${name},\n\n${held ? `een bericht voor ${account} op ${network} in ${workspace} wordt vastgehouden: het kanaal moet opnieuw worden verbonden. Het gaat pas uit als iemand het vrijgeeft.` : `een bericht voor ${account} op ${network} in ${workspace} is niet gepubliceerd en wordt niet vanzelf opnieuw geprobeerd.`}\nHet netwerk meldde: ${reason}\n\n“${excerpt}”\n\nBekijk het bericht en de geschiedenis:\n\n${link}\n`,
    }),
    partnerAccessEnding: ({ name, partner, organization, workspace, endsAt, locale, link }) => ({
      subject: `${partner} (${organization}) verliest over een week de toegang tot ${workspace}`,
      text: `Hallo ${name},\n\nde partnertoegang van ${partner} (${organization}) tot ${workspace} eindigt op ${when(endsAt, locale)}. Dan beëindigt Parapet zelf de sessies en API-tokens en verwijdert de kanaaltoegang.\nOm de toegang te verlengen, wijzig je de einddatum op de pagina Leden:\n\n${link}\n`,
    }),
    accessReviewDue: ({ name, workspace, quarter, people, withoutMfa, unused, partnersEndingSoon, link }) => ({
      subject: `Tijd voor de toegangsreview van ${workspace} (${quarter})`,
      text: `Hallo ${name},\n\nde toegang tot ${workspace} is dit kwartaal (${quarter}) nog niet gereviewd. Controleer wie wat mag op elk kanaal, haal weg wat niet meer nodig is en teken de review af.\nNu: ${people} personen, ${withoutMfa} zonder tweestapsverificatie, ${unused} van wie de toegang 90 dagen ongebruikt bleef, ${partnersEndingSoon} partners van wie de toegang binnen 30 dagen afloopt.\n\nOpen de toegangsreview:\n\n${link}\n\nDeze herinnering komt één keer per kwartaal, en niet als de review al is afgetekend.\n`,
    }),
    approvalRequested: ({ name, workspace, author, excerpt, scheduledAt, locale, reminder, link }) => ({
      subject: reminder ? `Herinnering: een bericht van ${author} wacht nog op je goedkeuring` : `Een bericht van ${author} wacht op je goedkeuring`,
      text: `Hallo ${name},\n\n${reminder ? "een herinnering: " : ""}${author} schreef een bericht in ${workspace} dat je goedkeuring nodig heeft voordat het uitgaat.\n${scheduledAt ? `Het moet uitgaan op ${when(scheduledAt, locale)}. Is het dan niet goedgekeurd, dan wordt het niet gepubliceerd.` : "Het gaat uit zodra het is goedgekeurd en iemand het publiceert."}\n\n“${excerpt}”\n\nKeur het hier goed of af (met een opmerking):\n\n${link}\n`,
    }),
    postApprovalExpired: ({ name, workspace, excerpt, scheduledAt, locale, link }) => ({
      subject: "Je bericht is niet op tijd goedgekeurd en niet gepubliceerd",
      text: `Hallo ${name},\n\nje bericht in ${workspace}, gepland voor ${when(scheduledAt, locale)}, wachtte op dat moment nog op goedkeuring en is daarom niet gepubliceerd. Het staat nu als verlopen gemarkeerd.\nKies een nieuw tijdstip om het te publiceren: het gaat dan opnieuw naar de goedkeurders.\n\n“${excerpt}”\n\n${link}\n`,
    }),
    externalApprovalRequested: ({ name, workspace, author, scheduledAt, expiresAt, locale, link }) => ({
      subject: `${workspace} vraagt je een bericht goed te keuren`,
      text: `Hallo ${name},\n\n${author} van ${workspace} vraagt je een bericht goed te keuren voordat het wordt gepubliceerd${scheduledAt ? ` op ${when(scheduledAt, locale)}` : ""}. Open deze link om het bericht te zien zoals het zal verschijnen, en keur het goed of af (met een opmerking):\n\n${link}\n\nJe hebt geen account nodig. De link werkt één keer, alleen voor dit bericht, tot ${when(expiresAt, locale)}.\n`,
    }),
    postRejected: ({ name, workspace, approver, comment, excerpt, link }) => ({
      subject: `${approver} heeft je bericht niet goedgekeurd`,
      text: `Hallo ${name},\n\n${approver} heeft je bericht in ${workspace} afgekeurd: het is weer een concept en wordt zo niet gepubliceerd.\nDe opmerking: ${comment}\n\n“${excerpt}”\n\nPas het aan en plan het opnieuw om het weer ter goedkeuring te sturen:\n\n${link}\n`,
    }),
    commentMention: ({ name, workspace, author, comment, excerpt, link }) => ({
      subject: `${author} heeft je genoemd in een opmerking bij een bericht`,
      text: `Hallo ${name},\n\n${author} heeft je genoemd in een interne opmerking bij een bericht in ${workspace} (opmerkingen worden nooit gepubliceerd):\n\n${comment}\n\nHet bericht: “${excerpt}”\n\nLees en beantwoord het hier:\n\n${link}\n`,
    }),
  },
  fa: {
    roles: { owner: "مالک", admin: "مدیر سیستم", manager: "مدیر", member: "عضو" },
    passwordReset: ({ name, link, minutes }) => ({
      subject: "بازنشانی رمز عبور Parapet",
      text: `سلام ${name}،\n\nکسی (امیدواریم خودتان) درخواست بازنشانی رمز عبور Parapet شما را داده است. برای انتخاب رمز تازه، این پیوند را ظرف ${minutes} دقیقه باز کنید:\n\n${link}\n\nاگر شما نبودید، این ایمیل را نادیده بگیرید: رمز عبورتان تغییری نمی‌کند.\n`,
    }),
    invitation: ({ inviter, workspace, role, link, days }) => ({
      subject: `دعوت به ${workspace} در Parapet`,
      text: `سلام،\n\n${inviter} شما را دعوت کرده است که با نقش ${role} به ${workspace} در Parapet بپیوندید.\nبرای پذیرفتن، این پیوند را ظرف ${days} روز باز کنید:\n\n${link}\n\nاین پیوند فقط یک بار کار می‌کند.\n`,
    }),
    reconnectRequest: ({ sender, workspace, account, network, link, days }) => ({
      subject: `لطفاً ${account} (${network}) را دوباره به Parapet وصل کنید`,
      text: `سلام،\n\n${sender} از شما می‌خواهد حساب ${account} در ${network} را برای ${workspace} دوباره وصل کنید: تا کسی که به این حساب دسترسی دارد وارد نشود، Parapet نمی‌تواند از طرف آن کاری انجام دهد.\nاین پیوند را ظرف ${days} روز باز کنید و با حساب ${account} وارد ${network} شوید:\n\n${link}\n\nاین پیوند فقط یک بار و فقط برای همین حساب کار می‌کند. به حساب Parapet نیازی ندارید و Parapet رمز عبور را به هیچ‌کس نشان نمی‌دهد.\n`,
    }),
    channelNeedsReconnect: ({ name, workspace, account, network, reason, link }) => ({
      subject: `${account} (${network}) باید دوباره وصل شود`,
      text: `سلام ${name}،\n\nParapet دیگر نمی‌تواند در ${workspace} از طرف ${account} در ${network} کاری انجام دهد. تا دوباره وصل نشود، برای آن چیزی منتشر، پاسخ داده یا خوانده نمی‌شود.\nپیام شبکه: ${reason}\n\nدر صفحهٔ کانال‌ها آن را دوباره وصل کنید یا پیوند اتصال دوباره را برای صاحب حساب بفرستید:\n\n${link}\n`,
    }),
    postNotPublished: ({ name, workspace, account, network, held, reason, excerpt, link }) => ({
      subject: held ? `پستی برای ${account} (${network}) نگه داشته شد` : `پستی برای ${account} (${network}) منتشر نشد`,
      text: `${name} عزیز،\n\n${held ? `پستی برای ${account} در ${network} در ${workspace} نگه داشته شده است: کانال باید دوباره وصل شود. تا کسی آن را آزاد نکند منتشر نمی‌شود.` : `پستی برای ${account} در ${network} در ${workspace} منتشر نشد و خودبه‌خود دوباره امتحان نمی‌شود.`}\nپاسخ شبکه: ${reason}\n\n«${excerpt}»\n\nپست و تاریخچهٔ آن را ببینید:\n\n${link}\n`,
    }),
    partnerAccessEnding: ({ name, partner, organization, workspace, endsAt, locale, link }) => ({
      subject: `دسترسی ${partner} (${organization}) به ${workspace} یک هفتهٔ دیگر پایان می‌یابد`,
      text: `سلام ${name}،\n\nدسترسی همکار بیرونی ${partner} (${organization}) به ${workspace} در ${when(endsAt, locale)} پایان می‌یابد. در آن زمان Parapet خودش نشست‌ها و توکن‌های API را پایان می‌دهد و دسترسی به کانال‌ها را برمی‌دارد.\nبرای تمدید، تاریخ پایان را در صفحهٔ اعضا تغییر دهید:\n\n${link}\n`,
    }),
    accessReviewDue: ({ name, workspace, quarter, people, withoutMfa, unused, partnersEndingSoon, link }) => ({
      subject: `زمان بازبینی دسترسی‌های ${workspace} (${quarter})`,
      text: `سلام ${name}،\n\nدسترسی‌های ${workspace} در این فصل (${quarter}) هنوز بازبینی نشده است. بررسی کنید چه کسی روی هر کانال چه کاری می‌تواند بکند، آنچه را دیگر لازم نیست بردارید و بازبینی را تأیید کنید.\nاکنون: ${people} نفر، ${withoutMfa} نفر بدون احراز هویت دومرحله‌ای، ${unused} نفر که ۹۰ روز از دسترسی‌شان استفاده نکرده‌اند، ${partnersEndingSoon} همکار بیرونی که دسترسی‌شان تا ۳۰ روز دیگر پایان می‌یابد.\n\nبازبینی دسترسی‌ها را باز کنید:\n\n${link}\n\nاین یادآوری هر فصل یک بار فرستاده می‌شود، و اگر بازبینی پیش‌تر تأیید شده باشد فرستاده نمی‌شود.\n`,
    }),
    approvalRequested: ({ name, workspace, author, excerpt, scheduledAt, locale, reminder, link }) => ({
      subject: reminder ? `یادآوری: پستی از ${author} هنوز منتظر تأیید شماست` : `پستی از ${author} منتظر تأیید شماست`,
      text: `سلام ${name}،\n\n${reminder ? "یادآوری: " : ""}${author} در ${workspace} پستی نوشته است که پیش از انتشار به تأیید شما نیاز دارد.\n${scheduledAt ? `قرار است در ${when(scheduledAt, locale)} منتشر شود. اگر تا آن زمان تأیید نشود، منتشر نمی‌شود.` : "پس از تأیید، وقتی کسی آن را منتشر کند بیرون می‌رود."}\n\n«${excerpt}»\n\nاینجا آن را تأیید یا (با توضیح) رد کنید:\n\n${link}\n`,
    }),
    postApprovalExpired: ({ name, workspace, excerpt, scheduledAt, locale, link }) => ({
      subject: "پست شما به‌موقع تأیید نشد و منتشر نشد",
      text: `سلام ${name}،\n\nپست شما در ${workspace} که برای ${when(scheduledAt, locale)} برنامه‌ریزی شده بود، در آن زمان هنوز منتظر تأیید بود و به همین دلیل منتشر نشد. اکنون منقضی‌شده علامت خورده است.\nبرای انتشار آن، زمان تازه‌ای انتخاب کنید: دوباره نزد تأییدکنندگان می‌رود.\n\n«${excerpt}»\n\n${link}\n`,
    }),
    externalApprovalRequested: ({ name, workspace, author, scheduledAt, expiresAt, locale, link }) => ({
      subject: `${workspace} از شما می‌خواهد پستی را تأیید کنید`,
      text: `سلام ${name}،\n\n${author} از ${workspace} از شما می‌خواهد پستی را پیش از انتشار${scheduledAt ? ` در ${when(scheduledAt, locale)}` : ""} تأیید کنید. این پیوند را باز کنید تا پست را همان‌طور که منتشر می‌شود ببینید و آن را تأیید یا (با توضیح) رد کنید:\n\n${link}\n\nبه حساب کاربری نیازی ندارید. پیوند یک بار، فقط برای همین پست، تا ${when(expiresAt, locale)} کار می‌کند.\n`,
    }),
    postRejected: ({ name, workspace, approver, comment, excerpt, link }) => ({
      subject: `${approver} پست شما را تأیید نکرد`,
      text: `سلام ${name}،\n\n${approver} پست شما را در ${workspace} رد کرد؛ پست دوباره پیش‌نویس است و به این شکل منتشر نمی‌شود.\nتوضیح: ${comment}\n\n«${excerpt}»\n\nآن را تغییر دهید و دوباره زمان‌بندی کنید تا باز برای تأیید فرستاده شود:\n\n${link}\n`,
    }),
    commentMention: ({ name, workspace, author, comment, excerpt, link }) => ({
      subject: `${author} در یادداشتی دربارهٔ یک پست از شما نام برد`,
      text: `سلام ${name}،\n\n${author} در یک یادداشت داخلی دربارهٔ پستی در ${workspace} از شما نام برد (یادداشت‌ها هرگز منتشر نمی‌شوند):\n\n${comment}\n\nپست: «${excerpt}»\n\nآن را اینجا بخوانید و پاسخ دهید:\n\n${link}\n`,
    }),
  },
};

/** The messages of a locale; an unknown or missing locale falls back to English. */
export function mailMessages(locale: string | null | undefined): Messages {
  return MESSAGES[(LOCALES as readonly string[]).includes(locale ?? "") ? (locale as Locale) : "en"];
}
