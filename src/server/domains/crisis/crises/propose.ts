import { and, desc, eq, isNull } from "drizzle-orm";
import type { CrisisScenario } from "../../../../contracts/crisis-plans";
import type { Ctx } from "../../../context";
import type { listeningAlerts } from "../../listening/listening.schema";
import { crisisPlans } from "../crisis.schema";

type AlertRow = typeof listeningAlerts.$inferSelect;
export type Proposal = { scenario: CrisisScenario; severityLevel: number; planId: string | null; basis: string };

/**
 * The scenario and severity proposed from a listening alert, by the alert's kind (domain notes §4): a spike of
 * ten times the usual or more is SEV1, a spike or a negative turn a viral complaint at SEV2, an impostor SEV3, a
 * keyword SEV3. The plan is the workspace's plan for that scenario. (To be replaced by the plans part's
 * `proposePlan`, which reads each plan's triggers.)
 */
export async function proposeFromAlert(tx: Ctx, workspaceId: string, alert: AlertRow): Promise<Proposal> {
  const facts = (alert.evidence as { facts?: { evidence?: { ratio?: unknown } } }).facts;
  const ratio = Number(facts?.evidence?.ratio ?? 0);
  const byKind: Record<string, { scenario: CrisisScenario; severityLevel: number }> = {
    spike: { scenario: "viral_complaint", severityLevel: ratio >= 10 ? 1 : 2 },
    negative_turn: { scenario: "viral_complaint", severityLevel: 2 },
    impostor: { scenario: "impostor_scam", severityLevel: 3 },
    keyword: { scenario: "custom", severityLevel: 3 },
  };
  const picked = byKind[alert.kind] ?? { scenario: "custom" as const, severityLevel: 3 };
  const [plan] = await tx.db
    .select({ id: crisisPlans.id })
    .from(crisisPlans)
    .where(and(eq(crisisPlans.workspaceId, workspaceId), eq(crisisPlans.scenario, picked.scenario), isNull(crisisPlans.archivedAt)))
    .orderBy(desc(crisisPlans.updatedAt))
    .limit(1);
  return { ...picked, planId: plan?.id ?? null, basis: `alert_kind:${alert.kind}` };
}
