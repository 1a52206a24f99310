import type { DrillInject, DrillScore, ReviewFigures } from "../../../../contracts/crisis-review";
import { pausedPublishing } from "../review/figures";

/** The drill's targets (minutes): declared within 10 of the start, paused within 5 of declaring, holding statement approved within 30. */
export const DRILL_TARGETS = { declared: 10, paused: 5, holding_approved: 30 } as const;

type Event = { id: string; type: string; occurredAt: Date; data: Record<string, unknown> };

const minutes = (from: Date, to: Date) => Math.round(((to.getTime() - from.getTime()) / 60_000) * 10) / 10;

/**
 * A drill's score from its crisis's recorded timeline (a pure function: figures.test-like tests in score.test.ts):
 * declared within 10 minutes of the drill's start, publishing paused within 5 of declaring, a holding statement
 * approved within 30 of declaring, the internal update cadence kept, and the backup approver used when the approver
 * was unreachable (an inject) or a deadline passed. Each criterion names the events it was judged on.
 */
export function scoreDrill(input: { startedAt: Date; injects: DrillInject[]; declaredAt: Date | null; figures: ReviewFigures | null; events: Event[] }): DrillScore {
  const { figures, events, declaredAt } = input;
  const ids = (type: string) => events.filter((e) => e.type === type).map((e) => e.id);
  const criteria: DrillScore["criteria"] = [];

  if (!declaredAt || !figures) {
    criteria.push({ criterion: "declared", result: "missed", targetMinutes: DRILL_TARGETS.declared, minutes: null, evidenceEventIds: [] });
    for (const criterion of ["paused", "holding_approved"] as const) criteria.push({ criterion, result: "missed", targetMinutes: DRILL_TARGETS[criterion], minutes: null, evidenceEventIds: [] });
    criteria.push({ criterion: "cadence_kept", result: "missed", targetMinutes: null, minutes: null, evidenceEventIds: [] });
    criteria.push({ criterion: "backup_used", result: "not_applicable", targetMinutes: null, minutes: null, evidenceEventIds: [] });
  } else {
    const declared = minutes(input.startedAt, declaredAt);
    criteria.push({ criterion: "declared", result: declared <= DRILL_TARGETS.declared ? "met" : "missed", targetMinutes: DRILL_TARGETS.declared, minutes: declared, evidenceEventIds: ids("declared") });

    const paused = figures.timeToPauseMinutes;
    const pauseEvents = events.filter(pausedPublishing).map((e) => e.id);
    criteria.push({ criterion: "paused", result: paused !== null && paused <= DRILL_TARGETS.paused ? "met" : "missed", targetMinutes: DRILL_TARGETS.paused, minutes: paused, evidenceEventIds: pauseEvents.slice(0, 1) });

    const holding = figures.statements
      .filter((s) => s.kind === "holding" && s.decidedAt && (s.status === "approved" || s.status === "published"))
      .sort((a, b) => a.decidedAt!.localeCompare(b.decidedAt!))[0];
    const approvedAfter = holding ? minutes(declaredAt, new Date(holding.decidedAt!)) : null;
    criteria.push({
      criterion: "holding_approved",
      result: approvedAfter !== null && approvedAfter <= DRILL_TARGETS.holding_approved ? "met" : "missed",
      targetMinutes: DRILL_TARGETS.holding_approved,
      minutes: approvedAfter,
      evidenceEventIds: holding ? events.filter((e) => e.type === "statement_approved" && e.data.statementId === holding.id).map((e) => e.id) : [],
    });

    const cadence = figures.cadence.internal;
    criteria.push({
      criterion: "cadence_kept",
      result: !cadence ? "not_applicable" : cadence.kept ? "met" : "missed",
      targetMinutes: cadence?.intervalMinutes ?? null,
      minutes: cadence?.longestGapMinutes ?? null,
      evidenceEventIds: ids("status_update"),
    });

    const unreachable = input.injects.some((i) => i.kind === "approver_unreachable" && i.deliveredAt);
    const escalated = figures.statements.some((s) => s.escalated);
    const byBackup = figures.statements.some((s) => s.approvedByBackup);
    criteria.push({
      criterion: "backup_used",
      result: byBackup ? "met" : unreachable || escalated ? "missed" : "not_applicable",
      targetMinutes: null,
      minutes: null,
      evidenceEventIds: [...ids("statement_escalated"), ...(byBackup ? ids("statement_approved") : [])],
    });
  }
  const applicable = criteria.filter((c) => c.result !== "not_applicable").length;
  return { criteria, met: criteria.filter((c) => c.result === "met").length, applicable };
}
