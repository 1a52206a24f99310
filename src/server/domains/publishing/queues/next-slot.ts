import { and, asc, eq, gte, inArray, lte, ne, notInArray } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { posts, postTargets } from "../publishing.schema";
import { channelQueues, type QueueSlot } from "../queues.schema";
import { addDays, instantOf, wallClockAt } from "./zoned-time";
import { queueEmpty, queueFull, queueNoSharedSlot } from "./queues.errors";

/** How far ahead "Add to queue" looks for a free slot. */
export const QUEUE_HORIZON_WEEKS = 12;

/** The instants of a queue's slots after `after` (exclusive) up to `until` (inclusive), earliest first. */
export function slotInstants(queue: { timeZone: string; slots: QueueSlot[] }, after: number, until: number): number[] {
  const found = new Set<number>();
  const today = wallClockAt(queue.timeZone, after);
  for (let d = 0; ; d++) {
    const date = addDays(today, d);
    if (Date.UTC(date.year, date.month - 1, date.day) - 2 * 86_400_000 > until) break;
    for (const slot of queue.slots) {
      if (slot.weekday !== date.weekday) continue;
      const [hour, minute] = slot.time.split(":").map(Number);
      const at = instantOf(queue.timeZone, date.year, date.month, date.day, hour, minute);
      if (at > after && at <= until) found.add(at);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** Post states whose time holds a slot (a cancelled post, or a draft without a time, holds none). */
const HOLDS_NO_SLOT = ["cancelled", "draft"];

/**
 * The next time slot shared by all `channels`' queues that no other post on any of them is scheduled at (to the
 * minute), after now and within QUEUE_HORIZON_WEEKS. Locks the channels' queue rows (in channel order) so two posts
 * added to a queue at once cannot take the same slot: the second waits and then sees the first. `excludePostId`: the
 * post being edited (its own time does not count as taken).
 */
export async function nextQueueSlot(tx: Ctx, channels: Array<{ id: string; handle: string }>, options: { excludePostId?: string } = {}): Promise<Date> {
  const ids = channels.map((c) => c.id).sort();
  const queues = await tx.db.select().from(channelQueues).where(inArray(channelQueues.channelId, ids)).orderBy(asc(channelQueues.channelId)).for("update");
  for (const channel of channels) {
    const queue = queues.find((q) => q.channelId === channel.id);
    if (!queue || !queue.slots.length) throw queueEmpty(channel.handle, channel.id);
  }
  const now = tx.now().getTime();
  const until = now + QUEUE_HORIZON_WEEKS * 7 * 86_400_000;
  const perChannel = queues.map((q) => new Set(slotInstants(q, now, until)));
  const shared = [...perChannel[0]].filter((at) => perChannel.every((set) => set.has(at)));
  if (!shared.length) throw queueNoSharedSlot(QUEUE_HORIZON_WEEKS);

  const scheduled = await tx.db
    .select({ at: posts.scheduledAt })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(
      and(
        inArray(postTargets.channelId, ids),
        ne(postTargets.status, "cancelled"),
        notInArray(posts.state, HOLDS_NO_SLOT),
        gte(posts.scheduledAt, new Date(shared[0] - 60_000)),
        lte(posts.scheduledAt, new Date(shared[shared.length - 1] + 60_000)),
        options.excludePostId ? ne(posts.id, options.excludePostId) : undefined,
      ),
    );
  const takenMinutes = new Set(scheduled.map((row) => Math.floor(row.at!.getTime() / 60_000)));
  const free = shared.find((at) => !takenMinutes.has(Math.floor(at / 60_000)));
  if (free === undefined) throw queueFull(QUEUE_HORIZON_WEEKS);
  return new Date(free);
}
