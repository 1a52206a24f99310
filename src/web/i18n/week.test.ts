import { afterEach, describe, expect, it } from "vitest";
import { LOCALES } from "../../contracts/roles";
import { firstDayOfWeek, weekdaysInOrder } from "./week";

describe("the week of the reader's language", () => {
  const intl = Intl as { Locale: typeof Intl.Locale };
  const realLocale = Intl.Locale;
  afterEach(() => {
    intl.Locale = realLocale;
  });

  it("starts on Sunday in English, Monday in German, Italian and Dutch, Saturday in Persian", () => {
    expect(Object.fromEntries(LOCALES.map((locale) => [locale, firstDayOfWeek(locale)]))).toEqual({ en: 7, de: 1, it: 1, nl: 1, fa: 6 });
  });

  it("lists the seven days from that first day", () => {
    expect(weekdaysInOrder("fa")).toEqual([6, 7, 1, 2, 3, 4, 5]);
    expect(weekdaysInOrder("en")).toEqual([7, 1, 2, 3, 4, 5, 6]);
    expect(weekdaysInOrder("de")).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("knows the shipped languages' weeks in a browser whose Intl.Locale has no week information", () => {
    // As in Firefox: Intl.Locale without getWeekInfo() or weekInfo.
    intl.Locale = class extends realLocale {
      get weekInfo() {
        return undefined;
      }
    } as typeof Intl.Locale;
    expect((new Intl.Locale("fa") as { weekInfo?: unknown }).weekInfo).toBeUndefined();
    expect(Object.fromEntries(LOCALES.map((locale) => [locale, firstDayOfWeek(locale)]))).toEqual({ en: 7, de: 1, it: 1, nl: 1, fa: 6 });
    expect(firstDayOfWeek("xx")).toBe(1);
  });
});
