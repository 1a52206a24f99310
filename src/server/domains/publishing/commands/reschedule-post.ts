import { and, eq, inArray } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { conflict, invalidInput } from "../../../errors";
import { authorizeOnChannel } from "../../channels";
import { channelDisconnected } from "../../channels/channels.errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { planApproval, retimePendingRun, submitForApproval } from "../approvals";
import { activePauses, pauseCovering } from "../pauses";
import { NOT_STARTED, eventsOf, findPost, presentPost, recordPostEvent, type TargetStatus } from "../post-records";
import { posts, postTargets } from "../publishing.schema";
import { postNotEditable, publishingPaused, scheduledInThePast } from "../publishing.errors";

export type ReschedulePostInput = {
  postId: string;
  /** The new time. */
  scheduledAt: string;
  /** The version the mover saw: a newer one answers `post_changed`. */
  version: number;
  /** Move it although publishing is paused on one of its channels (it is held when due). */
  acknowledgePause?: boolean;
};

/**
 * Moves a post to another time (the calendar's drag, or "Move to…"), and nothing else: its text, channels and content
 * hash stay, so an approval of this content stays valid.
 *
 * - Who: Full publishing on every channel of the post, or its author where they may write (Approval required: their
 *   post keeps going through approval, see below).
 * - Refused: a post that started publishing anywhere, was published, failed or was cancelled (`post_not_editable`); a
 *   time in the past; a disconnected channel; someone else's change since `version` (`post_changed`); publishing
 *   paused on one of its channels unless `acknowledgePause` (`publishing_paused`, as scheduling does; not for drafts).
 * - State: a scheduled post stays scheduled (held deliveries stay held, with the new time); a post in review stays in
 *   review with its approvals so far, and its deadline moves with it: reminder windows not yet reached at the new time
 *   are sent again before it, and external approvers' links expire at the new time (at most 7 days after sending). A
 *   post that was not approved in time (`expired`), an approved one without a time, and a scheduled post moved by an
 *   author without Full publishing everywhere go through planApproval as saving with a time does: scheduled when no
 *   approval is needed or this exact content was approved, else submitted for approval. A draft stays a draft.
 * - Audited `post.rescheduled`; the history says from when to when. The version goes up (concurrency), the content
 *   hash does not.
 */
export async function reschedulePost(ctx: Ctx, input: ReschedulePostInput) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  const at = new Date(input.scheduledAt);
  if (Number.isNaN(at.getTime())) throw invalidInput({ scheduledAt: ["Not a date and time"] });
  return inTransaction(ctx, async (tx) => {
    const { post, targets } = await findPost(tx, workspaceId, input.postId, { forUpdate: true });
    const isAuthor = tx.actor.type === "user" && post.authorId === tx.actor.userId;
    // Moving a post is scheduling it: Full publishing on each of its channels, or, for its author, writing there.
    const levels = new Map<string, string>();
    let disconnected = false;
    for (const target of targets) {
      const { channel, level } = await authorizeOnChannel(tx, target.channelId, isAuthor ? "draft" : "publish");
      levels.set(target.channelId, level);
      if (channel.status === "disconnected") disconnected = true;
    }
    const started = targets.find((t) => !NOT_STARTED.includes(t.status as TargetStatus));
    if (post.state === "cancelled" || started) throw postNotEditable(started?.status ?? post.state);
    if (post.version !== input.version) throw conflict("post_changed", "Someone changed this post meanwhile: reload it to see their version");
    if (at.getTime() < tx.now().getTime() - 60_000) throw scheduledInThePast();
    if (disconnected) throw channelDisconnected();
    if (post.scheduledAt?.getTime() === at.getTime()) return presentPost(post, targets, await eventsOf(tx, [post.id]));

    const channelIds = targets.map((t) => t.channelId);
    const mayPublishAll = channelIds.every((id) => levels.get(id) === "publish");
    let state = post.state as "draft" | "in_review" | "approved" | "scheduled" | "expired";
    let submit = false;
    if (post.state === "expired" || post.state === "approved" || (post.state === "scheduled" && !mayPublishAll)) {
      const plan = await planApproval(tx, { post, contentHash: post.contentHash, channelIds, levels, scheduledAt: at });
      state = plan.state === "approved" ? "scheduled" : plan.state;
      submit = plan.submit;
    }
    if (state !== "draft" && !input.acknowledgePause) {
      const pauses = await activePauses(tx, workspaceId);
      const covering = channelIds.map((id) => pauseCovering(pauses, id)).find(Boolean);
      if (covering) throw publishingPaused(covering.reason);
    }

    const now = tx.now();
    const [updated] = await tx.db
      .update(posts)
      .set({ state, scheduledAt: at, version: post.version + 1, updatedAt: now })
      .where(eq(posts.id, post.id))
      .returning();
    await tx.db.update(postTargets).set({ dueAt: at, updatedAt: now }).where(eq(postTargets.postId, post.id));
    if (state === "scheduled") {
      await tx.db.update(postTargets).set({ status: "scheduled" }).where(and(eq(postTargets.postId, post.id), eq(postTargets.status, "draft")));
    } else if (post.state === "scheduled") {
      // Back to review (its author may not publish it without an approval of this content): nothing goes out meanwhile.
      await tx.db
        .update(postTargets)
        .set({ status: "draft", heldReason: null, heldByPauseId: null })
        .where(and(eq(postTargets.postId, post.id), inArray(postTargets.status, ["scheduled", "held"])));
    }
    if (state === "in_review" && !submit) await retimePendingRun(tx, post.id, at);

    const from = post.scheduledAt?.toISOString() ?? null;
    await recordPostEvent(tx, post.id, "rescheduled", { from, to: at.toISOString(), version: updated.version, ...(state !== post.state ? { state } : {}) });
    await tx.audit(
      { type: "post.rescheduled", data: { postId: post.id, from, to: at.toISOString(), version: updated.version, state } },
      { type: "post", id: post.id },
    );
    if (submit) await submitForApproval(tx, updated, channelIds, levels);
    const [fresh] = await tx.db.select().from(posts).where(eq(posts.id, post.id));
    const freshTargets = await tx.db.select().from(postTargets).where(eq(postTargets.postId, post.id));
    return presentPost(fresh, freshTargets, await eventsOf(tx, [post.id]));
  });
}
