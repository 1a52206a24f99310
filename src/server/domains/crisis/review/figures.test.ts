import { describe, expect, it } from "vitest";
import { cadenceOf, computeReviewFigures, type CrisisRecord, type RecordedEvent } from "./figures";

const T0 = new Date("2026-03-02T09:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
let n = 0;
const event = (minutes: number, type: string, data: Record<string, unknown> = {}, pinned = false): RecordedEvent => ({
  id: `e${++n}`,
  type,
  occurredAt: at(minutes),
  actorLabel: "Mara",
  text: "",
  data,
  pinned,
});

/**
 * A recorded crisis: the mentions start at 09:00, the alert fires at 09:06, it is declared at 09:10 in triage, active
 * at 09:15, publishing paused at 09:13, a holding statement submitted at 09:20 and approved by the backup at 09:45
 * after the deadline passed, published at 09:47; stable at 10:30, closed at 11:10.
 */
function record(overrides: Partial<CrisisRecord> = {}): CrisisRecord {
  return {
    initialStatus: "triage",
    firstSignalAt: at(0),
    detectedAt: at(6),
    declaredAt: at(10),
    firstPublicResponseAt: at(47),
    endedAt: at(130),
    internalUpdateMinutes: 30,
    publicUpdateMinutes: 60,
    events: [
      event(10, "declared", { status: "triage" }),
      event(13, "crisis_mode_on", { pause: true, lockdown: true }, true),
      event(13, "posts_held", { count: 3 }),
      event(15, "status_changed", { from: "triage", to: "active" }),
      event(47, "statement_published", { statementId: "s1" }, true),
      event(90, "status_changed", { from: "active", to: "stable" }),
      event(100, "note", {}, false),
      event(130, "status_changed", { from: "stable", to: "closed" }),
    ],
    statements: [
      {
        id: "s1", kind: "holding", locale: "en", status: "published", approverId: "u-lead", backupApproverId: "u-backup",
        submittedAt: at(20), escalatedAt: at(35), decidedBy: "u-backup", decidedAt: at(45), publishedAt: at(47),
      },
      {
        id: "s2", kind: "update", locale: "de", status: "rejected", approverId: "u-lead", backupApproverId: "u-backup",
        submittedAt: at(60), escalatedAt: null, decidedBy: "u-lead", decidedAt: at(64), publishedAt: null,
      },
      {
        id: "s3", kind: "update", locale: "en", status: "in_review", approverId: "u-lead", backupApproverId: "u-backup",
        submittedAt: at(100), escalatedAt: null, decidedBy: null, decidedAt: null, publishedAt: null,
      },
    ],
    heldPostDecisions: ["resume", "discard", "reschedule"],
    statusUpdateTimes: [at(30), at(55), at(85), at(110)],
    tasks: [
      { source: "plan", status: "done", dueAt: at(20), doneAt: at(18) },
      { source: "plan", status: "done", dueAt: at(25), doneAt: at(40) },
      { source: "ad_hoc", status: "open", dueAt: null, doneAt: null },
      { source: "review", status: "open", dueAt: null, doneAt: null },
    ],
    volume: null,
    ...overrides,
  };
}

describe("the review's figures from a recorded timeline", () => {
  it("computes the times to detect, declare, pause and first public response, and the duration", () => {
    const figures = computeReviewFigures(record(), at(200));
    expect(figures.timeToDetectMinutes).toBe(6);
    expect(figures.timeToDeclareMinutes).toBe(4);
    expect(figures.timeToPauseMinutes).toBe(3);
    expect(figures.timeToFirstPublicResponseMinutes).toBe(37);
    expect(figures.durationMinutes).toBe(120);
    expect(figures.endedAt).toBe(at(130).toISOString());
  });

  it("counts as the pause only crisis mode that paused: not one started with lock down only, nor lock down switched on", () => {
    const events = [
      event(10, "declared", { status: "active" }),
      event(10, "crisis_mode_on", { pause: "none", lockdown: true, automatic: true }, true),
      event(11, "crisis_mode_on", { part: "lockdown" }),
      event(12, "crisis_mode_on", { part: "pause" }),
      event(12, "posts_held", { count: 2 }),
    ];
    expect(computeReviewFigures(record({ events }), at(200)).timeToPauseMinutes).toBe(2);
    expect(computeReviewFigures(record({ events: events.slice(0, 3) }), at(200)).timeToPauseMinutes).toBeNull();
    expect(computeReviewFigures(record({ events: [event(10, "declared"), event(14, "crisis_mode_on", { pause: 2, lockdown: false })] }), at(200)).timeToPauseMinutes).toBe(4);
  });

  it("adds up the time spent in each state from the status changes", () => {
    expect(computeReviewFigures(record(), at(200)).stateMinutes).toEqual({ triage: 5, active: 75, stable: 40 });
  });

  it("counts a crisis still running up to now", () => {
    const figures = computeReviewFigures(record({ endedAt: null, events: record().events.slice(0, 6) }), at(100));
    expect(figures.durationMinutes).toBe(90);
    expect(figures.stateMinutes).toEqual({ triage: 5, active: 75, stable: 10 });
    expect(figures.endedAt).toBeNull();
  });

  it("gives each statement its approval time, and says when the backup approved after an escalation", () => {
    const { statements } = computeReviewFigures(record(), at(200));
    expect(statements.map((s) => [s.id, s.approvalMinutes, s.escalated, s.approvedByBackup])).toEqual([
      ["s1", 25, true, true],
      ["s2", 4, false, false],
      ["s3", null, false, false],
    ]);
  });

  it("says what became of the posts held", () => {
    expect(computeReviewFigures(record({ heldPostDecisions: ["resume", "discard", "discard", "pending", "edit"] }), at(200)).heldPosts).toEqual({
      total: 5, resume: 1, reschedule: 0, edit: 1, discard: 2, pending: 1,
    });
  });

  it("checks the internal cadence: every gap within the interval, and reports the longest", () => {
    const { internal } = computeReviewFigures(record(), at(200)).cadence;
    // 10 → 30 → 55 → 85 → 110 → 130: gaps 20, 25, 30, 25, 20.
    expect(internal).toEqual({ intervalMinutes: 30, sent: 4, onTime: 5, gaps: 5, kept: true, longestGapMinutes: 30 });
    const late = computeReviewFigures(record({ statusUpdateTimes: [at(30), at(85)] }), at(200)).cadence.internal!;
    expect(late.kept).toBe(false);
    expect(late.onTime).toBe(1); // 10 → 30 kept; 30 → 85 and 85 → 130 late
    expect(late.longestGapMinutes).toBe(55);
  });

  it("checks the public cadence from the first public response", () => {
    const { public: pub } = computeReviewFigures(record(), at(200)).cadence;
    // 47 (first response) → 130 (closed): one gap of 83 minutes against 60.
    expect(pub).toMatchObject({ intervalMinutes: 60, sent: 1, kept: false, longestGapMinutes: 83 });
    expect(computeReviewFigures(record({ publicUpdateMinutes: null }), at(200)).cadence.public).toBeNull();
  });

  it("counts the tasks of the response, not the review's action items", () => {
    expect(computeReviewFigures(record(), at(200)).tasks).toEqual({ total: 3, done: 2, overdueWhenDone: 1, open: 1 });
  });

  it("keeps the pinned moments, the declaration and the close as the review's timeline, oldest first", () => {
    const types = computeReviewFigures(record(), at(200)).timeline.map((m) => [m.type, m.at]);
    expect(types).toEqual([
      ["declared", at(10).toISOString()],
      ["crisis_mode_on", at(13).toISOString()],
      ["statement_published", at(47).toISOString()],
      ["status_changed", at(130).toISOString()],
    ]);
  });

  it("compares volume and negative share before, at the peak and after", () => {
    const minutes = [
      // A quiet week before: 2 mentions an hour, 1 in 4 negative over the week (336 mentions, 84 negative).
      ...Array.from({ length: 168 }, (_, h) => ({ minute: new Date(T0.getTime() - (h + 1) * 3_600_000), total: 2, negative: h % 2 === 0 ? 1 : 0 })),
      // The crisis: 20 in the first minutes, 90 between 09:30 and 10:29 (60 negative), then fewer.
      { minute: at(1), total: 20, negative: 15 },
      { minute: at(30), total: 50, negative: 40 },
      { minute: at(75), total: 40, negative: 20 },
      { minute: at(100), total: 10, negative: 2 },
      // After the close (11:10), 70 minutes until now (12:20): 7 mentions, 1 negative.
      { minute: at(140), total: 7, negative: 1 },
    ];
    const figures = computeReviewFigures(record({ volume: { streamIds: ["st1"], minutes } }), at(200));
    expect(figures.volume).toEqual({
      streamIds: ["st1"],
      before: { mentionsPerHour: 2, negativeShare: 0.25 },
      peak: { at: at(30).toISOString(), mentionsPerHour: 90, negativeShare: 0.667 },
      after: { mentionsPerHour: 6, negativeShare: 0.143 },
    });
  });

  it("has no figure where the timeline has no fact: no alert, no statement, no cadence", () => {
    const figures = computeReviewFigures(
      record({ firstSignalAt: null, detectedAt: null, firstPublicResponseAt: null, statements: [], internalUpdateMinutes: null, events: [event(10, "declared")] }),
      at(200),
    );
    expect(figures.timeToDetectMinutes).toBeNull();
    expect(figures.timeToDeclareMinutes).toBeNull();
    expect(figures.timeToFirstPublicResponseMinutes).toBeNull();
    expect(figures.timeToPauseMinutes).toBeNull();
    expect(figures.cadence).toEqual({ internal: null, public: null });
  });

  it("cadence: no updates at all over a long crisis is one late gap", () => {
    expect(cadenceOf([], at(0), at(120), 30)).toEqual({ intervalMinutes: 30, sent: 0, onTime: 0, gaps: 1, kept: false, longestGapMinutes: 120 });
  });
});
