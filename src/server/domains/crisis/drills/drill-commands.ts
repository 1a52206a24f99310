import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lte, ne } from "drizzle-orm";
import type { z } from "zod";
import { INJECT_KINDS, type DeclareDrillBody, type Drill, type DrillInject, type FinishDrillBody, type StartDrillBody } from "../../../../contracts/crisis-review";
import { authorize } from "../../../authz";
import { inTransaction, unsafeSystemCtx, type Ctx, type Services } from "../../../context";
import { createSandboxScenarioRun, findRunningSandboxScenarioRun, lockSandboxScenarioRun, statusOf, stopSandboxScenarioRun } from "../../../networks/sandbox/scenario-runs";
import { missingScenarioAccounts, SANDBOX_SCENARIOS, type ScenarioId } from "../../../networks/sandbox/scenarios";
import { users } from "../../identity/identity.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { declareCrisis } from "../crises";
import { crises, crisisDrills, crisisEvents, crisisPlans } from "../crisis.schema";
import { computeFiguresFor } from "../review/draft-review";
import { drillAlreadyDeclared, drillAlreadyRunning, drillNotFound, drillNotRunning, drillPlanNotFound, drillSandboxNotSeeded } from "./drills.errors";
import { actOnCrisis, actOnSandbox } from "./injects";
import { scoreDrill } from "./score";

type DrillRow = typeof crisisDrills.$inferSelect;

/** The Sandbox scenario a plan's drill plays: the audience's reaction closest to the plan's scenario. */
export function sandboxScenarioFor(scenario: string): ScenarioId {
  const map: Record<string, ScenarioId> = {
    hacked_account: "hacked_account_spam",
    impostor_scam: "impostor_giveaway",
    product_recall: "defective_product",
    viral_complaint: "viral_complaint",
  };
  return map[scenario] ?? "viral_complaint";
}

/** The default injects: the approver becomes unreachable at +5, a journalist writes at +10, the executive asks at +20, a second wave at +30. */
export const DEFAULT_INJECTS: Array<Omit<DrillInject, "deliveredAt">> = [
  { atMinute: 5, kind: "approver_unreachable" },
  { atMinute: 10, kind: "journalist_dm" },
  { atMinute: 20, kind: "executive_asks" },
  { atMinute: 30, kind: "second_wave" },
];

async function presentDrills(tx: Ctx, rows: DrillRow[]): Promise<Drill[]> {
  const planIds = [...new Set(rows.map((r) => r.planId).filter((id): id is string => Boolean(id)))];
  const crisisIds = [...new Set(rows.map((r) => r.crisisId).filter((id): id is string => Boolean(id)))];
  const userIds = [...new Set(rows.map((r) => r.startedBy).filter((id): id is string => Boolean(id)))];
  const plans = planIds.length ? await tx.db.select({ id: crisisPlans.id, name: crisisPlans.name, scenario: crisisPlans.scenario }).from(crisisPlans).where(inArray(crisisPlans.id, planIds)) : [];
  const crisisRows = crisisIds.length ? await tx.db.select({ id: crises.id, number: crises.number, status: crises.status }).from(crises).where(inArray(crises.id, crisisIds)) : [];
  const people = userIds.length ? await tx.db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, userIds)) : [];
  return rows.map((r) => {
    const plan = plans.find((p) => p.id === r.planId);
    const crisis = crisisRows.find((c) => c.id === r.crisisId);
    const person = people.find((p) => p.id === r.startedBy);
    return {
      id: r.id,
      planId: r.planId,
      planName: plan?.name ?? null,
      scenario: plan?.scenario ?? "custom",
      sandboxScenario: r.sandboxScenario,
      sandboxRunId: r.sandboxRunId,
      crisisId: r.crisisId,
      crisisNumber: crisis?.number ?? null,
      crisisStatus: crisis?.status ?? null,
      status: r.status as Drill["status"],
      injects: r.injects as DrillInject[],
      score: (r.score as Drill["score"]) ?? null,
      debrief: r.debrief,
      startedByName: person ? person.name || person.email : null,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    };
  });
}

