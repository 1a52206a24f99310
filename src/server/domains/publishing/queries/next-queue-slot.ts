import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { authorizeOnChannel } from "../../channels";
import { channelQueues } from "../queues.schema";
import { nextQueueSlot } from "../queues/next-slot";
import { inArray } from "drizzle-orm";

/**
 * The time "Add to queue" would give a post for these channels now (to show before saving; saving computes it again,
 * so a slot taken meanwhile is not given twice). Errors: queue_empty, queue_no_shared_slot, queue_full.
 */
export async function previewQueueSlot(ctx: Ctx, input: { channelIds: string[]; postId?: string }) {
  authorize(ctx.actor, "posts.write");
  return inTransaction(ctx, async (tx) => {
    const channels = [];
    for (const id of new Set(input.channelIds)) channels.push((await authorizeOnChannel(tx, id, "draft")).channel);
    const at = await nextQueueSlot(tx, channels, { excludePostId: input.postId });
    const queues = await tx.db.select({ channelId: channelQueues.channelId, timeZone: channelQueues.timeZone }).from(channelQueues).where(inArray(channelQueues.channelId, channels.map((c) => c.id)));
    return { at: at.toISOString(), channels: queues };
  });
}
