import { and, eq, inArray } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { conflict } from "../../../errors";
import { authorizeOnChannel } from "../../channels";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { invalidateRuns, planApproval, retimePendingRun, submitForApproval, withdrawPendingRun } from "../approvals";
import { checkContent, type CheckedContent, type PostContent } from "../compose";
import { NOT_STARTED, contentHashOf, eventsOf, findPost, presentPost, recordPostEvent, type PostRow, type TargetStatus } from "../post-records";
import { posts, postTargets } from "../publishing.schema";
import { attachMedia, mediaHashParts, withMedia } from "../media";
import { recordEdit } from "../draft-history";
import { postNotEditable } from "../publishing.errors";

export type UpdatePostInput = PostContent & { postId: string; /** The version the editor started from: a newer one answers `post_changed`. */ version: number };

/**
 * Whether a save would change nothing: the same content hash (text, channels with their own texts, images and alt
 * text), the very same images (uploads) in the same order, the same time and the same resulting state, with
 * nothing to submit for approval.
 */
function nothingChanged(
  post: PostRow,
  content: CheckedContent,
  contentHash: string,
  plan: { state: string; scheduledAt: Date | null; submit: boolean },
): boolean {
  if (plan.submit || post.contentHash !== contentHash || post.state !== plan.state) return false;
  if ((post.scheduledAt?.getTime() ?? null) !== (plan.scheduledAt?.getTime() ?? null)) return false;
  // The hash covers the channels with their own texts, and each image by its bytes: a new upload of the same image is a change.
  return content.media.every((m, index) => m.row.postId === post.id && m.row.position === index);
}

/**
 * Replaces a post's text, channels and time while nothing of it has gone out. Each edit makes a new version (and
 * content hash); a save that changes nothing keeps the version and records nothing (the answer has `unchanged: true`).
 * A time makes it scheduled (or submits it for approval, see planApproval), no time a draft again.
 * An edit that changes the content hash invalidates every approval of the earlier content: it goes back for approval.
 * Someone else's edit in between answers `post_changed` instead of being overwritten.
 */
export async function updatePost(ctx: Ctx, input: UpdatePostInput) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const { post, targets } = await findPost(tx, workspaceId, input.postId, { forUpdate: true });
    // Whoever edits must be able to draft on every channel it goes to now, also those the edit drops.
    for (const target of targets) await authorizeOnChannel(tx, target.channelId, "draft");
    const started = targets.find((t) => !NOT_STARTED.includes(t.status as TargetStatus));
    if (post.state === "cancelled" || started) throw postNotEditable(started?.status ?? post.state);
    if (post.version !== input.version) throw conflict("post_changed", "Someone changed this post meanwhile: reload it to see their version");
    const content = await checkContent(tx, workspaceId, input, post.id);
    const contentHash = contentHashOf(content.text, content.targets, mediaHashParts(content.media));
    const channelIds = content.targets.map((t) => t.channelId);
    if (post.contentHash !== contentHash) await invalidateRuns(tx, post, contentHash, "invalidated");
    const plan = await planApproval(tx, { post: { ...post, contentHash }, contentHash, channelIds, levels: content.levels, scheduledAt: content.scheduledAt });
    const { state, scheduledAt } = plan;
    if (nothingChanged(post, content, contentHash, plan)) {
      // The same text, channels, images, time and state (the composer saving again, a double click): no new version,
      // no history line, no audit event. The answer says so.
      return { ...(await withMedia(tx, presentPost(post, targets, await eventsOf(tx, [post.id])))), unchanged: true as const };
    }
    if (state !== "in_review" || plan.submit) await withdrawPendingRun(tx, post.id, "draft");
    // Still in review with the same approvals but a new time: the deadline moves with it (as the calendar's move does).
    else if (scheduledAt && post.scheduledAt?.getTime() !== scheduledAt.getTime()) await retimePendingRun(tx, post.id, scheduledAt);
    const targetStatus = state === "scheduled" ? "scheduled" : "draft";
    const now = tx.now();
    const [updated] = await tx.db
      .update(posts)
      .set({ text: content.text, state, scheduledAt, version: post.version + 1, contentHash, updatedAt: now })
      .where(eq(posts.id, post.id))
      .returning();
    await attachMedia(tx, post.id, content.media);
    const keep = new Set(content.targets.map((t) => t.channelId));
    const dropped = targets.filter((t) => !keep.has(t.channelId)).map((t) => t.id);
    if (dropped.length) await tx.db.delete(postTargets).where(and(eq(postTargets.postId, post.id), inArray(postTargets.id, dropped)));
    for (const wanted of content.targets) {
      await tx.db
        .insert(postTargets)
        .values({ postId: post.id, workspaceId, channelId: wanted.channelId, variantText: wanted.variantText, status: targetStatus, dueAt: scheduledAt, updatedAt: now })
        .onConflictDoUpdate({
          target: [postTargets.postId, postTargets.channelId],
          // A held target stays held: only a person releasing it sends it on (see releaseHeldTargets).
          set: { variantText: wanted.variantText, dueAt: scheduledAt, updatedAt: now, ...(targetStatus === "draft" ? { status: "draft", heldReason: null, heldByPauseId: null } : {}) },
        });
      // A draft becoming scheduled: every target that was a draft is now scheduled.
      if (state === "scheduled") {
        await tx.db
          .update(postTargets)
          .set({ status: "scheduled" })
          .where(and(eq(postTargets.postId, post.id), eq(postTargets.channelId, wanted.channelId), eq(postTargets.status, "draft")));
      }
    }
    const changes = { version: updated.version, contentHash, ...(post.contentHash !== contentHash ? { contentChanged: true } : {}) };
    await recordEdit(tx, post, state, changes);
    if (state === "scheduled" && (post.state !== "scheduled" || post.scheduledAt?.getTime() !== scheduledAt?.getTime())) await recordPostEvent(tx, post.id, "scheduled", { at: scheduledAt!.toISOString() });
    if (state !== "scheduled" && post.state === "scheduled") await recordPostEvent(tx, post.id, "unscheduled");
    await tx.audit(
      { type: "post.updated", data: { postId: post.id, version: updated.version, channelIds: content.targets.map((t) => t.channelId), scheduledAt: content.scheduledAt?.toISOString() ?? null } },
      { type: "post", id: post.id },
    );
    if (plan.submit) await submitForApproval(tx, updated, channelIds, content.levels);
    const fresh = await tx.db.select().from(postTargets).where(eq(postTargets.postId, post.id));
    return withMedia(tx, presentPost(updated, fresh, await eventsOf(tx, [post.id])));
  });
}
