import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { recordPostEvent } from "../post-records";
import { posts, postTargets } from "../publishing.schema";

/**
 * Offboarding, for publishing (inside the caller's transaction, after it decided): the leaver's scheduled posts are
 * held for review instead of going out under their name, and their drafts and held posts go to `newOwnerId` when
 * there is one (the admin who removed them, or whom they chose). Returns the counts for the removal's audit event.
 */
export async function unsafeHandOverPostsOf(tx: Ctx, input: { workspaceId: string; userId: string; newOwnerId: string | null }): Promise<{ postsHeld: number; postsHandedOver: number }> {
  const open = await tx.db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.workspaceId, input.workspaceId), eq(posts.authorId, input.userId), inArray(posts.state, ["draft", "scheduled", "in_review", "approved", "expired"])))
    .for("update");
  if (!open.length) return { postsHeld: 0, postsHandedOver: 0 };
  const ids = open.map((p) => p.id);
  const held = await tx.db
    .update(postTargets)
    .set({ status: "held", heldReason: "author_removed", updatedAt: tx.now() })
    .where(and(inArray(postTargets.postId, ids), eq(postTargets.status, "scheduled")))
    .returning({ id: postTargets.id, postId: postTargets.postId });
  for (const target of held) await recordPostEvent(tx, target.postId, "held", { reason: "author_removed" }, target.id);
  if (input.newOwnerId) {
    await tx.db.update(posts).set({ authorId: input.newOwnerId, updatedAt: tx.now() }).where(inArray(posts.id, ids));
    for (const id of ids) await recordPostEvent(tx, id, "handed_over", { from: input.userId, to: input.newOwnerId });
  }
  return { postsHeld: new Set(held.map((t) => t.postId)).size, postsHandedOver: input.newOwnerId ? ids.length : 0 };
}
