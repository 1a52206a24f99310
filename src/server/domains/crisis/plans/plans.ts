import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import {
  CrisisPlanContent,
  type CrisisScenario,
  type Plan,
  type PlanProposal,
  type PlanSummary,
} from "../../../../contracts/crisis-plans";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { alertDestinations, listeningStreams } from "../../listening/listening.schema";
import { memberships } from "../../workspaces/workspaces.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { crisisPlans, crisisPlanVersions } from "../crisis.schema";
import {
  planArchived,
  planContentInvalid,
  planNotFound,
  planStatementNotFound,
  planVersionConflict,
  planVersionNotFound,
} from "./plans.errors";
import { planReadiness } from "./readiness";
import { ensureSeverities } from "./severities";
import { scenarioTemplate } from "./templates";

type PlanRow = typeof crisisPlans.$inferSelect;
type VersionRow = typeof crisisPlanVersions.$inferSelect;

/** Who acts, as a user id (null for the system). */
const actorId = (ctx: Ctx) => (ctx.actor.type === "user" ? ctx.actor.userId : null);

async function currentMembers(tx: Ctx, workspaceId: string): Promise<Set<string>> {
  const rows = await tx.db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.workspaceId, workspaceId));
  return new Set(rows.map((r) => r.userId));
}

function summary(plan: PlanRow, content: CrisisPlanContent, members: Set<string>, now: Date): PlanSummary {
  return {
    id: plan.id,
    scenario: plan.scenario as CrisisScenario,
    name: plan.name,
    currentVersion: plan.currentVersion,
    defaultSeverity: content.defaultSeverity,
    lastDrilledAt: plan.lastDrilledAt?.toISOString() ?? null,
    updatedAt: plan.updatedAt.toISOString(),
    archived: plan.archivedAt !== null,
    readiness: planReadiness(content, plan.lastDrilledAt, members, now),
  };
}

function full(plan: PlanRow, version: VersionRow, members: Set<string>, now: Date): Plan {
  const content = CrisisPlanContent.parse(version.content);
  return {
    ...summary(plan, content, members, now),
    content,
    versionNote: version.note,
    versionCreatedAt: version.createdAt.toISOString(),
    versionCreatedBy: version.createdBy,
  };
}

async function findPlan(tx: Ctx, planId: string, lock = false): Promise<PlanRow> {
  const { workspaceId } = currentWorkspace(tx);
  const query = tx.db.select().from(crisisPlans).where(and(eq(crisisPlans.workspaceId, workspaceId), eq(crisisPlans.id, planId)));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw planNotFound();
  return row;
}

/**
 * A plan and one of its versions (the newest when `version` is left out), for the lifecycle part: a crisis keeps
 * the version it was declared with. Checks the plan belongs to the ctx's workspace when there is one.
 */
export async function getPlanVersion(tx: Ctx, planId: string, version?: number): Promise<{ plan: PlanRow; version: number; content: CrisisPlanContent; note: string | null; createdAt: Date }> {
  const where = tx.workspaceId ? and(eq(crisisPlans.id, planId), eq(crisisPlans.workspaceId, tx.workspaceId)) : eq(crisisPlans.id, planId);
  const [plan] = await tx.db.select().from(crisisPlans).where(where);
  if (!plan) throw planNotFound();
  const wanted = version ?? plan.currentVersion;
  const [row] = await tx.db.select().from(crisisPlanVersions).where(and(eq(crisisPlanVersions.planId, planId), eq(crisisPlanVersions.version, wanted)));
  if (!row) throw planVersionNotFound(wanted);
  return { plan, version: row.version, content: CrisisPlanContent.parse(row.content), note: row.note, createdAt: row.createdAt };
}

/**
 * Checks what zod cannot: unique roles, step and statement ids; holders and backups are current members (a backup
 * other than the holder); the default severity exists; streams and alert destinations belong to the workspace; a
 * stakeholder has an email or a destination. Approvals are never taken from the client: a statement keeps its
 * approval only if its text and language are unchanged from `previous`.
 */
