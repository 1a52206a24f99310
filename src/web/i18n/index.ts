import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { LOCALES, RTL_LOCALES, type Locale } from "../../contracts/roles";
import de from "./de.json";
import en from "./en.json";
import fa from "./fa.json";
import it from "./it.json";
import nl from "./nl.json";

const STORAGE_KEY = "parapet.locale";

/** Whether a value is one of the languages Parapet ships. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The language before sign-in: the one picked on this device, else the browser's, else English. */
export function deviceLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage can be blocked (private mode, policies): fall back to the browser's language.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag?.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return "en";
}

/** Text direction of a language. */
export function directionOf(locale: Locale): "rtl" | "ltr" {
  return RTL_LOCALES.includes(locale) ? "rtl" : "ltr";
}

/** Remembers the language on this device (used before sign-in). */
export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered on this device; the profile still carries it once signed in.
  }
}

/** The current language, always one of LOCALES. */
export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : "en";
}

/** Switches the interface language and sets <html lang dir>. */
export async function changeLocale(locale: Locale): Promise<void> {
  if (i18next.language !== locale) await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
  document.documentElement.dir = directionOf(locale);
}

/** Native names of the languages, for pickers (shown in their own language on purpose). */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: "English",
  de: "Deutsch",
  it: "Italiano",
  nl: "Nederlands",
  fa: "فارسی",
};

const initial = deviceLocale();
void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, de: { translation: de }, it: { translation: it }, nl: { translation: nl }, fa: { translation: fa } },
  lng: initial,
  fallbackLng: "en",
  supportedLngs: [...LOCALES],
  // Keys contain ":" (token scopes such as "workspace:read"), so no namespace separator.
  nsSeparator: false,
  interpolation: {
    // React escapes HTML itself; instead each inserted value (a name, an email, a browser) is wrapped in
    // Unicode isolates, so that left-to-right values keep their order inside right-to-left sentences.
    escapeValue: true,
    escape: (value: string) => `\u2068${value}\u2069`,
  },
  returnNull: false,
});
document.documentElement.lang = initial;
document.documentElement.dir = directionOf(initial);

export { i18next };
