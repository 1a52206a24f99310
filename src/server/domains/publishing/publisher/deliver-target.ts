import { and, eq } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Ctx, type Services } from "../../../context";
import type { NetworkError, PublishedPost } from "../../../networks/types";
import { describeFailure, unsafeCallChannel } from "../../channels";
import { recordPostEvent, textFor } from "../post-records";
import { posts, postTargets } from "../publishing.schema";
import { unsafeMediaItemsOf } from "../media";
import type { Claim } from "./claim-due-targets";
import { noticePublishFailure } from "./publish-failure-notice";
import { DEFAULT_TIMING, backoffMs, type PublishTiming } from "./timing";


export type Delivery = "published" | "reconciled" | "retry" | "held" | "failed" | "lost_claim";


/**
 * Publishes one claimed post on its channel and records the outcome. The idempotency key is the target's id, the
 * same at every attempt. An attempt after an unknown outcome first looks for the post on the network (by that key
 * and the text) and records it as published when it is there: a post is never sent twice because a previous
 * answer was lost. Outcomes are recorded only while the claim is still this worker's (same claim number).
 */
export async function unsafeDeliverTarget(services: Services, claim: Claim, timing: PublishTiming = DEFAULT_TIMING): Promise<Delivery> {
  const ctx = unsafeSystemCtx(services, "publisher", claim.workspaceId);
  const [row] = await ctx.db
    .select({ target: postTargets, post: posts })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(eq(postTargets.id, claim.targetId), eq(postTargets.claimSeq, claim.claimSeq), eq(postTargets.status, "publishing")));
  if (!row) return "lost_claim";
  const { target, post } = row;
  const text = textFor(post, target);

  if (target.failureKind === "outcome_unknown") {
    const found = await unsafeCallChannel(ctx, target.channelId, async (connector, credentials) => {
      if (!connector.findPublished) return "cannot_reconcile" as const;
      return connector.findPublished(credentials, target.id, text);
    });
    // Still unknown: whatever happens next, the following attempt must look first again.
    if (!found.ok) return failed(ctx, claim, target.postId, target.attempts, found.error, timing, { stillUnknown: true });
    if (found.value === "cannot_reconcile") {
      return fail(ctx, claim, target.postId, "outcome_unknown", "the network may have published it, and it cannot be searched: check the channel, then publish again or cancel");
    }
    if (found.value !== null) return record(ctx, claim, target.postId, found.value, true);
    // Not there: publishing now sends it once.
  }

  // The images go with every attempt: a repeat after a lost answer uploads them again, which is harmless (the network
  // keeps only what a post uses; the Sandbox returns the first post for the same key).
  const media = await unsafeMediaItemsOf(ctx, post.id);
  const result = await unsafeCallChannel(ctx, target.channelId, (connector, credentials) => {
    if (!connector.publish) throw new Error("this network cannot publish");
    return connector.publish(credentials, { text, idempotencyKey: target.id, ...(media.length ? { media } : {}) });
  });
  if (result.ok) return record(ctx, claim, target.postId, result.value, false);
  return failed(ctx, claim, target.postId, target.attempts, result.error, timing);
}

/** Applies `update` to the target only while the claim is still ours; false when it was taken from us (stale). */
async function whileClaimed(tx: Ctx, claim: Claim, update: Partial<typeof postTargets.$inferInsert>): Promise<boolean> {
  const changed = await tx.db
    .update(postTargets)
    .set({ ...update, updatedAt: tx.now() })
    .where(and(eq(postTargets.id, claim.targetId), eq(postTargets.claimSeq, claim.claimSeq), eq(postTargets.status, "publishing")))
    .returning({ id: postTargets.id });
  return changed.length === 1;
}