async function checkContent(tx: Ctx, workspaceId: string, content: CrisisPlanContent, previous: CrisisPlanContent | null): Promise<CrisisPlanContent> {
  const dup = (values: string[]) => values.find((v, i) => values.indexOf(v) !== i);
  const role = dup(content.roles.map((r) => r.role));
  if (role) throw planContentInvalid(`the role “${role}” is listed twice`);
  const step = dup(content.checklist.map((s) => s.id));
  if (step) throw planContentInvalid(`two checklist steps have the id “${step}”`);
  const statement = dup(content.statements.map((s) => s.id));
  if (statement) throw planContentInvalid(`two holding statements have the id “${statement}”`);
  const members = await currentMembers(tx, workspaceId);
  for (const r of content.roles) {
    if (r.holderId && !members.has(r.holderId)) throw planContentInvalid(`the holder of “${r.role}” is not a member of this workspace`);
    if (r.backupId && !members.has(r.backupId)) throw planContentInvalid(`the backup of “${r.role}” is not a member of this workspace`);
    if (r.holderId && r.holderId === r.backupId) throw planContentInvalid(`the backup of “${r.role}” must be someone other than its holder`);
  }
  const levels = (await ensureSeverities(tx, workspaceId)).map((s) => s.level);
  if (!levels.includes(content.defaultSeverity)) throw planContentInvalid(`there is no severity level ${content.defaultSeverity}`);
  for (const s of content.stakeholders) if (!s.email && !s.destinationId) throw planContentInvalid(`the stakeholder “${s.name}” needs an email address or an alert destination`);
  const destinationIds = [...new Set(content.stakeholders.map((s) => s.destinationId).filter((d): d is string => !!d))];
  if (destinationIds.length) {
    const found = await tx.db.select({ id: alertDestinations.id }).from(alertDestinations).where(and(eq(alertDestinations.workspaceId, workspaceId), inArray(alertDestinations.id, destinationIds)));
    if (found.length !== destinationIds.length) throw planContentInvalid("a stakeholder's alert destination does not exist in this workspace");
  }
  const streamIds = [...new Set(content.triggers.streamIds)];
  if (streamIds.length) {
    const found = await tx.db.select({ id: listeningStreams.id }).from(listeningStreams).where(and(eq(listeningStreams.workspaceId, workspaceId), inArray(listeningStreams.id, streamIds)));
    if (found.length !== streamIds.length) throw planContentInvalid("a trigger stream does not exist in this workspace");
  }
  const before = new Map((previous?.statements ?? []).map((s) => [s.id, s]));
  return {
    ...content,
    triggers: { streamIds, alertKinds: [...new Set(content.triggers.alertKinds)] },
    statements: content.statements.map((s) => {
      const old = before.get(s.id);
      const keep = old && old.body === s.body && old.locale === s.locale && old.approvedBy && old.approvedAt;
      return { ...s, approvedBy: keep ? old.approvedBy : null, approvedAt: keep ? old.approvedAt : null };
    }),
  };
}

/** The workspace's plans with their readiness, by scenario then name; archived ones only when asked. */
export async function listPlans(ctx: Ctx, options: { archived?: boolean } = {}): Promise<PlanSummary[]> {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select({ plan: crisisPlans, content: crisisPlanVersions.content })
    .from(crisisPlans)
    .innerJoin(crisisPlanVersions, and(eq(crisisPlanVersions.planId, crisisPlans.id), eq(crisisPlanVersions.version, crisisPlans.currentVersion)))
    .where(and(eq(crisisPlans.workspaceId, workspaceId), options.archived ? undefined : isNull(crisisPlans.archivedAt)))
    .orderBy(asc(crisisPlans.scenario), asc(crisisPlans.name), asc(crisisPlans.id));
  const members = await currentMembers(ctx, workspaceId);
  const now = ctx.now();
  return rows.map((r) => summary(r.plan, CrisisPlanContent.parse(r.content), members, now));
}

/** One plan at its newest version (or the version asked for). */
export async function getPlan(ctx: Ctx, planId: string, version?: number): Promise<Plan> {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  const plan = await findPlan(ctx, planId);
  const wanted = version ?? plan.currentVersion;
  const [row] = await ctx.db.select().from(crisisPlanVersions).where(and(eq(crisisPlanVersions.planId, planId), eq(crisisPlanVersions.version, wanted)));
  if (!row) throw planVersionNotFound(wanted);
  return full(plan, row, await currentMembers(ctx, workspaceId), ctx.now());
}

/** A plan's versions, newest first. */
export async function listPlanVersions(ctx: Ctx, planId: string) {
  authorize(ctx.actor, "crisis.read");
  await findPlan(ctx, planId);
  const rows = await ctx.db.select().from(crisisPlanVersions).where(eq(crisisPlanVersions.planId, planId)).orderBy(desc(crisisPlanVersions.version));
  return rows.map((r) => ({ version: r.version, note: r.note, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy }));
}

