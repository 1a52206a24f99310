import { eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { checkBody, checkMentions, findComment, findReadablePost, mailMentioned, namesFor, notCommentAuthor, presentComment } from "../comments";
import { postComments } from "../comments.schema";

export type EditCommentInput = { postId: string; commentId: string; body: string; mentions?: string[] };

/**
 * Changes the text (and mentions) of the actor's own comment; only people mentioned for the first time are mailed.
 * Audited `post.comment_edited`.
 */
export async function editComment(ctx: Ctx, input: EditCommentInput) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const { post, targets } = await findReadablePost(tx, workspaceId, input.postId);
    const comment = await findComment(tx, post.id, input.commentId, { forUpdate: true });
    if (tx.actor.type !== "user" || comment.authorId !== tx.actor.userId) throw notCommentAuthor();
    const body = checkBody(input.body);
    const mentioned = await checkMentions(tx, workspaceId, targets, input.mentions ?? []);
    const [row] = await tx.db
      .update(postComments)
      .set({ body, mentions: mentioned.map((p) => p.userId), editedAt: tx.now() })
      .where(eq(postComments.id, comment.id))
      .returning();
    const fresh = mentioned.filter((p) => !comment.mentions.includes(p.userId));
    const notified = await mailMentioned(tx, post, targets, row, fresh);
    await tx.audit(
      { type: "post.comment_edited", data: { postId: post.id, commentId: row.id, mentions: row.mentions, notified } },
      { type: "post", id: post.id },
    );
    return presentComment(tx, row, await namesFor(tx, [row]));
  });
}
