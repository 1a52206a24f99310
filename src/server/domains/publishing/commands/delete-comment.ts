import { eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { findComment, findReadablePost, notCommentAuthor } from "../comments";
import { postComments } from "../comments.schema";

/** Deletes the actor's own comment. Audited `post.comment_deleted`. */
export async function deleteComment(ctx: Ctx, input: { postId: string; commentId: string }): Promise<void> {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  await inTransaction(ctx, async (tx) => {
    const { post } = await findReadablePost(tx, workspaceId, input.postId);
    const comment = await findComment(tx, post.id, input.commentId, { forUpdate: true });
    if (tx.actor.type !== "user" || comment.authorId !== tx.actor.userId) throw notCommentAuthor();
    await tx.db.delete(postComments).where(eq(postComments.id, comment.id));
    await tx.audit({ type: "post.comment_deleted", data: { postId: post.id, commentId: comment.id, postVersion: comment.postVersion } }, { type: "post", id: post.id });
  });
}
