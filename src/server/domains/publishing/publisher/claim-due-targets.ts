import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Services } from "../../../context";
import { channels } from "../../channels/channels.schema";
import { activePauses, lockPublishing, pauseCovering } from "../pauses";
import { recordPostEvent } from "../post-records";
import { lockdownPolicy } from "../lockdown-policy";
import { posts, postTargets } from "../publishing.schema";

export type Claim = { targetId: string; workspaceId: string; claimSeq: number };

/**
 * Claims up to `limit` due posts (one target = one post on one channel) for this worker. Per workspace, in one
 * transaction: the workspace's publishing lock (shared; a pause waits for it), the pauses in force, then the due
 * targets with FOR UPDATE SKIP LOCKED, so two workers never claim the same one. A target a pause covers is held
 * instead; one whose channel needs reconnecting too; one a crisis lock down holds (its author, or nobody, is outside
 * the crisis team: the lock down policy, lockdown-policy.ts) too, recorded for the crisis team's decision. The others move to `publishing` with the next claim number:
 * from then on they are this worker's, and nothing else touches them until their outcome is recorded (or their
 * claim goes stale, see recoverStalledTargets).
 */
export async function unsafeClaimDueTargets(services: Services, limit: number): Promise<Claim[]> {
  if (limit <= 0) return [];
  const now = services.clock();
  const due = and(eq(postTargets.status, "scheduled"), lte(postTargets.dueAt, now));
  const workspaces = await services.database.db.selectDistinct({ workspaceId: postTargets.workspaceId }).from(postTargets).where(due).limit(50);
  const claims: Claim[] = [];
  for (const { workspaceId } of workspaces) {
    if (claims.length >= limit) break;
    const ctx = unsafeSystemCtx(services, "publisher", workspaceId);
    const claimed = await inTransaction(ctx, async (tx) => {
      if (!(await lockPublishing(tx, workspaceId, "share"))) return [];
      const pauses = await activePauses(tx, workspaceId);
      const lockdown = await lockdownPolicy().openGate(tx, workspaceId);
      const rows = await tx.db
        .select({
          id: postTargets.id,
          postId: postTargets.postId,
          channelId: postTargets.channelId,
          channelStatus: channels.status,
          network: channels.network,
          pauseExempt: posts.pauseExempt,
          authorId: posts.authorId,
          contentHash: posts.contentHash,
          dueAt: postTargets.dueAt,
        })
        .from(postTargets)
        .innerJoin(channels, eq(channels.id, postTargets.channelId))
        .innerJoin(posts, eq(posts.id, postTargets.postId))
        .where(and(eq(postTargets.workspaceId, workspaceId), due))
        .orderBy(asc(postTargets.dueAt))
        .limit(limit - claims.length)
        .for("update", { of: postTargets, skipLocked: true });
      const toClaim: string[] = [];
      for (const row of rows) {
        // A crisis statement (pause_exempt) goes out through the pause that holds everything else.
        const pause = row.pauseExempt ? undefined : pauseCovering(pauses, row.channelId);
        const heldReason = pause ? "paused" : row.channelStatus !== "active" ? "needs_reconnect" : null;
        if (!heldReason) {
          // A crisis lock down holds a post by someone outside the crisis team (recorded for the crisis team's decision).
          const lockedBy = lockdown ? await lockdown.holding(row) : null;
          if (!lockedBy) {
            toClaim.push(row.id);
            continue;
          }
          await tx.db.update(postTargets).set({ status: "held", heldReason: "crisis_lockdown", heldByPauseId: null, updatedAt: tx.now() }).where(eq(postTargets.id, row.id));
          await recordPostEvent(tx, row.postId, "held", { reason: "crisis_lockdown", crisisId: lockedBy }, row.id);
          await lockdown!.held(lockedBy, row);
          continue;
        }
        await tx.db.update(postTargets).set({ status: "held", heldReason, heldByPauseId: pause?.id ?? null, updatedAt: tx.now() }).where(eq(postTargets.id, row.id));
        await recordPostEvent(tx, row.postId, "held", { reason: heldReason, ...(pause ? { pauseId: pause.id } : {}) }, row.id);
      }
      if (!toClaim.length) return [];
      // One statement for all of them, each with its own claim number.
      const claimed = await tx.db
        .update(postTargets)
        .set({ status: "publishing", claimSeq: sql`nextval('publish_claim_seq')`, claimedAt: tx.now(), attempts: sql`${postTargets.attempts} + 1`, updatedAt: tx.now() })
        .where(inArray(postTargets.id, toClaim))
        .returning({ id: postTargets.id, claimSeq: postTargets.claimSeq });
      const mine: Claim[] = claimed.map((c) => ({ targetId: c.id, workspaceId, claimSeq: Number(c.claimSeq) }));
      return mine;
    });
    claims.push(...claimed);
  }
  return claims;
}

/**
 * A worker that claimed a post and died (killed, crashed, lost its database connection) leaves it `publishing`.
 * After `leaseMs` such a claim is stale: the post may or may not be on the network, so it is scheduled again as
 * outcome unknown, and the next attempt reconciles (looks for it on the network) before publishing anything.
 */
export async function unsafeRecoverStalledTargets(services: Services, leaseMs: number): Promise<number> {
  const staleBefore = new Date(services.clock().getTime() - leaseMs);
  const ctx = unsafeSystemCtx(services, "publisher");
  return inTransaction(ctx, async (tx) => {
    const stalled = await tx.db
      .select({ id: postTargets.id, postId: postTargets.postId })
      .from(postTargets)
      .where(and(eq(postTargets.status, "publishing"), lte(postTargets.claimedAt, staleBefore)))
      .for("update", { skipLocked: true });
    if (!stalled.length) return 0;
    await tx.db
      .update(postTargets)
      .set({ status: "scheduled", dueAt: tx.now(), failureKind: "outcome_unknown", failureMessage: "the worker publishing it stopped before recording the outcome", updatedAt: tx.now() })
      .where(inArray(postTargets.id, stalled.map((s) => s.id)));
    for (const target of stalled) await recordPostEvent(tx, target.postId, "attempt_stalled", {}, target.id);
    return stalled.length;
  });
}
