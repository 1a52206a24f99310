/** Days are ISO numbers here, as the server stores them: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Where the browser does not know a language's week (Firefox has no `weekInfo`): the shipped languages' own. */
const FIRST_DAY: Record<string, IsoWeekday> = { en: 7, de: 1, it: 1, nl: 1, fa: 6 };

type WeekInfo = { firstDay: number };
type LocaleWithWeek = Intl.Locale & { getWeekInfo?: () => WeekInfo; weekInfo?: WeekInfo };

/**
 * The day a language's week starts on: Sunday in (US) English, Monday in German, Italian and Dutch, Saturday in
 * Persian. One answer for the calendar and the posting queues.
 */
export function firstDayOfWeek(locale: string): IsoWeekday {
  try {
    const intl = new Intl.Locale(locale) as LocaleWithWeek;
    // Chromium and Safari have getWeekInfo(); older versions the weekInfo property.
    const info = intl.getWeekInfo?.() ?? intl.weekInfo;
    if (info && info.firstDay >= 1 && info.firstDay <= 7) return info.firstDay as IsoWeekday;
  } catch {
    // An unknown tag: fall through to the table.
  }
  return FIRST_DAY[locale.split("-")[0]] ?? 1;
}

/** The seven days in the order a language's week runs: [6, 7, 1, 2, 3, 4, 5] in Persian. */
export function weekdaysInOrder(locale: string): IsoWeekday[] {
  const first = firstDayOfWeek(locale);
  return Array.from({ length: 7 }, (_, i) => (((first - 1 + i) % 7) + 1) as IsoWeekday);
}
