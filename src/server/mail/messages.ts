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
};

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
  },
};

/** The messages of a locale; an unknown or missing locale falls back to English. */
export function mailMessages(locale: string | null | undefined): Messages {
  return MESSAGES[(LOCALES as readonly string[]).includes(locale ?? "") ? (locale as Locale) : "en"];
}