async function drillInWorkspace(tx: Ctx, drillId: string, forUpdate = false): Promise<DrillRow> {
  const { workspaceId } = currentWorkspace(tx);
  const query = tx.db.select().from(crisisDrills).where(and(eq(crisisDrills.id, drillId), eq(crisisDrills.workspaceId, workspaceId)));
  const [row] = forUpdate ? await query.for("update") : await query;
  if (!row) throw drillNotFound();
  return row;
}

export async function listDrills(ctx: Ctx): Promise<Drill[]> {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) =>
    presentDrills(tx, await tx.db.select().from(crisisDrills).where(eq(crisisDrills.workspaceId, workspaceId)).orderBy(desc(crisisDrills.startedAt)).limit(100)),
  );
}

export async function getDrill(ctx: Ctx, drillId: string): Promise<Drill> {
  authorize(ctx.actor, "crisis.read");
  return inTransaction(ctx, async (tx) => (await presentDrills(tx, [await drillInWorkspace(tx, drillId)]))[0]);
}

/**
 * Starts a drill of a plan: the plan's Sandbox scenario starts playing (or the running one is joined), and the timed
 * injects wait for the `crisis.drill-injects` job. Nothing is declared yet: how fast the team declares is the first
 * thing the drill measures. Only the Sandbox is touched.
 */
export async function startDrill(ctx: Ctx, input: z.infer<typeof StartDrillBody>): Promise<Drill> {
  authorize(ctx.actor, "crisis.plans");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [plan] = await tx.db.select().from(crisisPlans).where(and(eq(crisisPlans.id, input.planId), eq(crisisPlans.workspaceId, workspaceId), isNull(crisisPlans.archivedAt))).for("update");
    if (!plan) throw drillPlanNotFound();
    const [running] = await tx.db.select({ id: crisisDrills.id }).from(crisisDrills).where(and(eq(crisisDrills.planId, plan.id), eq(crisisDrills.status, "running")));
    if (running) throw drillAlreadyRunning();
    const scenarioId = sandboxScenarioFor(plan.scenario);
    const missing = await missingScenarioAccounts(tx.db, SANDBOX_SCENARIOS[scenarioId]);
    if (missing.length > 0) throw drillSandboxNotSeeded(missing.map((h) => `@${h}`).join(", "));
    const now = tx.now();
    // The drill plays a run it starts, or joins the running one: another drill's (then both share it, and the last to
    // finish stops it) or one someone started on the Sandbox page (theirs: the drill does not keep its id, so
    // finishing never stops it).
    const playing = await findRunningSandboxScenarioRun(tx.db, scenarioId);
    let sandboxRunId: string | null;
    if (!playing) {
      sandboxRunId = (await createSandboxScenarioRun(tx.db, { scenario: scenarioId, run: randomUUID(), tickEverySeconds: input.tickEverySeconds ?? 60, startedBy: tx.actor.type === "user" ? tx.actor.userId : null, now })).id;
    } else {
      const [drillRun] = await tx.db.select({ id: crisisDrills.id }).from(crisisDrills).where(eq(crisisDrills.sandboxRunId, playing.id)).limit(1);
      sandboxRunId = drillRun ? playing.id : null;
    }
    const injects: DrillInject[] = (input.injects ?? DEFAULT_INJECTS).map((i) => ({ ...i, deliveredAt: null })).sort((a, b) => a.atMinute - b.atMinute);
    const [drill] = await tx.db
      .insert(crisisDrills)
      .values({ workspaceId, planId: plan.id, sandboxScenario: scenarioId, sandboxRunId, status: "running", injects, startedBy: tx.actor.type === "user" ? tx.actor.userId : null, startedAt: now })
      .returning();
    await tx.audit({ type: "crisis.drill_started", data: { drillId: drill.id, planId: plan.id, sandboxScenario: scenarioId, sandboxRunId, injects: injects.length } }, { type: "crisis_drill", id: drill.id });
    return (await presentDrills(tx, [drill]))[0];
  });
}

/**
 * Declares the drill's crisis (isDrill, origin "drill", the drill's plan), from the alert the scenario raised when
 * given — from the drill page, or from the crises page's declare dialog when the declarer says it is the running
 * drill. Injects already delivered act on it now (injects.ts actOnCrisis).
 */
