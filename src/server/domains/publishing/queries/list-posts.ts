import { and, asc, desc, eq, exists, gte, inArray, lt, sql } from "drizzle-orm";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { authorizeOnChannel, myLevels } from "../../channels";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { eventsOf, findPost, presentPost } from "../post-records";
import { posts, postTargets } from "../publishing.schema";
import { withMedia } from "../media";

export type ListPostsInput = { from?: string; to?: string; state?: "draft" | "in_review" | "approved" | "scheduled" | "expired" | "cancelled"; limit?: number };

/**
 * Posts the reader may see: those with at least one channel they can read, showing only those channels. Newest first
 * by their time (a draft without one by when it was written); `from`/`to` bound the scheduled time (a calendar's range).
 */
export async function listPosts(ctx: Ctx, input: ListPostsInput = {}) {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  const levels = await myLevels(ctx);
  const readable = [...levels.entries()].filter(([, level]) => level !== "none").map(([channelId]) => channelId);
  if (!readable.length) return [];
  const onReadableChannel = and(eq(postTargets.workspaceId, workspaceId), inArray(postTargets.channelId, readable));
  const conditions = [eq(posts.workspaceId, workspaceId), exists(ctx.db.select({ id: postTargets.id }).from(postTargets).where(and(eq(postTargets.postId, posts.id), onReadableChannel)))];
  if (input.from) conditions.push(gte(posts.scheduledAt, new Date(input.from)));
  if (input.to) conditions.push(lt(posts.scheduledAt, new Date(input.to)));
  if (input.state) conditions.push(eq(posts.state, input.state));
  const page = await ctx.db
    .select()
    .from(posts)
    .where(and(...conditions))
    .orderBy(desc(sql`coalesce(${posts.scheduledAt}, ${posts.createdAt})`), desc(posts.id))
    .limit(input.limit ?? 200);
  if (!page.length) return [];
  const targets = await ctx.db.select().from(postTargets).where(and(inArray(postTargets.postId, page.map((p) => p.id)), onReadableChannel)).orderBy(asc(postTargets.id));
  return page.map((post) => presentPost(post, targets.filter((t) => t.postId === post.id)));
}

/** One post with its history, for a reader who can read at least one of its channels (the others are left out). */
export async function getPost(ctx: Ctx, input: { postId: string }) {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  const { post, targets } = await findPost(ctx, workspaceId, input.postId);
  const levels = await myLevels(ctx);
  const visible = ctx.actor.type === "system" ? targets : targets.filter((t) => (levels.get(t.channelId) ?? "none") !== "none");
  if (!visible.length) {
    // Hidden like a channel the reader has no access to.
    if (targets[0]) await authorizeOnChannel(ctx, targets[0].channelId, "read");
  }
  const hiddenTargets = new Set(targets.filter((t) => !visible.includes(t)).map((t) => t.id));
  const events = (await eventsOf(ctx, [post.id])).filter((e) => !e.targetId || !hiddenTargets.has(e.targetId));
  return withMedia(ctx, presentPost(post, visible, events));
}
