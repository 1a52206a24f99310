import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { memberships } from "../../workspaces/workspaces.schema";
import { type RunSlot, type RunStep } from "../approvals";
import { approvalDecisions, approvalRuns } from "../approvals.schema";
import { recordPostEvent } from "../post-records";
import { posts, postTargets } from "../publishing.schema";
import { advanceRun } from "./decide-approval";

/**
 * Offboarding, for approvals (inside the caller's transaction, after the membership ended): in every pending run of
 * the workspace, each slot of the current and later steps that names the leaver in person, and that they have not
 * filled, goes to `newOwnerId` when that person is still a member, is not the post's author and is not already named
 * in that step; otherwise it is dropped, so the step's other approvers decide (a step left with no slot at all falls
 * back to "anyone with Full publishing" on the post's channels). A step that now has what it needs moves on.
 * Slots naming a team or a role need nothing: the leaver is no longer in them.
 */
export async function unsafeReassignApprovalsOf(tx: Ctx, input: { workspaceId: string; userId: string; newOwnerId: string | null }): Promise<{ approvalsReassigned: number; approvalsDropped: number }> {
  const runs = await tx.db.select().from(approvalRuns).where(and(eq(approvalRuns.workspaceId, input.workspaceId), eq(approvalRuns.status, "pending"))).for("update");
  let approvalsReassigned = 0;
  let approvalsDropped = 0;
  const [heir] = input.newOwnerId ? await tx.db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, input.workspaceId), eq(memberships.userId, input.newOwnerId))) : [];
  for (const run of runs) {
    const steps = run.steps as RunStep[];
    if (!steps.some((s) => s.approvers.some((a) => a.kind === "user" && a.userId === input.userId && !a.dropped))) continue;
    const [post] = await tx.db.select().from(posts).where(eq(posts.id, run.postId)).for("update");
    const filledByLeaver = new Set(
      (await tx.db.select({ step: approvalDecisions.step, slot: approvalDecisions.slot }).from(approvalDecisions).where(and(eq(approvalDecisions.runId, run.id), eq(approvalDecisions.userId, input.userId)))).map((d) => `${d.step}:${d.slot}`),
    );
    let reassigned = 0;
    let dropped = 0;
    const next: RunStep[] = steps.map((step, index) => {
      if (index < run.currentStep) return step;
      const approvers: RunSlot[] = step.approvers.map((slot, slotIndex) => {
        if (slot.kind !== "user" || slot.userId !== input.userId || slot.dropped || filledByLeaver.has(`${index}:${slotIndex}`)) return slot;
        const namedAlready = step.approvers.some((a) => a.kind === "user" && a.userId === heir?.id && !a.dropped);
        if (heir && heir.id !== post.authorId && !namedAlready) {
          reassigned++;
          return { kind: "user", userId: heir.id, reassignedFrom: input.userId };
        }
        dropped++;
        return { ...slot, dropped: true };
      });
      return { ...step, approvers };
    });
    const [updated] = await tx.db.update(approvalRuns).set({ steps: await withChannelFallback(tx, run.postId, next) }).where(eq(approvalRuns.id, run.id)).returning();
    await recordPostEvent(tx, run.postId, "approvers_reassigned", { runId: run.id, from: input.userId, to: reassigned ? heir!.id : null, reassigned, dropped });
    approvalsReassigned += reassigned;
    approvalsDropped += dropped;
    await advanceRun(tx, post, updated);
  }
  return { approvalsReassigned, approvalsDropped };
}

/** A step left with no live slot: anyone with Full publishing on one of the post's channels decides. */
async function withChannelFallback(tx: Ctx, postId: string, steps: RunStep[]): Promise<RunStep[]> {
  if (!steps.some((s) => s.approvers.every((a) => a.dropped))) return steps;
  const channelIds = (await tx.db.select({ channelId: postTargets.channelId }).from(postTargets).where(eq(postTargets.postId, postId))).map((t) => t.channelId);
  return steps.map((s) => (s.approvers.every((a) => a.dropped) ? { ...s, mode: "any" as const, approvers: [...s.approvers, ...channelIds.map((channelId) => ({ kind: "channel_publishers" as const, channelId }))] } : s));
}
