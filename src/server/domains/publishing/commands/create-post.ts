import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { checkContent, type PostContent } from "../compose";
import { contentHashOf, eventsOf, presentPost, recordPostEvent } from "../post-records";
import { posts, postTargets } from "../publishing.schema";

/**
 * Composes a post for one or several channels: a draft, or scheduled when it has a time (which needs Full
 * publishing on every channel; "Approval required" writers keep drafts). See `checkContent` for what is refused.
 */
export async function createPost(ctx: Ctx, input: PostContent) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const content = await checkContent(tx, workspaceId, input);
    const state = content.scheduledAt ? "scheduled" : "draft";
    const now = tx.now();
    const [post] = await tx.db
      .insert(posts)
      .values({
        workspaceId,
        authorId: tx.actor.type === "user" ? tx.actor.userId : null,
        text: content.text,
        state,
        scheduledAt: content.scheduledAt,
        contentHash: contentHashOf(content.text, content.targets),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const targets = await tx.db
      .insert(postTargets)
      .values(content.targets.map((t) => ({ postId: post.id, workspaceId, channelId: t.channelId, variantText: t.variantText, status: state, dueAt: content.scheduledAt, updatedAt: now })))
      .returning();
    await recordPostEvent(tx, post.id, "created", { version: 1, contentHash: post.contentHash });
    if (content.scheduledAt) await recordPostEvent(tx, post.id, "scheduled", { at: content.scheduledAt.toISOString() });
    await tx.audit(
      { type: "post.created", data: { postId: post.id, channelIds: content.targets.map((t) => t.channelId), scheduledAt: content.scheduledAt?.toISOString() ?? null } },
      { type: "post", id: post.id },
    );
    return presentPost(post, targets, await eventsOf(tx, [post.id]));
  });
}
