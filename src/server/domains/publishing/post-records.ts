import { createHash } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../../context";
import { notFound } from "../../errors";
import { postEvents, posts, postTargets } from "./publishing.schema";

export type PostRow = typeof posts.$inferSelect;
export type TargetRow = typeof postTargets.$inferSelect;
export type TargetStatus = "draft" | "scheduled" | "held" | "publishing" | "published" | "failed" | "removed" | "cancelled";

/** Target states a post can still be edited, scheduled or cancelled in: nothing has gone out or started. */
export const NOT_STARTED: readonly TargetStatus[] = ["draft", "scheduled", "held"];

/** The text a channel receives: its own variant, or the post's text. */
export const textFor = (post: Pick<PostRow, "text">, target: Pick<TargetRow, "variantText">) => target.variantText ?? post.text;

/**
 * SHA-256 of what would be published where: approvals bind to it, so any edit after one is visible. `media` is each
 * image's SHA-256 and alt text in order (see mediaHashParts): a swapped image is a new version too.
 */
export function contentHashOf(text: string, targets: Array<{ channelId: string; variantText: string | null }>, media: unknown[][] = []): string {
  const canonical = JSON.stringify({
    text,
    targets: [...targets].sort((a, b) => a.channelId.localeCompare(b.channelId)).map((t) => [t.channelId, t.variantText]),
    ...(media.length ? { media } : {}),
  });
  return createHash("sha256").update(canonical).digest("hex");
}

/** Who a post event names: the person, or the system part that acted ("publisher"). */
function actorOf(ctx: Ctx): { actorId: string | null; actorLabel: string } {
  if (ctx.actor.type === "user") return { actorId: ctx.actor.userId, actorLabel: ctx.actor.name || ctx.actor.email };
  if (ctx.actor.type === "system") return { actorId: null, actorLabel: ctx.actor.label };
  return { actorId: null, actorLabel: "anonymous" };
}

/** Adds to a post's history (inside the caller's transaction). */
export async function recordPostEvent(ctx: Ctx, postId: string, type: string, data: Record<string, unknown> = {}, targetId: string | null = null): Promise<void> {
  await ctx.db.insert(postEvents).values({ postId, targetId, type, data, ...actorOf(ctx), createdAt: ctx.now() });
}

/** The workspace's post `postId` with its targets; locked for the rest of the transaction when `forUpdate`. */
export async function findPost(ctx: Ctx, workspaceId: string, postId: string, options: { forUpdate?: boolean } = {}): Promise<{ post: PostRow; targets: TargetRow[] }> {
  const query = ctx.db.select().from(posts).where(and(eq(posts.workspaceId, workspaceId), eq(posts.id, postId)));
  const [post] = options.forUpdate ? await query.for("update") : await query;
  if (!post) throw notFound("Post");
  const targetQuery = ctx.db.select().from(postTargets).where(eq(postTargets.postId, postId)).orderBy(asc(postTargets.id));
  const targets = options.forUpdate ? await targetQuery.for("update") : await targetQuery;
  return { post, targets };
}

/** The history of posts, oldest first. */
export async function eventsOf(ctx: Ctx, postIds: string[]) {
  if (!postIds.length) return [];
  return ctx.db.select().from(postEvents).where(inArray(postEvents.postId, postIds)).orderBy(asc(postEvents.id));
}

export function presentTarget(post: PostRow, target: TargetRow) {
  return {
    id: target.id,
    channelId: target.channelId,
    variantText: target.variantText,
    text: textFor(post, target),
    status: target.status as TargetStatus,
    dueAt: target.dueAt?.toISOString() ?? null,
    attempts: target.attempts,
    heldReason: target.heldReason,
    networkPostId: target.networkPostId,
    url: target.url,
    publishedAt: target.publishedAt?.toISOString() ?? null,
    failure: target.failureKind ? { kind: target.failureKind, message: target.failureMessage ?? "" } : null,
    removed: target.removedAt ? { at: target.removedAt.toISOString(), by: target.removedBy, reason: target.removedReason ?? "" } : null,
  };
}

export function presentPost(post: PostRow, targets: TargetRow[], events?: Array<typeof postEvents.$inferSelect>) {
  return {
    id: post.id,
    authorId: post.authorId,
    text: post.text,
    state: post.state as "draft" | "in_review" | "approved" | "scheduled" | "expired" | "cancelled",
    scheduledAt: post.scheduledAt?.toISOString() ?? null,
    version: post.version,
    contentHash: post.contentHash,
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    targets: targets.map((t) => presentTarget(post, t)),
    ...(events
      ? {
          history: events.map((e) => ({
            type: e.type,
            targetId: e.targetId,
            actorId: e.actorId,
            actor: e.actorLabel,
            data: e.data,
            at: e.createdAt.toISOString(),
          })),
        }
      : {}),
  };
}
export type PresentedPost = ReturnType<typeof presentPost>;