export async function declareDrillCrisis(ctx: Ctx, drillId: string, input: z.infer<typeof DeclareDrillBody>): Promise<Drill> {
  authorize(ctx.actor, "crisis.declare");
  return inTransaction(ctx, async (tx) => {
    const drill = await drillInWorkspace(tx, drillId, true);
    if (drill.status !== "running") throw drillNotRunning(drill.status);
    if (drill.crisisId) throw drillAlreadyDeclared();
    const [plan] = drill.planId ? await tx.db.select().from(crisisPlans).where(eq(crisisPlans.id, drill.planId)) : [];
    const crisis = await declareCrisis(tx, {
      title: input.title ?? `Drill: ${plan?.name ?? SANDBOX_SCENARIOS[drill.sandboxScenario as ScenarioId]?.title ?? drill.sandboxScenario}`,
      summary: input.summary,
      originKind: input.alertId ? "alert" : "manual",
      alertId: input.alertId,
      planId: plan?.id,
      severityLevel: input.severityLevel,
      triage: input.triage,
      isDrill: true,
      originKindOverride: "drill",
    });
    await tx.db.update(crisisDrills).set({ crisisId: crisis.id }).where(eq(crisisDrills.id, drill.id));
    // Injects delivered before the declaration act now: on the timeline at their time, the executive's task for the lead.
    for (const inject of drill.injects as DrillInject[]) {
      if (inject.deliveredAt) await actOnCrisis(tx, { ...drill, crisisId: crisis.id }, crisis.id, inject, new Date(inject.deliveredAt));
    }
    await tx.audit({ type: "crisis.drill_declared", data: { drillId: drill.id, crisisId: crisis.id } }, { type: "crisis_drill", id: drill.id });
    return (await presentDrills(tx, [await drillInWorkspace(tx, drillId)]))[0];
  });
}

/**
 * Finishes (or abandons) a drill: the score is computed from its crisis's timeline, the debrief kept, and the plan's
 * lastDrilledAt set when it finished. The drill's crisis stays as it is (close it in the crisis page to get its review).
 */
export async function finishDrill(ctx: Ctx, drillId: string, input: z.infer<typeof FinishDrillBody>): Promise<Drill> {
  authorize(ctx.actor, "crisis.plans");
  return inTransaction(ctx, async (tx) => {
    const drill = await drillInWorkspace(tx, drillId, true);
    if (drill.status !== "running") throw drillNotRunning(drill.status);
    const now = tx.now();
    const [crisis] = drill.crisisId ? await tx.db.select().from(crises).where(eq(crises.id, drill.crisisId)) : [];
    const figures = crisis ? await computeFiguresFor(tx, crisis.id) : null;
    const events = crisis
      ? (await tx.db.select().from(crisisEvents).where(eq(crisisEvents.crisisId, crisis.id)).orderBy(asc(crisisEvents.occurredAt), asc(crisisEvents.seq))).map((e) => ({ ...e, data: (e.data ?? {}) as Record<string, unknown> }))
      : [];
    const score = scoreDrill({ startedAt: drill.startedAt, injects: drill.injects as DrillInject[], declaredAt: crisis?.declaredAt ?? null, figures, events });
    const status = input.abandon ? "abandoned" : "finished";
    // Injects whose minute has not come are skipped; the drill's Sandbox run stops playing (unless another running drill plays it too).
    const injects = (drill.injects as DrillInject[]).map((i) => (i.deliveredAt || i.skippedAt ? i : { ...i, skippedAt: now.toISOString() }));
    const skipped = (drill.injects as DrillInject[]).filter((i) => !i.deliveredAt && !i.skippedAt).length;
    const stoppedRunId = await stopDrillScenario(tx, drill, now);
    await tx.db
      .update(crisisDrills)
      .set({ status, score, injects, finishedAt: now, ...(input.debrief !== undefined ? { debrief: input.debrief } : {}) })
      .where(eq(crisisDrills.id, drill.id));
    if (status === "finished" && drill.planId) await tx.db.update(crisisPlans).set({ lastDrilledAt: now }).where(eq(crisisPlans.id, drill.planId));
    await tx.audit({ type: "crisis.drill_finished", data: { drillId: drill.id, crisisId: drill.crisisId, status, met: score.met, applicable: score.applicable, injectsSkipped: skipped, sandboxRunStopped: stoppedRunId } }, { type: "crisis_drill", id: drill.id });
    return (await presentDrills(tx, [await drillInWorkspace(tx, drillId)]))[0];
  });
}

