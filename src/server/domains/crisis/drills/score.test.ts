import { describe, expect, it } from "vitest";
import { computeReviewFigures, type CrisisRecord } from "../review/figures";
import { scoreDrill } from "./score";

const T0 = new Date("2026-03-02T09:00:00Z");
const at = (m: number) => new Date(T0.getTime() + m * 60_000);
const ev = (id: string, m: number, type: string, data: Record<string, unknown> = {}) => ({ id, type, occurredAt: at(m), actorLabel: "x", text: "", data, pinned: false });

/** A drill started at 09:00; the crisis declared at `declared`; paused, a holding statement approved (by whom), updates. */
function drillRecord(o: { declared: number; paused: number | null; approved: number | null; byBackup: boolean; escalated: boolean; updates: number[] }) {
  const events = [ev("d", o.declared, "declared", { status: "active" })];
  if (o.paused !== null) events.push(ev("p", o.paused, "crisis_mode_on", { pause: true }));
  if (o.escalated) events.push(ev("esc", o.declared + 16, "statement_escalated", { statementId: "s1" }));
  if (o.approved !== null) events.push(ev("a", o.approved, "statement_approved", { statementId: "s1" }));
  for (const [i, m] of o.updates.entries()) events.push(ev(`u${i}`, m, "status_update"));
  const record: CrisisRecord = {
    initialStatus: "active", firstSignalAt: null, detectedAt: null, declaredAt: at(o.declared), firstPublicResponseAt: null, endedAt: at(o.declared + 60),
    internalUpdateMinutes: 30, publicUpdateMinutes: null, events,
    statements: o.approved === null ? [] : [{
      id: "s1", kind: "holding", locale: "en", status: "approved", approverId: "lead", backupApproverId: "backup",
      submittedAt: at(o.declared + 1), escalatedAt: o.escalated ? at(o.declared + 16) : null, decidedBy: o.byBackup ? "backup" : "lead", decidedAt: at(o.approved), publishedAt: null,
    }],
    heldPostDecisions: [], statusUpdateTimes: o.updates.map(at), tasks: [], volume: null,
  };
  return { figures: computeReviewFigures(record, at(200)), events, declaredAt: at(o.declared) };
}

const results = (score: ReturnType<typeof scoreDrill>) => Object.fromEntries(score.criteria.map((c) => [c.criterion, [c.result, c.minutes]]));

describe("a drill's score from its timeline", () => {
  it("meets every target: declared in 8, paused 3 after, holding statement approved by the backup 25 after, updates every 30", () => {
    const r = drillRecord({ declared: 8, paused: 11, approved: 33, byBackup: true, escalated: true, updates: [38, 68] });
    const score = scoreDrill({ startedAt: T0, injects: [{ atMinute: 5, kind: "approver_unreachable", deliveredAt: at(5).toISOString() }], ...r });
    expect(results(score)).toEqual({
      declared: ["met", 8], paused: ["met", 3], holding_approved: ["met", 25], cadence_kept: ["met", 30], backup_used: ["met", null],
    });
    expect(score).toMatchObject({ met: 5, applicable: 5 });
    expect(score.criteria.find((c) => c.criterion === "paused")!.evidenceEventIds).toEqual(["p"]);
    expect(score.criteria.find((c) => c.criterion === "backup_used")!.evidenceEventIds).toEqual(["esc", "a"]);
  });

  it("misses the targets it misses: declared after 12, paused after 9, approved after 41 by the approver though they were said unreachable, one update late", () => {
    const r = drillRecord({ declared: 12, paused: 21, approved: 53, byBackup: false, escalated: false, updates: [60] });
    const score = scoreDrill({ startedAt: T0, injects: [{ atMinute: 5, kind: "approver_unreachable", deliveredAt: at(5).toISOString() }], ...r });
    expect(results(score)).toEqual({
      declared: ["missed", 12], paused: ["missed", 9], holding_approved: ["missed", 41], cadence_kept: ["missed", 48], backup_used: ["missed", null],
    });
    expect(score).toMatchObject({ met: 0, applicable: 5 });
  });

  it("the backup is not needed when nobody was unreachable and no deadline passed", () => {
    const r = drillRecord({ declared: 2, paused: null, approved: 10, byBackup: false, escalated: false, updates: [20, 45] });
    const score = scoreDrill({ startedAt: T0, injects: [], ...r });
    expect(results(score).backup_used).toEqual(["not_applicable", null]);
    expect(results(score).paused).toEqual(["missed", null]);
    expect(score.applicable).toBe(4);
  });

  it("a drill never declared misses everything it can", () => {
    const score = scoreDrill({ startedAt: T0, injects: [], declaredAt: null, figures: null, events: [] });
    expect(score).toMatchObject({ met: 0, applicable: 4 });
  });
});
