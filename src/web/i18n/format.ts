import { currentLocale } from "./index";

/** The viewer's time zone, e.g. "Europe/Berlin". */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function cachedFormat(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(key);
  if (!format) dateTimeFormats.set(key, (format = make()));
  return format;
}

/** Date and time in the viewer's zone, with the zone named: "3 Mar 2026, 14:05 CET". */
export function formatDateTime(value: string | Date, locale = currentLocale()): string {
  const format = cachedFormat(`dt:${locale}`, () =>
    new Intl.DateTimeFormat(locale, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    }),
  );
  return format.format(new Date(value));
}

/** A date without time: "3 Mar 2026". */
export function formatDate(value: string | Date, locale = currentLocale()): string {
  return cachedFormat(`d:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: "medium" })).format(new Date(value));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

/** Relative time: "3 hours ago", "in 2 days". */
export function formatRelative(value: string | Date, now = new Date(), locale = currentLocale()): string {
  const seconds = (new Date(value).getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") {
      if (unit === "second" && Math.abs(seconds) < 45) return format.format(0, "second");
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(0, "second");
}

/** A number in the viewer's language (Persian digits in Persian). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions, locale = currentLocale()): string {
  return new Intl.NumberFormat(locale, options).format(value);
}

/** Text a person wrote (a title, a name), isolated so that its own direction does not reorder the sentence around it. */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** A share (0..1) as a whole percentage in the viewer's language: "70%", "٪۷۰" in Persian. */
export function formatPercent(share: number, locale = currentLocale()): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(share);
}

/**
 * A list in the viewer's language ("a, b and c"; "a، b و c" in Persian), each item isolated by its own direction so
 * that handles and translated phrases keep their order inside right-to-left text.
 */
export function formatList(items: string[], locale = currentLocale()): string {
  return new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(items.map(isolate));
}
