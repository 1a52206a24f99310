import type { CrisisScenario } from "../../../../contracts/crisis-plans";
import type { Ctx } from "../../../context";
import type { listeningAlerts } from "../../listening/listening.schema";
import { proposePlan } from "../plans";

type AlertRow = typeof listeningAlerts.$inferSelect;
export type Proposal = { scenario: CrisisScenario; severityLevel: number; planId: string | null; basis: string };

/**
 * The scenario, severity and plan proposed from a listening alert: the plan whose triggers match it (or the usual
 * plan for the alert's kind) through the plans part's `proposePlan`, with that plan's default severity. Without a
 * plan, by the alert's kind (domain notes §4): a spike of ten times the usual or more is SEV1, a spike or a negative
 * turn a viral complaint at SEV2, an impostor SEV3, a keyword SEV3.
 */
export async function proposeFromAlert(tx: Ctx, workspaceId: string, alert: AlertRow): Promise<Proposal> {
  const plan = await proposePlan(tx, workspaceId, { kind: alert.kind, streamId: alert.streamId });
  if (plan) return { scenario: plan.scenario, severityLevel: plan.severityLevel, planId: plan.planId, basis: `plan:${plan.reason}` };
  const facts = (alert.evidence as { facts?: { evidence?: { ratio?: unknown } } }).facts;
  const ratio = Number(facts?.evidence?.ratio ?? 0);
  const byKind: Record<string, { scenario: CrisisScenario; severityLevel: number }> = {
    spike: { scenario: "viral_complaint", severityLevel: ratio >= 10 ? 1 : 2 },
    negative_turn: { scenario: "viral_complaint", severityLevel: 2 },
    impostor: { scenario: "impostor_scam", severityLevel: 3 },
    keyword: { scenario: "custom", severityLevel: 3 },
  };
  const picked = byKind[alert.kind] ?? { scenario: "custom" as const, severityLevel: 3 };
  return { ...picked, planId: null, basis: `alert_kind:${alert.kind}` };
}
