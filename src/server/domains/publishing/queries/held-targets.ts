import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { approvalRuns } from "../approvals.schema";
import { textFor, type TargetStatus } from "../post-records";
import { posts, postTargets } from "../publishing.schema";

/**
 * What another domain (the crisis's held posts) shows of post targets and may not read from publishing's tables
 * itself: which targets a pause holds, what a target is, whether a crisis team approved a post's content.
 */

/** The targets a pause still holds, with when each was due: those a crisis lists for a decision. */
export async function targetsHeldByPause(ctx: Ctx, pauseId: string): Promise<Array<{ id: string; dueAt: Date | null }>> {
  return ctx.db
    .select({ id: postTargets.id, dueAt: postTargets.dueAt })
    .from(postTargets)
    .where(and(eq(postTargets.heldByPauseId, pauseId), eq(postTargets.status, "held")));
}

export type TargetSummary = { id: string; postId: string; channelId: string; status: TargetStatus; text: string };

/** The workspace's post targets among `ids` (others are left out): post, channel, status, and the text it publishes. */
export async function summarizeTargets(ctx: Ctx, workspaceId: string, ids: string[]): Promise<TargetSummary[]> {
  if (!ids.length) return [];
  const rows = await ctx.db
    .select({ target: { id: postTargets.id, postId: postTargets.postId, channelId: postTargets.channelId, status: postTargets.status, variantText: postTargets.variantText }, text: posts.text })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(eq(postTargets.workspaceId, workspaceId), inArray(postTargets.id, ids)));
  return rows.map(({ target, text }) => ({ id: target.id, postId: target.postId, channelId: target.channelId, status: target.status as TargetStatus, text: textFor({ text }, target) }));
}

/** Whether this exact content of the post has an approved run with a "crisis team" step of one of `crisisIds`. */
export async function approvedByCrisisTeam(ctx: Ctx, input: { postId: string; contentHash: string; crisisIds: string[] }): Promise<boolean> {
  const approved = await ctx.db
    .select({ steps: approvalRuns.steps })
    .from(approvalRuns)
    .where(and(eq(approvalRuns.postId, input.postId), eq(approvalRuns.status, "approved"), eq(approvalRuns.contentHash, input.contentHash)));
  return approved.some((run) => (run.steps as Array<{ approvers: Array<{ kind: string; crisisId?: string }> }>).some((s) => s.approvers.some((a) => a.kind === "crisis_team" && input.crisisIds.includes(a.crisisId ?? ""))));
}