async function record(ctx: Ctx, claim: Claim, postId: string, published: PublishedPost, reconciled: boolean): Promise<Delivery> {
  return inTransaction(ctx, async (tx) => {
    const ours = await whileClaimed(tx, claim, {
      status: "published",
      networkPostId: published.networkPostId,
      url: published.url,
      publishedAt: new Date(published.publishedAt),
      failureKind: null,
      failureMessage: null,
    });
    if (!ours) {
      // Recovered as stalled meanwhile: the next attempt will find this post on the network and record it.
      tx.log.warn({ targetId: claim.targetId, networkPostId: published.networkPostId }, "published after the claim went stale; reconciliation will record it");
      return "lost_claim";
    }
    await recordPostEvent(tx, postId, "published", { networkPostId: published.networkPostId, url: published.url, ...(reconciled ? { reconciled: true } : {}) }, claim.targetId);
    await tx.audit({ type: "post.published", data: { postId, targetId: claim.targetId, networkPostId: published.networkPostId, url: published.url, reconciled } }, { type: "post", id: postId });
    return reconciled ? "reconciled" : "published";
  });
}

/**
 * What a classified failure means for the post: retry later, reconcile later, hold, or stop with the reason. While an
 * earlier outcome is `stillUnknown` (the reconciliation itself failed), the target keeps that mark, so no later
 * attempt publishes without looking first.
 */
async function failed(ctx: Ctx, claim: Claim, postId: string, attempts: number, error: NetworkError, timing: PublishTiming, options: { stillUnknown?: boolean } = {}): Promise<Delivery> {
  const message = describeFailure(error, null);
  const mark = (kind: string) => (options.stillUnknown ? "outcome_unknown" : kind);
  const now = ctx.now().getTime();
  switch (error.kind) {
    case "rate_limited":
      return retry(ctx, claim, postId, mark(error.kind), message, new Date(now + (error.details.retryAfterSeconds ?? 60) * 1000));
    case "transient":
      if (attempts >= timing.maxAttempts) return fail(ctx, claim, postId, mark(error.kind), `${message} (gave up after ${attempts} attempts)`);
      return retry(ctx, claim, postId, mark(error.kind), message, new Date(now + backoffMs(attempts, timing)));
    case "outcome_unknown":
      return retry(ctx, claim, postId, error.kind, message, new Date(now + timing.reconcileAfterMs));
    case "auth_expired":
      return inTransaction(ctx, async (tx) => {
        if (!(await whileClaimed(tx, claim, { status: "held", heldReason: "needs_reconnect", failureKind: mark(error.kind), failureMessage: message }))) return "lost_claim";
        await recordPostEvent(tx, postId, "held", { reason: "needs_reconnect", failure: message }, claim.targetId);
        await noticePublishFailure(tx, { postId, targetId: claim.targetId, kind: "held", reason: message });
        return "held";
      });
    case "invalid_content":
      return fail(ctx, claim, postId, mark(error.kind), message);
  }
}

async function retry(ctx: Ctx, claim: Claim, postId: string, kind: string, message: string, at: Date): Promise<Delivery> {
  return inTransaction(ctx, async (tx) => {
    if (!(await whileClaimed(tx, claim, { status: "scheduled", dueAt: at, failureKind: kind, failureMessage: message }))) return "lost_claim";
    await recordPostEvent(tx, postId, "attempt_failed", { kind, message, retryAt: at.toISOString() }, claim.targetId);
    return "retry";
  });
}

async function fail(ctx: Ctx, claim: Claim, postId: string, kind: string, message: string): Promise<Delivery> {
  return inTransaction(ctx, async (tx) => {
    if (!(await whileClaimed(tx, claim, { status: "failed", failureKind: kind, failureMessage: message }))) return "lost_claim";
    await recordPostEvent(tx, postId, "failed", { kind, message }, claim.targetId);
    await tx.audit({ type: "post.publish_failed", data: { postId, targetId: claim.targetId, kind, message } }, { type: "post", id: postId });
    await noticePublishFailure(tx, { postId, targetId: claim.targetId, kind: "failed", reason: message });
    return "failed";
  });
}
