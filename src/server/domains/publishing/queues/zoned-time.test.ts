import { describe, expect, it } from "vitest";
import { slotInstants } from "./next-slot";
import { instantOf, isTimeZone } from "./zoned-time";

const iso = (ms: number) => new Date(ms).toISOString();

describe("wall-clock time in a named time zone", () => {
  it("reads an ordinary time with the offset in force that day (winter and summer in Berlin and New York)", () => {
    expect(iso(instantOf("Europe/Berlin", 2026, 11, 23, 9, 0))).toBe("2026-11-23T08:00:00.000Z");
    expect(iso(instantOf("Europe/Berlin", 2027, 7, 1, 9, 0))).toBe("2027-07-01T07:00:00.000Z");
    expect(iso(instantOf("America/New_York", 2026, 11, 23, 9, 0))).toBe("2026-11-23T14:00:00.000Z");
    expect(iso(instantOf("Asia/Tehran", 2026, 11, 23, 9, 0))).toBe("2026-11-23T05:30:00.000Z");
  });

  it("moves a time that does not exist (clocks jump forward) forward by the jump", () => {
    // Europe/Berlin, 28 March 2027: 02:00 CET → 03:00 CEST. 02:30 does not happen; it is read as 03:30 CEST.
    expect(iso(instantOf("Europe/Berlin", 2027, 3, 28, 2, 30))).toBe("2027-03-28T01:30:00.000Z");
    expect(iso(instantOf("Europe/Berlin", 2027, 3, 28, 3, 30))).toBe("2027-03-28T01:30:00.000Z");
    expect(iso(instantOf("Europe/Berlin", 2027, 3, 28, 1, 30))).toBe("2027-03-28T00:30:00.000Z");
    // Lord Howe Island moves by half an hour.
    expect(iso(instantOf("Australia/Lord_Howe", 2026, 10, 4, 2, 15))).toBe("2026-10-03T15:45:00.000Z");
  });

  it("takes the earlier of a time that happens twice (clocks go back)", () => {
    // Europe/Berlin, 25 October 2026: 03:00 CEST → 02:00 CET; 02:30 happens at 00:30Z and again at 01:30Z.
    expect(iso(instantOf("Europe/Berlin", 2026, 10, 25, 2, 30))).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(instantOf("Europe/Berlin", 2026, 10, 25, 3, 30))).toBe("2026-10-25T02:30:00.000Z");
  });

  it("knows time zones by their IANA names", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});

describe("a queue's slot times", () => {
  const weekdays = (time: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, time }));

  it("keeps 09:00 at 09:00 on the wall clock across the spring change (08:00Z before, 07:00Z after)", () => {
    const queue = { timeZone: "Europe/Berlin", slots: weekdays("09:00") };
    const from = Date.parse("2027-03-25T12:00:00Z"); // Thursday afternoon
    expect(slotInstants(queue, from, from + 6 * 86_400_000).map(iso)).toEqual([
      "2027-03-26T08:00:00.000Z", // Friday, CET
      "2027-03-29T07:00:00.000Z", // Monday, CEST
      "2027-03-30T07:00:00.000Z",
      "2027-03-31T07:00:00.000Z",
    ]);
  });

  it("keeps a night slot once on the night clocks go back, and moves it past the gap on the night they jump", () => {
    const sunday = [{ weekday: 7, time: "02:30" }];
    const autumn = Date.parse("2026-10-24T00:00:00Z");
    expect(slotInstants({ timeZone: "Europe/Berlin", slots: sunday }, autumn, autumn + 3 * 86_400_000).map(iso)).toEqual(["2026-10-25T00:30:00.000Z"]);
    const spring = Date.parse("2027-03-27T00:00:00Z");
    expect(slotInstants({ timeZone: "Europe/Berlin", slots: [...sunday, { weekday: 7, time: "03:30" }] }, spring, spring + 3 * 86_400_000).map(iso)).toEqual(["2027-03-28T01:30:00.000Z"]);
  });

  it("skips the slots already past and reads the weekday in the queue's own zone", () => {
    // 23:30 UTC on a Sunday is already Monday 08:30 in Tokyo: Monday 09:00 Tokyo is 30 minutes later.
    const from = Date.parse("2026-11-22T23:30:00Z");
    expect(iso(slotInstants({ timeZone: "Asia/Tokyo", slots: [{ weekday: 1, time: "09:00" }] }, from, from + 7 * 86_400_000)[0])).toBe("2026-11-23T00:00:00.000Z");
    expect(slotInstants({ timeZone: "Asia/Tokyo", slots: [{ weekday: 1, time: "08:00" }] }, from, from + 6 * 86_400_000)).toEqual([]);
  });
});
