import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { checkBody, checkMentions, findReadablePost, mailMentioned, namesFor, presentComment, writerOf } from "../comments";
import { postComments } from "../comments.schema";

export type AddCommentInput = { postId: string; body: string; mentions?: string[] };

/**
 * Adds an internal comment to a post the actor can see, on its current version. The people it @mentions must be
 * able to see the post too (`mention_not_allowed` otherwise); each is mailed. Audited `post.comment_added`.
 */
export async function addComment(ctx: Ctx, input: AddCommentInput) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const { post, targets } = await findReadablePost(tx, workspaceId, input.postId);
    const body = checkBody(input.body);
    const mentioned = await checkMentions(tx, workspaceId, targets, input.mentions ?? []);
    const [row] = await tx.db
      .insert(postComments)
      .values({ workspaceId, postId: post.id, ...writerOf(tx), body, mentions: mentioned.map((p) => p.userId), postVersion: post.version, createdAt: tx.now() })
      .returning();
    const notified = await mailMentioned(tx, post, targets, row, mentioned);
    await tx.audit(
      { type: "post.comment_added", data: { postId: post.id, commentId: row.id, postVersion: post.version, mentions: row.mentions, notified } },
      { type: "post", id: post.id },
    );
    return presentComment(tx, row, await namesFor(tx, [row]));
  });
}