/**
 * Stops the Sandbox scenario run the drill played — the one whose id it kept (it started it, or joined another drill's)
 * — unless another running drill plays it too. A run someone started on the Sandbox page is never stopped (the drill
 * kept no id), nor one started after the drill's run was stopped; a run already stopped or finished is left as it is.
 * What the run added stays on the Sandbox. Returns the stopped run's id.
 */
async function stopDrillScenario(tx: Ctx, drill: DrillRow, now: Date): Promise<string | null> {
  if (!drill.sandboxRunId) return null;
  const [sharing] = await tx.db
    .select({ id: crisisDrills.id })
    .from(crisisDrills)
    .where(and(eq(crisisDrills.sandboxRunId, drill.sandboxRunId), eq(crisisDrills.status, "running"), ne(crisisDrills.id, drill.id)))
    .limit(1);
  if (sharing) return null;
  const run = await lockSandboxScenarioRun(tx.db, drill.sandboxRunId);
  if (!run || statusOf(run) !== "running") return null;
  await stopSandboxScenarioRun(tx.db, run, now);
  return run.id;
}

/** The debrief (hotwash) notes, editable while running and after. */
export async function updateDrillDebrief(ctx: Ctx, drillId: string, debrief: string): Promise<Drill> {
  authorize(ctx.actor, "crisis.plans");
  return inTransaction(ctx, async (tx) => {
    await drillInWorkspace(tx, drillId, true);
    await tx.db.update(crisisDrills).set({ debrief }).where(eq(crisisDrills.id, drillId));
    await tx.audit({ type: "crisis.drill_debrief_updated", data: { drillId } }, { type: "crisis_drill", id: drillId });
    return (await presentDrills(tx, [await drillInWorkspace(tx, drillId)]))[0];
  });
}

/**
 * The `crisis.drill-injects` job: delivers every inject whose minute has come, in running drills, each drill in its
 * own transaction with its row locked. A delivered inject acts (injects.ts): on the Sandbox at once (the journalist's
 * message, the second wave), and in the drill's crisis — its timeline, the executive's task — now or when declared.
 */
export async function unsafeDeliverDrillInjects(services: Services): Promise<number> {
  const now = services.clock();
  const running = await services.database.db.select({ id: crisisDrills.id, workspaceId: crisisDrills.workspaceId }).from(crisisDrills).where(and(eq(crisisDrills.status, "running"), lte(crisisDrills.startedAt, now)));
  let delivered = 0;
  for (const { id, workspaceId } of running) {
    const ctx = unsafeSystemCtx(services, "drill injects", workspaceId);
    delivered += await inTransaction(ctx, async (tx) => {
      const [drill] = await tx.db.select().from(crisisDrills).where(eq(crisisDrills.id, id)).for("update");
      if (!drill || drill.status !== "running") return 0;
      const at = tx.now();
      const injects: DrillInject[] = [];
      const due: DrillInject[] = [];
      for (const inject of drill.injects as DrillInject[]) {
        const isDue = !inject.deliveredAt && !inject.skippedAt && (INJECT_KINDS as readonly string[]).includes(inject.kind) && drill.startedAt.getTime() + inject.atMinute * 60_000 <= at.getTime();
        if (!isDue) {
          injects.push(inject);
          continue;
        }
        const facts = await actOnSandbox(tx, drill, inject, at);
        const done: DrillInject = { ...inject, deliveredAt: at.toISOString(), ...(facts ? { facts } : {}) };
        injects.push(done);
        due.push(done);
      }
      if (due.length === 0) return 0;
      await tx.db.update(crisisDrills).set({ injects }).where(eq(crisisDrills.id, drill.id));
      if (drill.crisisId) for (const inject of due) await actOnCrisis(tx, drill, drill.crisisId, inject, at);
      return due.length;
    });
  }
  return delivered;
}