/** Writes a new plan (version 1) from the scenario's ready template or the content given. */
export async function createPlanIn(tx: Ctx, workspaceId: string, input: { scenario: CrisisScenario; name?: string; content?: CrisisPlanContent; note?: string }): Promise<PlanRow> {
  const template = scenarioTemplate(input.scenario);
  const content = await checkContent(tx, workspaceId, input.content ?? template.content, null);
  const [plan] = await tx.db
    .insert(crisisPlans)
    .values({ workspaceId, scenario: input.scenario, name: input.name ?? template.name, currentVersion: 1, createdAt: tx.now(), updatedAt: tx.now() })
    .returning();
  await tx.db.insert(crisisPlanVersions).values({ planId: plan.id, version: 1, content, createdBy: actorId(tx), createdAt: tx.now(), note: input.note ?? null });
  await tx.audit({ type: "crisis.plan_created", data: { planId: plan.id, scenario: plan.scenario, name: plan.name, fromTemplate: !input.content } }, { type: "crisis_plan", id: plan.id });
  return plan;
}

export async function createPlan(ctx: Ctx, input: { scenario: CrisisScenario; name?: string; content?: CrisisPlanContent }): Promise<Plan> {
  authorize(ctx.actor, "crisis.plans");
  const { workspaceId } = currentWorkspace(ctx);
  const planId = await inTransaction(ctx, async (tx) => (await createPlanIn(tx, workspaceId, input)).id);
  return getPlan(ctx, planId);
}

/** Saves a new version; `expectedVersion` must be the newest (else `plan_version_conflict`). */
export async function updatePlan(ctx: Ctx, planId: string, input: { expectedVersion: number; name?: string; content: CrisisPlanContent; note?: string }): Promise<Plan> {
  authorize(ctx.actor, "crisis.plans");
  const { workspaceId } = currentWorkspace(ctx);
  await inTransaction(ctx, async (tx) => {
    const plan = await findPlan(tx, planId, true);
    if (plan.archivedAt) throw planArchived();
    if (plan.currentVersion !== input.expectedVersion) throw planVersionConflict(plan.currentVersion);
    const previous = await getPlanVersion(tx, planId);
    const content = await checkContent(tx, workspaceId, input.content, previous.content);
    const version = plan.currentVersion + 1;
    await tx.db.insert(crisisPlanVersions).values({ planId, version, content, createdBy: actorId(tx), createdAt: tx.now(), note: input.note ?? null });
    await tx.db.update(crisisPlans).set({ currentVersion: version, name: input.name ?? plan.name, updatedAt: tx.now() }).where(eq(crisisPlans.id, planId));
    const unapproved = previous.content.statements.filter((s) => s.approvedBy && !content.statements.some((n) => n.id === s.id && n.approvedBy)).map((s) => s.id);
    await tx.audit(
      { type: "crisis.plan_updated", data: { planId, version, name: input.name ?? plan.name, note: input.note ?? null, approvalsCleared: unapproved } },
      { type: "crisis_plan", id: planId },
    );
  });
  return getPlan(ctx, planId);
}

/**
 * Approves holding statements of a plan in the caller's transaction, as `approverId`: one new version recording who
 * approved each and when (already approved ones are left as they are). Audited per statement.
 */
export async function approveStatementsIn(tx: Ctx, plan: PlanRow, statementIds: string[], approverId: string | null): Promise<void> {
  const { content } = await getPlanVersion(tx, plan.id);
  const wanted = content.statements.filter((s) => statementIds.includes(s.id) && !s.approvedBy);
  if (!wanted.length) return;
  const approvedAt = tx.now().toISOString();
  const next = { ...content, statements: content.statements.map((s) => (wanted.includes(s) ? { ...s, approvedBy: approverId, approvedAt } : s)) };
  const version = plan.currentVersion + 1;
  const note = wanted.map((s) => `Approved “${s.title}” (${s.locale})`).join("; ");
  await tx.db.insert(crisisPlanVersions).values({ planId: plan.id, version, content: next, createdBy: approverId, createdAt: tx.now(), note });
  await tx.db.update(crisisPlans).set({ currentVersion: version, updatedAt: tx.now() }).where(eq(crisisPlans.id, plan.id));
  for (const s of wanted)
    await tx.audit({ type: "crisis.plan_statement_approved", data: { planId: plan.id, version, statementId: s.id, locale: s.locale, title: s.title } }, { type: "crisis_plan", id: plan.id });
}

