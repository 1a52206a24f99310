import { and, eq, ne } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { authorizeOnChannel } from "../../channels";
import { NOT_STARTED, recordPostEvent, type TargetStatus } from "../post-records";
import { posts, postTargets } from "../publishing.schema";

/**
 * Cancels a post on one channel where it has not gone out (draft, scheduled, held) — a crisis's "discard" of a held
 * post; the post is cancelled with its last open channel. Needs drafting on that channel; a target already gone out
 * (or of another workspace) is left as it is. `because` goes on the post's history. The caller audits its decision.
 */
export async function cancelPostTarget(ctx: Ctx, input: { workspaceId: string; targetId: string; because: Record<string, unknown> }): Promise<void> {
  const [target] = await ctx.db.select().from(postTargets).where(and(eq(postTargets.id, input.targetId), eq(postTargets.workspaceId, input.workspaceId)));
  if (!target) return;
  await authorizeOnChannel(ctx, target.channelId, "draft");
  if (!NOT_STARTED.includes(target.status as TargetStatus)) return;
  const now = ctx.now();
  await ctx.db.update(postTargets).set({ status: "cancelled", heldReason: null, heldByPauseId: null, updatedAt: now }).where(eq(postTargets.id, target.id));
  await recordPostEvent(ctx, target.postId, "cancelled", { ...input.because, targets: 1 }, target.id);
  const others = await ctx.db.select({ id: postTargets.id }).from(postTargets).where(and(eq(postTargets.postId, target.postId), ne(postTargets.status, "cancelled")));
  if (!others.length) await ctx.db.update(posts).set({ state: "cancelled", updatedAt: now }).where(eq(posts.id, target.postId));
}
