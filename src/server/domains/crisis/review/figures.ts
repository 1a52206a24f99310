import type { ReviewFigures } from "../../../../contracts/crisis-review";

/**
 * The review's figures, computed from a crisis's recorded timeline and nothing else: a pure function, so the same
 * record always gives the same figures (tested with hand-made timelines in figures.test.ts). The caller loads the
 * record (draft-review.ts); this file never reads the database or the clock.
 */

export type RecordedEvent = {
  id: string;
  type: string;
  occurredAt: Date;
  actorLabel: string;
  text: string;
  data: Record<string, unknown>;
  pinned: boolean;
};

export type RecordedStatement = {
  id: string;
  kind: string;
  locale: string;
  status: string;
  approverId: string | null;
  backupApproverId: string | null;
  submittedAt: Date | null;
  escalatedAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  publishedAt: Date | null;
};

export type RecordedTask = { status: string; dueAt: Date | null; doneAt: Date | null; source: string };

export type MinuteCount = { minute: Date; total: number; negative: number };

export type CrisisRecord = {
  /** The status the crisis started in (triage or active). */
  initialStatus: string;
  /** The mentions behind the alert started here (the alert's window start). */
  firstSignalAt: Date | null;
  /** The alert was raised (the crisis's detectedAt). */
  detectedAt: Date | null;
  declaredAt: Date;
  firstPublicResponseAt: Date | null;
  /** Closed, cancelled or merged; null while it runs. */
  endedAt: Date | null;
  internalUpdateMinutes: number | null;
  publicUpdateMinutes: number | null;
  events: RecordedEvent[];
  statements: RecordedStatement[];
  heldPostDecisions: string[];
  /** Internal status updates' times. */
  statusUpdateTimes: Date[];
  tasks: RecordedTask[];
  /** Minute counts of the streams watched (summed over streams), from 7 days before the first signal to 7 days after the end. */
  volume: { streamIds: string[]; minutes: MinuteCount[] } | null;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WEEK = 7 * 24 * HOUR;

/** Minutes from a to b, one decimal; null when either is missing. */
export function minutesBetween(a: Date | null | undefined, b: Date | null | undefined): number | null {
  if (!a || !b) return null;
  return Math.round((b.getTime() - a.getTime()) / MINUTE * 10) / 10;
}

const share = (negative: number, total: number) => (total > 0 ? Math.round((negative / total) * 1000) / 1000 : null);
const perHour = (count: number, ms: number) => (ms > 0 ? Math.round((count / (ms / HOUR)) * 10) / 10 : 0);

/** Where a status_changed event says the crisis went (the lifecycle writes `to`). */
function statusAfter(event: RecordedEvent): string | null {
  const to = event.data.to ?? event.data.status;
  return typeof to === "string" ? to : null;
}

function stateMinutes(record: CrisisRecord, end: Date): ReviewFigures["stateMinutes"] {
  const totals = { triage: 0, active: 0, stable: 0 };
  const changes = record.events
    .filter((e) => e.type === "status_changed" && statusAfter(e))
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  let status = record.initialStatus;
  let since = record.declaredAt;
  const add = (until: Date) => {
    if (status in totals) totals[status as keyof typeof totals] += Math.max(0, until.getTime() - since.getTime());
  };
  for (const change of changes) {
    if (change.occurredAt > end) break;
    add(change.occurredAt);
    status = statusAfter(change)!;
    since = change.occurredAt;
  }
  add(end);
  return { triage: Math.round(totals.triage / MINUTE * 10) / 10, active: Math.round(totals.active / MINUTE * 10) / 10, stable: Math.round(totals.stable / MINUTE * 10) / 10 };
}

/**
 * Cadence: each gap — from `start` to the first update, between updates, from the last update to `end` — should be
 * no longer than the interval. A gap still running at `end` that is shorter than the interval is not counted as late.
 */
export function cadenceOf(times: Date[], start: Date | null, end: Date, intervalMinutes: number | null): ReviewFigures["cadence"]["internal"] {
  if (!intervalMinutes || !start) return null;
  const sorted = times.filter((t) => t >= start && t <= end).sort((a, b) => a.getTime() - b.getTime());
  const points = [start, ...sorted, end];
  let onTime = 0;
  let longest: number | null = null;
  for (let i = 1; i < points.length; i++) {
    const gap = (points[i].getTime() - points[i - 1].getTime()) / MINUTE;
    longest = longest === null ? gap : Math.max(longest, gap);
    if (gap <= intervalMinutes) onTime++;
  }
  const gaps = points.length - 1;
  return { intervalMinutes, sent: sorted.length, onTime, gaps, kept: onTime === gaps, longestGapMinutes: longest === null ? null : Math.round(longest * 10) / 10 };
}

function volumeFigures(record: CrisisRecord, start: Date, end: Date, now: Date): ReviewFigures["volume"] {
  if (!record.volume) return null;
  const { minutes, streamIds } = record.volume;
  const sum = (from: Date, to: Date) => {
    let total = 0;
    let negative = 0;
    for (const m of minutes) {
      if (m.minute >= from && m.minute < to) {
        total += m.total;
        negative += m.negative;
      }
    }
    return { total, negative };
  };
  const beforeFrom = new Date(start.getTime() - WEEK);
  const before = sum(beforeFrom, start);
  // The busiest hour: 60-minute windows starting at each minute that has mentions, within the crisis.
  let peak = { at: null as Date | null, total: 0, negative: 0 };
  for (const m of minutes) {
    if (m.minute < start || m.minute >= end) continue;
    const windowEnd = new Date(Math.min(m.minute.getTime() + HOUR, end.getTime()));
    const hour = sum(m.minute, windowEnd);
    if (hour.total > peak.total) peak = { at: m.minute, ...hour };
  }
  let after: { mentionsPerHour: number; negativeShare: number | null } | null = null;
  const afterTo = new Date(Math.min(end.getTime() + WEEK, now.getTime()));
  if (afterTo > end) {
    const counted = sum(end, afterTo);
    after = { mentionsPerHour: perHour(counted.total, afterTo.getTime() - end.getTime()), negativeShare: share(counted.negative, counted.total) };
  }
  return {
    streamIds,
    before: { mentionsPerHour: perHour(before.total, WEEK), negativeShare: share(before.negative, before.total) },
    peak: { at: peak.at?.toISOString() ?? null, mentionsPerHour: peak.total, negativeShare: share(peak.negative, peak.total) },
    after,
  };
}

/**
 * An event that paused publishing: the pause's own record (`posts_held`), or crisis mode started with a pause (`pause`
 * "all", a number of channels, or true) or switched to one (`part` "pause"). Crisis mode started without a pause
 * (`pause` "none": lock down only) or lock down switched on is not a pause.
 */
export function pausedPublishing(event: { type: string; data: Record<string, unknown> }): boolean {
  if (event.type === "posts_held") return true;
  if (event.type !== "crisis_mode_on") return false;
  const { pause, part } = event.data;
  return part === "pause" || pause === true || pause === "all" || (typeof pause === "number" && pause > 0);
}

/** The review's figures from a crisis's record, as of `now` (used only for a crisis still running and the "after" period). */
export function computeReviewFigures(record: CrisisRecord, now: Date): ReviewFigures {
  const end = record.endedAt ?? now;
  const events = [...record.events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());

  const firstPause = events.find(pausedPublishing);
  const publishedTimes = record.statements.filter((s) => s.publishedAt).map((s) => s.publishedAt!);
  const firstPublished = publishedTimes.length ? new Date(Math.min(...publishedTimes.map((t) => t.getTime()))) : null;
  const firstPublicResponseAt = record.firstPublicResponseAt ?? firstPublished;

  const statements = [...record.statements]
    .sort((a, b) => (a.submittedAt?.getTime() ?? Infinity) - (b.submittedAt?.getTime() ?? Infinity))
    .map((s) => {
      const decided = s.decidedAt && (s.status === "approved" || s.status === "published" || s.status === "rejected");
      return {
        id: s.id,
        kind: s.kind,
        locale: s.locale,
        status: s.status,
        submittedAt: s.submittedAt?.toISOString() ?? null,
        decidedAt: s.decidedAt?.toISOString() ?? null,
        publishedAt: s.publishedAt?.toISOString() ?? null,
        approvalMinutes: decided ? minutesBetween(s.submittedAt, s.decidedAt) : null,
        escalated: s.escalatedAt !== null,
        approvedByBackup: Boolean(s.decidedBy && s.backupApproverId && s.decidedBy === s.backupApproverId && s.status !== "rejected"),
      };
    });

  const held = { total: record.heldPostDecisions.length, resume: 0, reschedule: 0, edit: 0, discard: 0, pending: 0 };
  for (const decision of record.heldPostDecisions) {
    if (decision in held && decision !== "total") held[decision as keyof Omit<typeof held, "total">]++;
    else held.pending++;
  }

  const tasks = { total: 0, done: 0, overdueWhenDone: 0, open: 0 };
  for (const task of record.tasks) {
    if (task.source === "review") continue;
    tasks.total++;
    if (task.status === "done") {
      tasks.done++;
      if (task.dueAt && task.doneAt && task.doneAt > task.dueAt) tasks.overdueWhenDone++;
    } else if (task.status === "open") tasks.open++;
  }

  const keyMoments = events.filter((e) => e.pinned || e.type === "declared" || (e.type === "status_changed" && ["closed", "cancelled", "merged"].includes(statusAfter(e) ?? "")));

  return {
    computedAt: now.toISOString(),
    firstSignalAt: record.firstSignalAt?.toISOString() ?? null,
    detectedAt: record.detectedAt?.toISOString() ?? null,
    declaredAt: record.declaredAt.toISOString(),
    firstPublicResponseAt: firstPublicResponseAt?.toISOString() ?? null,
    endedAt: record.endedAt?.toISOString() ?? null,
    timeToDetectMinutes: minutesBetween(record.firstSignalAt, record.detectedAt),
    timeToDeclareMinutes: minutesBetween(record.detectedAt ?? record.firstSignalAt, record.declaredAt),
    timeToFirstPublicResponseMinutes: minutesBetween(record.declaredAt, firstPublicResponseAt),
    timeToPauseMinutes: minutesBetween(record.declaredAt, firstPause?.occurredAt),
    durationMinutes: minutesBetween(record.declaredAt, end) ?? 0,
    stateMinutes: stateMinutes(record, end),
    statements,
    heldPosts: held,
    volume: volumeFigures(record, record.firstSignalAt ?? record.detectedAt ?? record.declaredAt, end, now),
    cadence: {
      internal: cadenceOf(record.statusUpdateTimes, record.declaredAt, end, record.internalUpdateMinutes),
      public: cadenceOf(publishedTimes, firstPublicResponseAt, end, record.publicUpdateMinutes),
    },
    tasks,
    timeline: keyMoments.map((e) => ({ eventId: e.id, at: e.occurredAt.toISOString(), type: e.type, actorLabel: e.actorLabel, text: e.text, data: e.data })),
  };
}
