import { and, eq } from "drizzle-orm";
import type { CrisisStatus, CrisisTarget } from "../../../../../contracts/crises";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { crises, crisisModes } from "../../crisis.schema";
import { recordCrisisEvent } from "../../timeline";
import { activateFirstTime, nextUpdatesDue } from "../activation";
import {
  crisisModeStillOn,
  crisisVersionConflict,
  heldPostsUndecided,
  mergeTargetInvalid,
  reasonRequired,
  resolutionRequired,
  transitionNotAllowed,
} from "../crises.errors";
import { activeModeOf, heldCounts, loadCrisis, presentCrisis, severityOf, type CrisisRow } from "../records";
import { canTransition, OPEN_STATUSES } from "../transitions";
import { startModeFromPlan } from "./crisis-mode";
import { draftReview } from "../../review";

export type TransitionInput = { to: CrisisTarget; version: number; reason?: string; resolution?: string; mergeIntoId?: string; keepCrisisMode?: boolean };

/**
 * Moves a crisis along its lifecycle (transitions.ts), checking the guards: closing needs a resolution; closing,
 * cancelling and merging need crisis mode off (or, for closing, explicitly kept on) and a decision on every held
 * post. Each change is stamped on the crisis and on the timeline. The first time a crisis becomes active its plan's
 * checklist becomes tasks and (when its severity says so) crisis mode starts.
 */
export async function changeCrisisStatus(ctx: Ctx, crisisId: string, input: TransitionInput) {
  authorize(ctx.actor, "crisis.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId, { forUpdate: true });
    if (crisis.version !== input.version) throw crisisVersionConflict();
    const from = crisis.status as CrisisStatus;
    if (!canTransition(from, input.to)) throw transitionNotAllowed(from, input.to);
    const now = tx.now();
    const reason = input.reason?.trim() || null;
    const changes: Partial<typeof crises.$inferInsert> = { status: input.to, updatedAt: now, version: crisis.version + 1 };
    let mergeInto: CrisisRow | null = null;

    if (input.to === "closed" || input.to === "cancelled" || input.to === "merged") {
      if (input.to === "closed" && !input.resolution?.trim()) throw resolutionRequired();
      if (input.to === "cancelled" && !reason) throw reasonRequired();
      if (input.to === "merged") {
        if (!input.mergeIntoId || input.mergeIntoId === crisis.id) throw mergeTargetInvalid();
        const [target] = await tx.db.select().from(crises).where(and(eq(crises.id, input.mergeIntoId), eq(crises.workspaceId, workspaceId)));
        if (!target || !OPEN_STATUSES.includes(target.status as CrisisStatus) || target.isDrill !== crisis.isDrill) throw mergeTargetInvalid();
        mergeInto = target;
        changes.mergedIntoId = target.id;
      }
      const mode = await activeModeOf(tx, crisis.id);
      if (mode && !(input.to === "closed" && input.keepCrisisMode)) throw crisisModeStillOn();
      const { pending } = await heldCounts(tx, crisis.id);
      if (pending > 0) throw heldPostsUndecided(pending);
      if (mode) await tx.db.update(crisisModes).set({ keptOnClose: true }).where(eq(crisisModes.id, mode.id));
      if (input.to === "closed") Object.assign(changes, { closedAt: now, resolution: input.resolution!.trim(), nextInternalUpdateDueAt: null, nextPublicUpdateDueAt: null });
      if (input.to === "cancelled") Object.assign(changes, { cancelledAt: now, resolution: reason, nextInternalUpdateDueAt: null, nextPublicUpdateDueAt: null });
      if (input.to === "merged") Object.assign(changes, { nextInternalUpdateDueAt: null, nextPublicUpdateDueAt: null });
    }
    const severity = await severityOf(tx, workspaceId, crisis.severityLevel);
    if (input.to === "stable") Object.assign(changes, { stableAt: now, ...nextUpdatesDue(now, severity, "stable") });
    if (input.to === "active" && from === "stable") Object.assign(changes, nextUpdatesDue(now, severity, "active"));

    await tx.db.update(crises).set(changes).where(eq(crises.id, crisis.id));
    const firstActivation = input.to === "active" && !crisis.activatedAt;
    let activated: Awaited<ReturnType<typeof activateFirstTime>> | null = null;
    if (firstActivation) activated = await activateFirstTime(tx, { ...crisis, ...changes } as CrisisRow, now);
    await recordCrisisEvent(
      tx,
      crisis.id,
      "status_changed",
      { from, to: input.to, reason, resolution: input.resolution?.trim() || null, mergedIntoId: mergeInto?.id ?? null, mergedIntoNumber: mergeInto?.number ?? null, keptCrisisMode: Boolean(input.keepCrisisMode && input.to === "closed") },
      { pinned: input.to !== "stable", at: now },
    );
    if (mergeInto) await recordCrisisEvent(tx, mergeInto.id, "note", { mergedFromId: crisis.id, mergedFromNumber: crisis.number }, { text: `CR-${crisis.number} was merged into this crisis`, at: now });
    await tx.audit({ type: "crisis.status_changed", data: { crisisId: crisis.id, from, to: input.to, reason } }, { type: "crisis", id: crisis.id });
    if (activated?.severity?.autoCrisisMode && !(await activeModeOf(tx, crisis.id))) {
      await startModeFromPlan(tx, await loadCrisis(tx, crisis.id), activated.plan);
    }
    // Every closed crisis gets its blameless review drafted from the timeline, in the same transaction.
    if (input.to === "closed") await draftReview(tx, crisis.id);
    return presentCrisis(tx, await loadCrisis(tx, crisis.id));
  });
}
