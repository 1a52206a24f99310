import type { CrisisPlanContent } from "../../src/contracts/crisis-plans";
import type { Services } from "../../src/server/context";
import { listeningAlerts } from "../../src/server/domains/listening/listening.schema";
import { crisisPlans, crisisPlanVersions } from "../../src/server/domains/crisis/crisis.schema";

/** A plan written straight into the tables (the plans part's API is separate): content checked by its contract. */
export async function insertPlan(services: Services, workspaceId: string, scenario: string, content: Partial<CrisisPlanContent> = {}) {
  const full: CrisisPlanContent = {
    description: "",
    defaultSeverity: 2,
    roles: [],
    checklist: [],
    statements: [],
    stakeholders: [],
    triggers: { streamIds: [], alertKinds: [] },
    crisisMode: { pause: "none", lockdown: false, secure: false, notify: false },
    ...content,
  };
  const [plan] = await services.database.db.insert(crisisPlans).values({ workspaceId, scenario, name: `Plan ${scenario}`, currentVersion: 1 }).returning();
  await services.database.db.insert(crisisPlanVersions).values({ planId: plan.id, version: 1, content: full });
  return plan;
}

/** A listening alert as the judging job raises it (a spike `ratio` times the usual). */
export async function insertAlert(services: Services, workspaceId: string, input: { kind: string; ratio?: number; raisedAt: Date; title?: string }) {
  const [alert] = await services.database.db
    .insert(listeningAlerts)
    .values({
      workspaceId,
      kind: input.kind,
      title: input.title ?? "Mentions of Emberoak jumped",
      evidence: { facts: { kind: input.kind, evidence: { ratio: input.ratio ?? 4 } } },
      windowStart: new Date(input.raisedAt.getTime() - 15 * 60_000),
      windowEnd: input.raisedAt,
      raisedAt: input.raisedAt,
    })
    .returning();
  return alert;
}
