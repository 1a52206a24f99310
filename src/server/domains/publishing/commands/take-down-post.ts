import { and, eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput, notFound } from "../../../errors";
import { authorizeOnChannel, describeFailure, unsafeCallChannel } from "../../channels";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { eventsOf, findPost, presentPost, recordPostEvent } from "../post-records";
import { postTargets } from "../publishing.schema";
import { takeDownNotPossible } from "../publishing.errors";

/**
 * Removes a published post from one channel's network (where the network allows) and records who did it and why.
 * Needs Full publishing on the channel. The network is asked first; only its yes marks the post removed, so the
 * record never says "removed" about a post that is still live.
 */
export async function takeDownPost(ctx: Ctx, input: { postId: string; targetId: string; reason: string }) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  const reason = input.reason.trim();
  if (!reason) throw invalidInput({ reason: ["Say why it comes down"] });
  const { targets } = await findPost(ctx, workspaceId, input.postId);
  const target = targets.find((t) => t.id === input.targetId);
  if (!target) throw notFound("Post on this channel");
  const { channel } = await authorizeOnChannel(ctx, target.channelId, "publish");
  if (target.status !== "published" || !target.networkPostId) throw takeDownNotPossible("Only a published post can be taken down");
  const networkPostId = target.networkPostId;
  const connector = ctx.services.networks.connectorFor(channel.network);
  if (!connector.capabilities.remove || !connector.remove) throw takeDownNotPossible(`${ctx.services.networks.displayNameOf(channel.network)} does not let apps delete posts: delete it on the network itself`);
  const removed = await unsafeCallChannel(ctx, target.channelId, (c, credentials) => c.remove!(credentials, networkPostId));
  if (!removed.ok) throw takeDownNotPossible(`The network did not remove it: ${describeFailure(removed.error, null)}`);
  return inTransaction(ctx, async (tx) => {
    await tx.db
      .update(postTargets)
      .set({ status: "removed", removedAt: tx.now(), removedBy: tx.actor.type === "user" ? tx.actor.userId : null, removedReason: reason, updatedAt: tx.now() })
      .where(and(eq(postTargets.id, target.id), eq(postTargets.status, "published")));
    await recordPostEvent(tx, input.postId, "taken_down", { reason, networkPostId }, target.id);
    await tx.audit({ type: "post.taken_down", data: { postId: input.postId, targetId: target.id, networkPostId, reason } }, { type: "post", id: input.postId });
    const fresh = await findPost(tx, workspaceId, input.postId);
    return presentPost(fresh.post, fresh.targets, await eventsOf(tx, [input.postId]));
  });
}
