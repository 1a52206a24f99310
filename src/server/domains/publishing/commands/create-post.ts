import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { planApproval, submitForApproval } from "../approvals";
import { checkContent, type PostContent } from "../compose";
import { contentHashOf, eventsOf, presentPost, recordPostEvent } from "../post-records";
import { posts, postTargets } from "../publishing.schema";
import { attachMedia, mediaHashParts, withMedia } from "../media";

/**
 * Composes a post for one or several channels: a draft, or scheduled when it has a time; when it needs approval (a
 * channel with a workflow, or a writer without Full publishing) a time submits it for approval instead (`in_review`,
 * see planApproval). See `checkContent` for what is refused.
 */
export async function createPost(ctx: Ctx, input: PostContent) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const content = await checkContent(tx, workspaceId, input);
    const contentHash = contentHashOf(content.text, content.targets, mediaHashParts(content.media));
    const channelIds = content.targets.map((t) => t.channelId);
    const plan = await planApproval(tx, { post: null, contentHash, channelIds, levels: content.levels, scheduledAt: content.scheduledAt });
    const { state, scheduledAt } = plan;
    const now = tx.now();
    const [post] = await tx.db
      .insert(posts)
      .values({
        workspaceId,
        authorId: tx.actor.type === "user" ? tx.actor.userId : null,
        text: content.text,
        state,
        scheduledAt,
        contentHash,
        pauseExempt: input.pauseExempt ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const targets = await tx.db
      .insert(postTargets)
      .values(content.targets.map((t) => ({ postId: post.id, workspaceId, channelId: t.channelId, variantText: t.variantText, status: state === "scheduled" ? "scheduled" : "draft", dueAt: scheduledAt, updatedAt: now })))
      .returning();
    await attachMedia(tx, post.id, content.media);
    await recordPostEvent(tx, post.id, "created", { version: 1, contentHash: post.contentHash });
    if (state === "scheduled") await recordPostEvent(tx, post.id, "scheduled", { at: scheduledAt!.toISOString() });
    await tx.audit(
      { type: "post.created", data: { postId: post.id, channelIds: content.targets.map((t) => t.channelId), scheduledAt: content.scheduledAt?.toISOString() ?? null } },
      { type: "post", id: post.id },
    );
    if (plan.submit) await submitForApproval(tx, post, channelIds, content.levels);
    return withMedia(tx, presentPost(post, targets, await eventsOf(tx, [post.id])));
  });
}
