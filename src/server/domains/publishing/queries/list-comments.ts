import { asc, eq } from "drizzle-orm";
import { authorize, can } from "../../../authz";
import type { Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { findReadablePost, namesFor, peopleWhoCanSee, presentComment } from "../comments";
import { postComments } from "../comments.schema";

/** The internal comments on a post the reader can see, oldest first, with the post's current version. */
export async function listComments(ctx: Ctx, input: { postId: string }) {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  const { post } = await findReadablePost(ctx, workspaceId, input.postId);
  const rows = await ctx.db.select().from(postComments).where(eq(postComments.postId, post.id)).orderBy(asc(postComments.createdAt), asc(postComments.id));
  const names = await namesFor(ctx, rows);
  return { comments: rows.map((row) => presentComment(ctx, row, names)), postVersion: post.version, canComment: can(ctx.actor, "posts.write") };
}

/** The people a comment on this post may @mention: the workspace members who can see it. */
export async function mentionablePeople(ctx: Ctx, input: { postId: string }) {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  const { targets } = await findReadablePost(ctx, workspaceId, input.postId);
  const people = await peopleWhoCanSee(ctx, workspaceId, targets);
  return { people: people.map(({ userId, name, email }) => ({ userId, name, email })) };
}
