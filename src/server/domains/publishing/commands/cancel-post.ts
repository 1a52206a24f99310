import { and, eq, inArray } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { authorizeOnChannel } from "../../channels";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { withdrawPendingRun } from "../approvals";
import { NOT_STARTED, eventsOf, findPost, presentPost, recordPostEvent } from "../post-records";
import { posts, postTargets } from "../publishing.schema";
import { postNotEditable } from "../publishing.errors";

/**
 * Cancels a post on every channel where it has not gone out (draft, scheduled, held). Whoever may draft on all its
 * channels may cancel it; what was published stays (take it down instead).
 */
export async function cancelPost(ctx: Ctx, input: { postId: string }) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const { post, targets } = await findPost(tx, workspaceId, input.postId, { forUpdate: true });
    for (const target of targets) await authorizeOnChannel(tx, target.channelId, "draft");
    if (post.state === "cancelled") throw postNotEditable("cancelled");
    const open = targets.filter((t) => (NOT_STARTED as string[]).includes(t.status)).map((t) => t.id);
    if (open.length) await tx.db.update(postTargets).set({ status: "cancelled", updatedAt: tx.now() }).where(and(eq(postTargets.postId, post.id), inArray(postTargets.id, open)));
    await withdrawPendingRun(tx, post.id, "cancelled");
    const [updated] = await tx.db.update(posts).set({ state: "cancelled", updatedAt: tx.now() }).where(eq(posts.id, post.id)).returning();
    await recordPostEvent(tx, post.id, "cancelled", { targets: open.length });
    await tx.audit({ type: "post.cancelled", data: { postId: post.id, targetsCancelled: open.length } }, { type: "post", id: post.id });
    const fresh = await tx.db.select().from(postTargets).where(eq(postTargets.postId, post.id));
    return presentPost(updated, fresh, await eventsOf(tx, [post.id]));
  });
}
