import { and, eq, sql } from "drizzle-orm";
import { CrisisPlanContent, type CrisisScenario } from "../../../../../contracts/crisis-plans";
import type { DeclareCrisisBody } from "../../../../../contracts/crises";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { invalidInput, notFound } from "../../../../errors";
import { listeningAlerts } from "../../../listening/listening.schema";
import { memberships, workspaces } from "../../../workspaces/workspaces.schema";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { crises, crisisPlans, crisisPlanVersions, crisisRoles } from "../../crisis.schema";
import { recordCrisisEvent } from "../../timeline";
import { activateFirstTime } from "../activation";
import { alertNotFound, originRefRequired } from "../crises.errors";
import { proposeFromAlert } from "../propose";
import { loadCrisis, presentCrisis, severityOf } from "../records";
import { startModeFromPlan } from "./crisis-mode";

export type DeclareInput = DeclareCrisisBody & {
  /** Set by the drills part: a drill crisis (acts on Sandbox channels only, never ends real sessions). */
  isDrill?: boolean;
  originKindOverride?: "drill";
};

/**
 * Declares a crisis: from a listening alert (scenario, severity and plan proposed from it; the alert is linked on
 * the timeline and its time is when the crisis was detected), from an inbox reference, or by hand. The plan's roles
 * (holder and backup) become the crisis team, with the declarer as lead when the plan names none. With `triage` it
 * starts quiet (no crisis mode, no notifications, no tasks); otherwise it is active at once: the plan's checklist
 * becomes tasks, update timers start, and a severity with automatic crisis mode starts it with the plan's defaults.
 */
export async function declareCrisis(ctx: Ctx, input: DeclareInput) {
  authorize(ctx.actor, "crisis.declare");
  const { workspaceId } = currentWorkspace(ctx);
  if (input.originKind === "alert" && !input.alertId) throw originRefRequired();
  if (input.originKind === "inbox" && !input.originRef) throw originRefRequired();
  return inTransaction(ctx, async (tx) => {
    const now = tx.now();
    // Numbers are per workspace: take the workspace row so two declarations never pick the same one.
    await tx.db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)).for("no key update");
    let alert: typeof listeningAlerts.$inferSelect | undefined;
    if (input.alertId) {
      [alert] = await tx.db.select().from(listeningAlerts).where(and(eq(listeningAlerts.id, input.alertId), eq(listeningAlerts.workspaceId, workspaceId)));
      if (!alert) throw alertNotFound();
    }
    const proposal = alert ? await proposeFromAlert(tx, workspaceId, alert) : null;
    const planId = input.planId ?? proposal?.planId ?? null;
    let plan: { id: string; version: number; scenario: string; content: CrisisPlanContent } | null = null;
    if (planId) {
      const [row] = await tx.db
        .select({ id: crisisPlans.id, version: crisisPlans.currentVersion, scenario: crisisPlans.scenario, content: crisisPlanVersions.content })
        .from(crisisPlans)
        .innerJoin(crisisPlanVersions, and(eq(crisisPlanVersions.planId, crisisPlans.id), eq(crisisPlanVersions.version, crisisPlans.currentVersion)))
        .where(and(eq(crisisPlans.id, planId), eq(crisisPlans.workspaceId, workspaceId)));
      if (!row) throw notFound("Plan");
      const content = CrisisPlanContent.safeParse(row.content);
      plan = { id: row.id, version: row.version, scenario: row.scenario, content: content.success ? content.data : emptyPlan() };
    }
    const scenario = (input.scenario ?? proposal?.scenario ?? (plan?.scenario as CrisisScenario | undefined) ?? "custom") as CrisisScenario;
    const severityLevel = input.severityLevel ?? proposal?.severityLevel ?? plan?.content.defaultSeverity ?? 2;
    if (!(await severityOf(tx, workspaceId, severityLevel))) throw invalidInput({ severityLevel: ["This workspace has no such severity level"] });
    const [{ next }] = await tx.db.select({ next: sql<number>`coalesce(max(${crises.number}), 0) + 1` }).from(crises).where(eq(crises.workspaceId, workspaceId));
    const declarer = tx.actor.type === "user" ? tx.actor.userId : null;
    const isDrill = input.isDrill ?? false;
    const [row] = await tx.db
      .insert(crises)
      .values({
        workspaceId,
        number: Number(next),
        title: input.title.trim(),
        summary: input.summary?.trim() ?? "",
        planId: plan?.id ?? null,
        planVersion: plan?.version ?? null,
        scenario,
        severityLevel,
        status: input.triage ? "triage" : "active",
        isDrill,
        originKind: input.originKindOverride ?? input.originKind,
        originAlertId: alert?.id ?? null,
        originRef: input.originRef ?? null,
        declaredBy: declarer,
        detectedAt: alert?.raisedAt ?? null,
        declaredAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();

    // The team: the plan's holders and backups who are still members, and the declarer.
    const members = new Set((await tx.db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.workspaceId, workspaceId))).map((m) => m.userId));
    const roleRows: Array<typeof crisisRoles.$inferInsert> = [];
    for (const role of plan?.content.roles ?? []) {
      if (role.holderId && members.has(role.holderId)) roleRows.push({ crisisId: row.id, role: role.role, userId: role.holderId, isBackup: false, assumedAt: now });
      if (role.backupId && members.has(role.backupId)) roleRows.push({ crisisId: row.id, role: role.role, userId: role.backupId, isBackup: true, assumedAt: now });
    }
    if (declarer) {
      const hasLead = roleRows.some((r) => r.role === "lead" && !r.isBackup);
      if (!hasLead) roleRows.push({ crisisId: row.id, role: "lead", userId: declarer, isBackup: false, assumedAt: now });
      else if (!roleRows.some((r) => r.userId === declarer)) roleRows.push({ crisisId: row.id, role: "member", userId: declarer, isBackup: false, assumedAt: now });
    }
    if (roleRows.length) await tx.db.insert(crisisRoles).values(roleRows);

    await recordCrisisEvent(
      tx,
      row.id,
      "declared",
      { number: row.number, title: row.title, scenario, severityLevel, status: row.status, originKind: row.originKind, originRef: row.originRef, planId: row.planId, planVersion: row.planVersion, isDrill, proposedBy: proposal?.basis ?? null, team: roleRows.map((r) => ({ role: r.role, userId: r.userId, isBackup: r.isBackup })) },
      { pinned: true, at: now },
    );
    if (alert) await recordCrisisEvent(tx, row.id, "alert_linked", { alertId: alert.id, kind: alert.kind, title: alert.title, raisedAt: alert.raisedAt.toISOString() }, { at: now });
    await tx.audit(
      { type: "crisis.declared", data: { crisisId: row.id, number: row.number, title: row.title, scenario, severityLevel, status: row.status, originKind: row.originKind, isDrill } },
      { type: "crisis", id: row.id },
    );
    if (row.status === "active") {
      const { plan: content, severity } = await activateFirstTime(tx, row, now);
      if (severity?.autoCrisisMode) await startModeFromPlan(tx, await loadCrisis(tx, row.id), content);
    }
    return presentCrisis(tx, await loadCrisis(tx, row.id));
  });
}

function emptyPlan(): CrisisPlanContent {
  return { description: "", defaultSeverity: 2, roles: [], checklist: [], statements: [], stakeholders: [], triggers: { streamIds: [], alertKinds: [] }, crisisMode: { pause: "all", lockdown: true, secure: false, notify: true } };
}
