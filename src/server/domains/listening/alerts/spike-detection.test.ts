import { describe, expect, it } from "vitest";
import { historyStart, inCooldown, judgeWindow, WINDOW_MINUTES, type MinuteCount } from "./spike-detection";

const MONDAY = Date.parse("2026-11-02T00:00:00Z"); // a Monday
const MINUTE = 60_000;

/** A deterministic pseudo-random source (mulberry32), so the series are the same in every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson sample by inversion (small means only). */
function poisson(mean: number, rand: () => number) {
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = rand();
  while (u > s && k < 1000) {
    k += 1;
    p *= mean / k;
    s += p;
  }
  return k;
}

/**
 * A brand's ordinary weeks: busy on weekday working hours (≈3 mentions a minute), quiet at night (≈0.2) and at
 * weekends (≈0.6); about 10% negative. `extra(minute)` adds mentions (the injected spikes).
 */
function series(weeks: number, seed: number, extra: (minute: number) => { total: number; negative: number } = () => ({ total: 0, negative: 0 })): MinuteCount[] {
  const rand = random(seed);
  const counts: MinuteCount[] = [];
  for (let m = 0; m < weeks * 7 * 24 * 60; m++) {
    const at = new Date(MONDAY + m * MINUTE);
    const day = at.getUTCDay();
    const hour = at.getUTCHours();
    const weekend = day === 0 || day === 6;
    const mean = weekend ? 0.6 : hour >= 8 && hour < 18 ? 3 : 0.2;
    const add = extra(m);
    const total = poisson(mean, rand) + add.total;
    let negative = add.negative;
    for (let i = 0; i < total - add.total; i++) if (rand() < 0.1) negative += 1;
    if (total) counts.push({ minute: at, total, negative });
  }
  return counts;
}

const minuteOf = (week: number, day: number, hour: number, minute = 0) => ((week * 7 + day) * 24 + hour) * 60 + minute;
const at = (m: number) => new Date(MONDAY + m * MINUTE);

describe("spike detection", () => {
  it("raises no spike in five ordinary weeks, though Monday mornings are busy after quiet weekends", () => {
    const counts = series(5, 1);
    const raised: string[] = [];
    for (let m = minuteOf(4, 0, 0) + WINDOW_MINUTES; m < minuteOf(5, 0, 0); m += 2 * WINDOW_MINUTES) {
      const verdict = judgeWindow(counts, at(m), "medium");
      expect(verdict.baseline.kind).toBe("hour_of_week");
      if (verdict.spike || verdict.negativeTurn) raised.push(at(m).toISOString());
    }
    expect(raised).toEqual([]);
    // Why the hour of the week matters: with only the last day as baseline (a new stream), an ordinary Monday
    // morning looks like a spike against the quiet Sunday before it.
    const newStream = counts.filter((c) => c.minute.getTime() >= at(minuteOf(3, 6, 0)).getTime());
    const monday = judgeWindow(newStream, at(minuteOf(4, 0, 9, 15)), "medium");
    expect(monday.baseline.kind).toBe("last_day");
    expect(monday.spike).toBe(true);
  });

  it("finds every injected spike in the fifth week, at the window they are in, with the volume against the baseline", () => {
    const spikes = [minuteOf(4, 1, 3), minuteOf(4, 2, 11), minuteOf(4, 4, 15), minuteOf(4, 5, 22), minuteOf(4, 6, 13)];
    const counts = series(5, 2, (m) => (spikes.some((s) => m >= s && m < s + 10) ? { total: 6, negative: 1 } : { total: 0, negative: 0 }));
    for (const start of spikes) {
      const verdict = judgeWindow(counts, at(start + 10), "medium");
      expect(verdict.spike, at(start).toISOString()).toBe(true);
      expect(verdict.window.total).toBeGreaterThanOrEqual(60);
      expect(verdict.ratio).toBeGreaterThan(2);
      expect(verdict.window.end.toISOString()).toBe(at(start + 10).toISOString());
    }
    const quietEnough = [minuteOf(4, 1, 12), minuteOf(4, 3, 2), minuteOf(4, 5, 9)];
    for (const m of quietEnough) expect(judgeWindow(counts, at(m), "medium").spike).toBe(false);
  });

  it("is not blinded by an earlier crisis in the baseline (median and MAD, not mean and deviation)", () => {
    // A huge spike on the same Tuesday 11:00 three weeks earlier, and a moderate one now.
    const counts = series(5, 3, (m) =>
      m >= minuteOf(1, 1, 11) && m < minuteOf(1, 1, 11, 15) ? { total: 200, negative: 50 } : m >= minuteOf(4, 1, 11) && m < minuteOf(4, 1, 11, 15) ? { total: 8, negative: 1 } : { total: 0, negative: 0 },
    );
    expect(judgeWindow(counts, at(minuteOf(4, 1, 11, 15)), "medium").spike).toBe(true);
  });

  it("calls a rise in the negative share a negative turn even when the volume stays normal", () => {
    const counts = series(5, 4);
    // One ordinary-volume window turns mostly negative: 70% of its mentions.
    const window = counts.filter((c) => c.minute >= at(minuteOf(4, 2, 14)) && c.minute < at(minuteOf(4, 2, 14, 15)));
    for (const c of window) c.negative = Math.round(c.total * 0.7);
    const verdict = judgeWindow(counts, at(minuteOf(4, 2, 14, 15)), "medium");
    expect(verdict.spike).toBe(false);
    expect(verdict.negativeTurn).toBe(true);
    expect(verdict.negativeShare).toBeGreaterThan(0.5);
    expect(verdict.baseline.negativeShare).toBeLessThan(0.15);
  });

  it("needs more at a lower sensitivity: a moderate burst is a spike at high, not at low", () => {
    const burst = minuteOf(4, 3, 10);
    const counts = series(5, 5, (m) => (m >= burst && m < burst + 15 ? { total: 3, negative: 0 } : { total: 0, negative: 0 }));
    const when = at(burst + 15);
    expect(judgeWindow(counts, when, "high").spike).toBe(true);
    expect(judgeWindow(counts, when, "low").spike).toBe(false);
  });

  it("does not call a single mention on a quiet new stream a spike", () => {
    const now = new Date("2026-11-23T10:00:00Z");
    const verdict = judgeWindow([{ minute: new Date(now.getTime() - 5 * MINUTE), total: 1, negative: 1 }], now, "high");
    expect(verdict.spike).toBe(false);
    expect(verdict.negativeTurn).toBe(false);
  });

  it("reads four weeks and a little more of history, and keeps a cooldown", () => {
    const now = new Date("2026-11-23T10:00:00Z");
    expect(historyStart(now).toISOString()).toBe("2026-10-26T08:45:00.000Z");
    expect(inCooldown(new Date(now.getTime() - 30 * MINUTE), now, 60)).toBe(true);
    expect(inCooldown(new Date(now.getTime() - 61 * MINUTE), now, 60)).toBe(false);
    expect(inCooldown(null, now, 60)).toBe(false);
  });
});