/** Approves one holding statement: a new version recording who approved it and when. */
export async function approvePlanStatement(ctx: Ctx, planId: string, statementId: string, expectedVersion: number): Promise<Plan> {
  authorize(ctx.actor, "crisis.plans");
  await inTransaction(ctx, async (tx) => {
    const plan = await findPlan(tx, planId, true);
    if (plan.archivedAt) throw planArchived();
    if (plan.currentVersion !== expectedVersion) throw planVersionConflict(plan.currentVersion);
    const { content } = await getPlanVersion(tx, planId);
    if (!content.statements.some((s) => s.id === statementId)) throw planStatementNotFound();
    await approveStatementsIn(tx, plan, [statementId], actorId(tx));
  });
  return getPlan(ctx, planId);
}

/** Archives a plan (no longer proposed or listed; crises keep their version) or restores it. */
export async function setPlanArchived(ctx: Ctx, planId: string, archived: boolean): Promise<Plan> {
  authorize(ctx.actor, "crisis.plans");
  await inTransaction(ctx, async (tx) => {
    const plan = await findPlan(tx, planId, true);
    if ((plan.archivedAt !== null) === archived) return;
    await tx.db.update(crisisPlans).set({ archivedAt: archived ? tx.now() : null, updatedAt: tx.now() }).where(eq(crisisPlans.id, planId));
    await tx.audit({ type: archived ? "crisis.plan_archived" : "crisis.plan_restored", data: { planId, name: plan.name } }, { type: "crisis_plan", id: planId });
  });
  return getPlan(ctx, planId);
}

/** The scenario a kind of alert usually means, when no plan names it as a trigger. */
const SCENARIO_OF_ALERT: Record<string, CrisisScenario> = { impostor: "impostor_scam", spike: "viral_complaint", negative_turn: "viral_complaint" };

/**
 * The plan a listening alert proposes when a crisis is declared from it: among the workspace's plans (not
 * archived), the one whose triggers match best — both the alert's stream and kind, then the stream, then the kind
 * (a plan with no streams or no kinds listed does not filter on them, but must list at least one) — the most urgent
 * default severity first. With no trigger matching, the plan for the alert kind's usual scenario. Null: no plan.
 */
export async function proposePlan(tx: Ctx, workspaceId: string, alert: { kind: string; streamId: string | null }): Promise<PlanProposal | null> {
  const rows = await tx.db
    .select({ plan: crisisPlans, content: crisisPlanVersions.content })
    .from(crisisPlans)
    .innerJoin(crisisPlanVersions, and(eq(crisisPlanVersions.planId, crisisPlans.id), eq(crisisPlanVersions.version, crisisPlans.currentVersion)))
    .where(and(eq(crisisPlans.workspaceId, workspaceId), isNull(crisisPlans.archivedAt)));
  const plans = rows.map((r) => ({ plan: r.plan, content: CrisisPlanContent.parse(r.content) }));
  const scored = plans
    .map(({ plan, content }) => {
      const { streamIds, alertKinds } = content.triggers;
      if (!streamIds.length && !alertKinds.length) return null;
      const streamOk = !streamIds.length || (alert.streamId !== null && streamIds.includes(alert.streamId));
      const kindOk = !alertKinds.length || (alertKinds as string[]).includes(alert.kind);
      if (!streamOk || !kindOk) return null;
      return { plan, content, score: (streamIds.length ? 2 : 0) + (alertKinds.length ? 1 : 0) };
    })
    .filter((p): p is NonNullable<typeof p> => p !== null)
    .sort((a, b) => b.score - a.score || a.content.defaultSeverity - b.content.defaultSeverity || a.plan.name.localeCompare(b.plan.name));
  const pick = (p: { plan: PlanRow; content: CrisisPlanContent }, reason: PlanProposal["reason"]): PlanProposal => ({
    planId: p.plan.id,
    planVersion: p.plan.currentVersion,
    name: p.plan.name,
    scenario: p.plan.scenario as CrisisScenario,
    severityLevel: p.content.defaultSeverity,
    reason,
  });
  if (scored.length) return pick(scored[0], "trigger");
  const scenario = SCENARIO_OF_ALERT[alert.kind];
  const usual = plans.filter((p) => p.plan.scenario === scenario).sort((a, b) => a.content.defaultSeverity - b.content.defaultSeverity || a.plan.name.localeCompare(b.plan.name))[0];
  return usual ? pick(usual, "scenario") : null;
}
