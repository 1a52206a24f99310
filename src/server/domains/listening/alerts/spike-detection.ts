/**
 * Spike and negative-turn detection on a stream's per-minute counts.
 *
 * The baseline "knows the hour of the week": a Monday 09:00 is compared with earlier Mondays around 09:00, not with
 * Sunday night. It is robust to outliers: the median and the median absolute deviation (MAD) of those earlier
 * windows, so one past crisis does not raise the bar for the next. Until a stream has two weeks of history, the
 * windows of the last day stand in (the evidence says which baseline was used).
 */

export type Sensitivity = "low" | "medium" | "high";

/** One minute of a stream: how many mentions, how many of them negative. */
export type MinuteCount = { minute: Date; total: number; negative: number };

/** What a level asks before it calls a window a spike (robust z-score, ratio to the baseline, a floor of mentions). */
export const SENSITIVITY: Record<Sensitivity, { z: number; ratio: number; minimum: number; negativeShareRise: number }> = {
  high: { z: 3, ratio: 1.5, minimum: 5, negativeShareRise: 0.15 },
  medium: { z: 5, ratio: 2, minimum: 10, negativeShareRise: 0.2 },
  low: { z: 8, ratio: 3, minimum: 20, negativeShareRise: 0.3 },
};

export const WINDOW_MINUTES = 15;
const WEEK_MINUTES = 7 * 24 * 60;
const WEEKS_BACK = 4;
/** For each earlier week, windows this many minutes around the same time (more samples, same hour of the week). */
const OFFSETS = [-60, -30, 0, 30, 60];
const MIN_WEEKLY_SAMPLES = 8;
/** MAD × this estimates the standard deviation of a normal distribution. */
const MAD_TO_SIGMA = 1.4826;

export type Baseline = { kind: "hour_of_week" | "last_day"; samples: number; median: number; mad: number; negativeShare: number };

export type SpikeVerdict = {
  window: { start: Date; end: Date; total: number; negative: number };
  baseline: Baseline;
  /** How many robust standard deviations above the baseline's median the window is. */
  score: number;
  ratio: number;
  spike: boolean;
  negativeShare: number;
  negativeTurn: boolean;
};

/**
 * Judges the window of `WINDOW_MINUTES` ending at `now` against the stream's history (`counts`: minutes with at
 * least one mention; missing minutes count as zero).
 */
export function judgeWindow(counts: MinuteCount[], now: Date, sensitivity: Sensitivity): SpikeVerdict {
  const level = SENSITIVITY[sensitivity];
  const byMinute = new Map<number, MinuteCount>();
  for (const count of counts) byMinute.set(minuteIndex(count.minute), count);
  const end = minuteIndex(now);
  const windowAt = (endMinute: number) => {
    let total = 0;
    let negative = 0;
    for (let m = endMinute - WINDOW_MINUTES; m < endMinute; m++) {
      const count = byMinute.get(m);
      if (count) {
        total += count.total;
        negative += count.negative;
      }
    }
    return { total, negative };
  };

  const current = windowAt(end);
  const earliest = counts.length ? Math.min(...byMinute.keys()) : end;
  const weekly: { total: number; negative: number }[] = [];
  for (let week = 1; week <= WEEKS_BACK; week++) {
    for (const offset of OFFSETS) {
      const at = end - week * WEEK_MINUTES + offset;
      if (at - WINDOW_MINUTES >= earliest) weekly.push(windowAt(at));
    }
  }
  let kind: Baseline["kind"] = "hour_of_week";
  let samples = weekly;
  if (weekly.length < MIN_WEEKLY_SAMPLES) {
    kind = "last_day";
    samples = [];
    // The day before the window, in steps of one window, skipping the hour just before it (a spike building up
    // should not become its own baseline).
    for (let at = end - 60; at > end - 24 * 60; at -= WINDOW_MINUTES) if (at - WINDOW_MINUTES >= earliest) samples.push(windowAt(at));
  }

  const totals = samples.map((s) => s.total);
  const median = medianOf(totals);
  const mad = medianOf(totals.map((t) => Math.abs(t - median)));
  const sampleTotal = samples.reduce((sum, s) => sum + s.total, 0);
  const negativeBase = sampleTotal ? samples.reduce((sum, s) => sum + s.negative, 0) / sampleTotal : 0;
  // A baseline of mostly empty windows has MAD 0: one mention would be "infinitely" unusual. A Poisson-like floor
  // (√median, at least 1) keeps the score meaningful at low volumes.
  const sigma = Math.max(MAD_TO_SIGMA * mad, Math.sqrt(median), 1);
  const score = samples.length ? (current.total - median) / sigma : 0;
  const ratio = current.total / Math.max(median, 1);
  const spike = samples.length > 0 && current.total >= level.minimum && score >= level.z && ratio >= level.ratio;
  const negativeShare = current.total ? current.negative / current.total : 0;
  const negativeTurn = samples.length > 0 && current.negative >= level.minimum && negativeShare - negativeBase >= level.negativeShareRise;

  return {
    window: { start: fromMinuteIndex(end - WINDOW_MINUTES), end: fromMinuteIndex(end), ...current },
    baseline: { kind, samples: samples.length, median, mad, negativeShare: negativeBase },
    score,
    ratio,
    spike,
    negativeShare,
    negativeTurn,
  };
}

/** The history `judgeWindow` reads for a window ending at `now`: from this minute on. */
export function historyStart(now: Date): Date {
  return fromMinuteIndex(minuteIndex(now) - WEEKS_BACK * WEEK_MINUTES + Math.min(...OFFSETS) - WINDOW_MINUTES);
}

/** True when an alert of the same kind was raised on the stream less than `cooldownMinutes` ago. */
export function inCooldown(lastRaisedAt: Date | null, now: Date, cooldownMinutes: number): boolean {
  return lastRaisedAt !== null && now.getTime() - lastRaisedAt.getTime() < cooldownMinutes * 60_000;
}

const minuteIndex = (date: Date) => Math.floor(date.getTime() / 60_000);
const fromMinuteIndex = (index: number) => new Date(index * 60_000);

function medianOf(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
