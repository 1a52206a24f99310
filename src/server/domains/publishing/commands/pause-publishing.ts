import { and, eq, inArray, notInArray } from "drizzle-orm";
import type { PausedVia } from "../../../../contracts/publishing";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput, notFound } from "../../../errors";
import { channels } from "../../channels/channels.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { activePauses, lockPublishing, nextClaimNumber, presentPause } from "../pauses";
import { recordPostEvent } from "../post-records";
import { posts, postTargets, publishingPauses } from "../publishing.schema";
import { alreadyPaused } from "../publishing.errors";

export type PausePublishingInput = {
  reason: string;
  /** Only these channels; absent or null: the whole workspace. */
  channelIds?: string[] | null;
  /** Set by crisis mode (never from a request): the crisis that paused, worded by the web app in the reader's language. */
  pausedVia?: PausedVia;
  /**
   * Crisis mode (never a request): take this pause even where pauses in force cover the scope already (another
   * crisis's, an admin's), so publishing stays paused until this crisis lifts its own — not when the other one ends.
   */
  evenIfCovered?: boolean;
};

/**
 * Stops publishing for the workspace, or chosen channels, until resumed. Once this returns, no post of its scope
 * starts publishing: it waits for claims already under way (they started before the pause, and their posts were
 * claimed with a lower number than the pause's `claimMark`), and every later claim sees the pause. Posts that were
 * scheduled are held, to be reviewed at resume rather than released in a burst. The crisis module calls this too.
 */
export async function pausePublishing(ctx: Ctx, input: PausePublishingInput) {
  authorize(ctx.actor, "publishing.pause");
  const { workspaceId } = currentWorkspace(ctx);
  const reason = input.reason.trim();
  if (!reason) throw invalidInput({ reason: ["Say why, for those who see the banner"] });
  const channelIds = input.channelIds?.length ? [...new Set(input.channelIds)] : null;
  return inTransaction(ctx, async (tx) => {
    await lockPublishing(tx, workspaceId, "update");
    if (channelIds) {
      const found = await tx.db.select({ id: channels.id }).from(channels).where(and(eq(channels.workspaceId, workspaceId), inArray(channels.id, channelIds)));
      if (found.length !== channelIds.length) throw notFound("Channel");
    }
    const pauses = await activePauses(tx, workspaceId);
    const coveredAlready = pauses.some((p) => p.channelIds === null) || (channelIds !== null && channelIds.every((id) => pauses.some((p) => p.channelIds?.includes(id))));
    if (coveredAlready && !input.evenIfCovered) throw alreadyPaused();
    const mark = await nextClaimNumber(tx);
    const [pause] = await tx.db
      .insert(publishingPauses)
      .values({
        workspaceId,
        channelIds,
        reason,
        pausedBy: tx.actor.type === "user" ? tx.actor.userId : null,
        pausedByLabel: tx.actor.type === "user" ? tx.actor.name || tx.actor.email : tx.actor.type === "system" ? tx.actor.label : "anonymous",
        pausedVia: input.pausedVia ?? null,
        pausedAt: tx.now(),
        claimMark: mark,
      })
      .returning();
    const scope = [eq(postTargets.workspaceId, workspaceId), eq(postTargets.status, "scheduled")];
    if (channelIds) scope.push(inArray(postTargets.channelId, channelIds));
    // A crisis statement (pause_exempt) is not held: it goes out through the pause.
    scope.push(notInArray(postTargets.postId, tx.db.select({ id: posts.id }).from(posts).where(and(eq(posts.workspaceId, workspaceId), eq(posts.pauseExempt, true)))));
    const held = await tx.db
      .update(postTargets)
      .set({ status: "held", heldReason: "paused", heldByPauseId: pause.id, updatedAt: tx.now() })
      .where(and(...scope))
      .returning({ id: postTargets.id, postId: postTargets.postId });
    for (const target of held) await recordPostEvent(tx, target.postId, "held", { reason: "paused", pauseId: pause.id }, target.id);
    await tx.audit({ type: "publishing.paused", data: { pauseId: pause.id, channelIds, reason, held: held.length } }, { type: "workspace", id: workspaceId });
    return { pause: presentPause(pause), held: held.length };
  });
}
