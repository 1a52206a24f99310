/**
 * Wall-clock time in a named IANA time zone ↔ instants, through the time zone database the runtime's Intl carries.
 * Daylight-saving changes follow Temporal's "compatible" rule: a time that does not exist (clocks jump forward) is
 * moved forward by the jump (02:30 on the spring-forward night in Europe/Berlin → 03:30 CEST); a time that exists
 * twice (clocks go back) is the earlier of the two.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is a time zone the runtime knows (an IANA name such as "Europe/Berlin", or "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    // RangeError: not a time zone Intl knows.
    return false;
  }
}

/** The wall clock in `timeZone` at `instant` (month 1–12). */
export function wallClockAt(timeZone: string, instant: number) {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The zone's offset from UTC at `instant`, in milliseconds (Europe/Berlin in winter: +3 600 000). */
export function offsetAt(timeZone: string, instant: number): number {
  const w = wallClockAt(timeZone, instant);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time (month 1–12) happens in `timeZone` (see the rule for gaps and overlaps above). */
export function instantOf(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const local = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets a day before and after bracket any transition (none is longer than a day apart from another).
  const before = offsetAt(timeZone, local - 86_400_000);
  const after = offsetAt(timeZone, local + 86_400_000);
  const candidates = [...new Set([local - before, local - after])].filter((instant) => instant + offsetAt(timeZone, instant) === local).sort((a, b) => a - b);
  if (candidates.length) return candidates[0];
  // In a gap: read the time with the offset in force before the jump, which lands as far after the jump as it was into the gap.
  return local - before;
}

/** The calendar date (month 1–12) `days` after the given one, and its ISO weekday (1 Monday … 7 Sunday). */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay() };
}
