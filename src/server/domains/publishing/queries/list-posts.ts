import { and, desc, eq, gte, inArray, lt } from "drizzle-orm";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { authorizeOnChannel, myLevels } from "../../channels";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { eventsOf, findPost, presentPost } from "../post-records";
import { posts, postTargets } from "../publishing.schema";

export type ListPostsInput = { from?: string; to?: string; state?: "draft" | "in_review" | "approved" | "scheduled" | "expired" | "cancelled"; limit?: number };

/**
 * Posts the reader may see: those with at least one channel they can read, showing only those channels. Newest time
 * first; `from`/`to` bound the scheduled time (a calendar's range).
 */
export async function listPosts(ctx: Ctx, input: ListPostsInput = {}) {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  const levels = await myLevels(ctx);
  const readable = [...levels.entries()].filter(([, level]) => level !== "none").map(([channelId]) => channelId);
  if (!readable.length) return [];
  const conditions = [eq(postTargets.workspaceId, workspaceId), inArray(postTargets.channelId, readable)];
  if (input.from) conditions.push(gte(posts.scheduledAt, new Date(input.from)));
  if (input.to) conditions.push(lt(posts.scheduledAt, new Date(input.to)));
  if (input.state) conditions.push(eq(posts.state, input.state));
  const rows = await ctx.db
    .select({ post: posts, target: postTargets })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(...conditions))
    .orderBy(desc(posts.scheduledAt), desc(posts.createdAt))
    .limit((input.limit ?? 200) * 4);
  const byPost = new Map<string, { post: (typeof rows)[number]["post"]; targets: Array<(typeof rows)[number]["target"]> }>();
  for (const row of rows) {
    const entry = byPost.get(row.post.id) ?? { post: row.post, targets: [] };
    entry.targets.push(row.target);
    byPost.set(row.post.id, entry);
  }
  return [...byPost.values()].slice(0, input.limit ?? 200).map(({ post, targets }) => presentPost(post, targets));
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
  return presentPost(post, visible, events);
}
