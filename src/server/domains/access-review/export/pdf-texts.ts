import type { ChannelLevel, Locale, Role } from "../../../../contracts/roles";
import type { AccessReview, AccessReviewSummary } from "../queries/build-access-review";

type Person = AccessReview["people"][number];

/** The words of the PDF report, in each language of the web app. */
export type PdfTexts = {
  title: string;
  generated: string;
  quarter: string;
  summary: Record<keyof AccessReviewSummary, string>;
  lastSignOff: string;
  notSignedOff: string;
  signedOffBy(p: { name: string; at: string }): string;
  columns: { person: string; role: string; mfa: string; lastActivity: string; access: string };
  roles: Record<Role, string>;
  levels: Record<ChannelLevel, string>;
  mfa: Record<Person["mfa"], string>;
  ssoOnly: string;
  sso: string;
  never: string;
  unused(days: number): string;
  partnerUntil(p: { organization: string; until: string }): string;
  partnerOpenEnded(organization: string): string;
  sources: Record<NonNullable<Person["lastActivitySource"]>, string>;
  direct: string;
  byRole(role: string): string;
  team(name: string): string;
  noChannels: string;
  noPeople: string;
  page(p: { page: string; of: string }): string;
};

const TEXTS: Record<PdfLocale, PdfTexts> = {
  en: {
    title: "Access review",
    generated: "Generated",
    quarter: "Quarter",
    summary: { people: "People", withoutMfa: "Without MFA", ssoOnly: "SSO only", unused: "Unused for 90 days", partners: "Partners", partnersEndingSoon: "Partners ending within 30 days", fullPublishing: "With full publishing" },
    lastSignOff: "Last sign-off",
    notSignedOff: "Not signed off yet.",
    signedOffBy: ({ name, at }) => `${name}, ${at}`,
    columns: { person: "Person", role: "Role", mfa: "MFA and sign-in", lastActivity: "Last activity", access: "Channel access (level — through)" },
    roles: { owner: "Owner", admin: "Admin", manager: "Manager", member: "Member" },
    levels: { none: "No access", read: "Read only", approval_required: "Approval required", reply: "Can reply", publish: "Full publishing" },
    mfa: { totp: "Authenticator app", passkey: "Passkey", totp_and_passkey: "Authenticator app and passkey", none: "No MFA" },
    ssoOnly: "Signs in through SSO only",
    sso: "Also signs in through SSO",
    never: "Never",
    unused: (days) => `Unused for ${days} days`,
    partnerUntil: ({ organization, until }) => `Partner: ${organization}, until ${until}`,
    partnerOpenEnded: (organization) => `Partner: ${organization}`,
    sources: { session: "session", api_token: "API token", audit: "audit log" },
    direct: "own grant",
    byRole: (role) => `as ${role}`,
    team: (name) => `team ${name}`,
    noChannels: "No access to any channel",
    noPeople: "Nobody is a member of this workspace.",
    page: ({ page, of }) => `Page ${page} of ${of}`,
  },
  de: {
    title: "Zugriffsprüfung",
    generated: "Erstellt",
    quarter: "Quartal",
    summary: { people: "Personen", withoutMfa: "Ohne MFA", ssoOnly: "Nur SSO", unused: "90 Tage ungenutzt", partners: "Partner", partnersEndingSoon: "Partner, deren Zugang in 30 Tagen endet", fullPublishing: "Mit voller Veröffentlichung" },
    lastSignOff: "Letzte Freigabe",
    notSignedOff: "Noch nicht freigegeben.",
    signedOffBy: ({ name, at }) => `${name}, ${at}`,
    columns: { person: "Person", role: "Rolle", mfa: "MFA und Anmeldung", lastActivity: "Letzte Aktivität", access: "Kanalzugriff (Stufe — über)" },
    roles: { owner: "Inhaber", admin: "Admin", manager: "Manager", member: "Mitglied" },
    levels: { none: "Kein Zugriff", read: "Nur lesen", approval_required: "Freigabe nötig", reply: "Darf antworten", publish: "Volle Veröffentlichung" },
    mfa: { totp: "Authenticator-App", passkey: "Passkey", totp_and_passkey: "Authenticator-App und Passkey", none: "Keine MFA" },
    ssoOnly: "Meldet sich nur über SSO an",
    sso: "Meldet sich auch über SSO an",
    never: "Nie",
    unused: (days) => `${days} Tage ungenutzt`,
    partnerUntil: ({ organization, until }) => `Partner: ${organization}, bis ${until}`,
    partnerOpenEnded: (organization) => `Partner: ${organization}`,
    sources: { session: "Sitzung", api_token: "API-Token", audit: "Audit-Protokoll" },
    direct: "eigene Freigabe",
    byRole: (role) => `als ${role}`,
    team: (name) => `Team ${name}`,
    noChannels: "Kein Zugriff auf Kanäle",
    noPeople: "Dieser Arbeitsbereich hat keine Mitglieder.",
    page: ({ page, of }) => `Seite ${page} von ${of}`,
  },
  it: {
    title: "Revisione degli accessi",
    generated: "Generato",
    quarter: "Trimestre",
    summary: { people: "Persone", withoutMfa: "Senza MFA", ssoOnly: "Solo SSO", unused: "Inutilizzati da 90 giorni", partners: "Partner", partnersEndingSoon: "Partner in scadenza entro 30 giorni", fullPublishing: "Con pubblicazione completa" },
    lastSignOff: "Ultima approvazione",
    notSignedOff: "Non ancora approvata.",
    signedOffBy: ({ name, at }) => `${name}, ${at}`,
    columns: { person: "Persona", role: "Ruolo", mfa: "MFA e accesso", lastActivity: "Ultima attività", access: "Accesso ai canali (livello — tramite)" },
    roles: { owner: "Proprietario", admin: "Amministratore", manager: "Manager", member: "Membro" },
    levels: { none: "Nessun accesso", read: "Solo lettura", approval_required: "Approvazione richiesta", reply: "Può rispondere", publish: "Pubblicazione completa" },
    mfa: { totp: "App di autenticazione", passkey: "Passkey", totp_and_passkey: "App di autenticazione e passkey", none: "Nessuna MFA" },
    ssoOnly: "Accede solo tramite SSO",
    sso: "Accede anche tramite SSO",
    never: "Mai",
    unused: (days) => `Inutilizzato da ${days} giorni`,
    partnerUntil: ({ organization, until }) => `Partner: ${organization}, fino al ${until}`,
    partnerOpenEnded: (organization) => `Partner: ${organization}`,
    sources: { session: "sessione", api_token: "token API", audit: "registro di audit" },
    direct: "concessione propria",
    byRole: (role) => `come ${role}`,
    team: (name) => `team ${name}`,
    noChannels: "Nessun accesso ai canali",
    noPeople: "Questo spazio di lavoro non ha membri.",
    page: ({ page, of }) => `Pagina ${page} di ${of}`,
  },
  nl: {
    title: "Toegangsreview",
    generated: "Gemaakt",
    quarter: "Kwartaal",
    summary: { people: "Personen", withoutMfa: "Zonder MFA", ssoOnly: "Alleen SSO", unused: "90 dagen ongebruikt", partners: "Partners", partnersEndingSoon: "Partners die binnen 30 dagen aflopen", fullPublishing: "Met volledig publiceren" },
    lastSignOff: "Laatste aftekening",
    notSignedOff: "Nog niet afgetekend.",
    signedOffBy: ({ name, at }) => `${name}, ${at}`,
    columns: { person: "Persoon", role: "Rol", mfa: "MFA en aanmelden", lastActivity: "Laatste activiteit", access: "Kanaaltoegang (niveau — via)" },
    roles: { owner: "Eigenaar", admin: "Beheerder", manager: "Manager", member: "Lid" },
    levels: { none: "Geen toegang", read: "Alleen lezen", approval_required: "Goedkeuring nodig", reply: "Mag antwoorden", publish: "Volledig publiceren" },
    mfa: { totp: "Authenticator-app", passkey: "Passkey", totp_and_passkey: "Authenticator-app en passkey", none: "Geen MFA" },
    ssoOnly: "Meldt zich alleen via SSO aan",
    sso: "Meldt zich ook via SSO aan",
    never: "Nooit",
    unused: (days) => `${days} dagen ongebruikt`,
    partnerUntil: ({ organization, until }) => `Partner: ${organization}, tot ${until}`,
    partnerOpenEnded: (organization) => `Partner: ${organization}`,
    sources: { session: "sessie", api_token: "API-token", audit: "auditlog" },
    direct: "eigen toekenning",
    byRole: (role) => `als ${role}`,
    team: (name) => `team ${name}`,
    noChannels: "Geen toegang tot kanalen",
    noPeople: "Deze werkruimte heeft geen leden.",
    page: ({ page, of }) => `Pagina ${page} van ${of}`,
  },
};

/**
 * The language the PDF is written in. The report's layout is left to right: Persian labels would need a bidirectional
 * layout (numbers and Latin names inside right-to-left sentences) that the PDF does not do, so a Persian reader gets
 * the report in English. Persian names, organisations and team names in it are shaped and read right to left.
 */
export type PdfLocale = Exclude<Locale, "fa">;
export const pdfLocale = (locale: Locale): PdfLocale => (locale === "fa" ? "en" : locale);
export const pdfTexts = (locale: Locale): PdfTexts => TEXTS[pdfLocale(locale)];
