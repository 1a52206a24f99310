import { eq, sql } from "drizzle-orm";
import type { CrisisPlanContent } from "../../../../contracts/crisis-plans";
import { inTransaction, unsafeSystemCtx, type Ctx, type Services } from "../../../context";
import { crises, crisisPlans, crisisPlanVersions, crisisRoles, crisisSeverities } from "../crisis.schema";

/**
 * Test data for the review and drill tests: a severity, a plan (lead with a backup), and crisis rows inserted as the
 * lifecycle stores them. Only tests import this file.
 */
export async function reviewFixture(services: Services, workspaceId: string, people: { lead: string; backup: string }) {
  const system = unsafeSystemCtx(services, "test", workspaceId);
  return inTransaction(system, async (tx) => {
    await tx.db
      .insert(crisisSeverities)
      .values({ workspaceId, level: 2, name: "SEV2", approverRole: "lead", internalUpdateMinutes: 30, publicUpdateMinutes: 60, approvalDeadlineMinutes: 15 })
      .onConflictDoNothing();
    const content: CrisisPlanContent = {
      description: "Complaints spread fast",
      defaultSeverity: 2,
      roles: [{ role: "lead", holderId: people.lead, backupId: people.backup }],
      checklist: [{ id: "pause", title: "Pause the calendar", role: "lead", dueMinutes: 5, kind: "publishing" }],
      statements: [],
      stakeholders: [],
      triggers: { streamIds: [], alertKinds: ["spike"] },
      crisisMode: { pause: "all", lockdown: true, secure: false, notify: false },
    };
    const [plan] = await tx.db.insert(crisisPlans).values({ workspaceId, scenario: "viral_complaint", name: "Viral complaint" }).returning();
    await tx.db.insert(crisisPlanVersions).values({ planId: plan.id, version: 1, content });
    return { plan, content };
  });
}

/** A crisis row as the lifecycle stores it, with its lead and backup; `declaredAt` is the services' clock. */
export async function insertCrisis(
  tx: Ctx,
  input: { workspaceId: string; planId: string | null; declaredBy: string; lead: string; backup: string; status?: string; isDrill?: boolean; detectedAt?: Date | null; originKind?: string },
) {
  const [{ next }] = await tx.db.select({ next: sql<number>`coalesce(max(${crises.number}), 0) + 1` }).from(crises).where(eq(crises.workspaceId, input.workspaceId));
  const now = tx.now();
  const [crisis] = await tx.db
    .insert(crises)
    .values({
      workspaceId: input.workspaceId,
      number: Number(next),
      title: "Mouldy beans complaint",
      planId: input.planId,
      planVersion: input.planId ? 1 : null,
      scenario: "viral_complaint",
      severityLevel: 2,
      status: input.status ?? "triage",
      isDrill: input.isDrill ?? false,
      originKind: input.originKind ?? "manual",
      declaredBy: input.declaredBy,
      detectedAt: input.detectedAt ?? null,
      declaredAt: now,
      activatedAt: input.status === "active" ? now : null,
    })
    .returning();
  await tx.db.insert(crisisRoles).values([
    { crisisId: crisis.id, role: "lead", userId: input.lead, isBackup: false, assumedAt: now },
    { crisisId: crisis.id, role: "lead", userId: input.backup, isBackup: true, assumedAt: now },
  ]);
  return crisis;
}

