import { eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { authorizeOnChannel } from "../../channels";
import { channelDisconnected } from "../../channels/channels.errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channelQueues, type QueueSlot } from "../queues.schema";
import { presentQueue } from "../queries/list-queues";
import { isTimeZone } from "../queues/zoned-time";

export type SetQueueInput = { channelId: string; timeZone: string; slots: QueueSlot[] };

const SLOT_SHAPE = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Sets a channel's posting queue: its weekly time slots in a named time zone (no slots: the channel has no queue).
 * For those who manage channels; audited `channel.queue_changed`. Posts already scheduled keep their time.
 */
export async function setChannelQueue(ctx: Ctx, input: SetQueueInput) {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  if (!isTimeZone(input.timeZone)) throw invalidInput({ timeZone: ["Choose a time zone by its name, e.g. Europe/Berlin"] });
  const seen = new Set<string>();
  for (const [index, slot] of input.slots.entries()) {
    if (!Number.isInteger(slot.weekday) || slot.weekday < 1 || slot.weekday > 7) throw invalidInput({ [`slots.${index}.weekday`]: ["A weekday from 1 (Monday) to 7 (Sunday)"] });
    if (!SLOT_SHAPE.test(slot.time)) throw invalidInput({ [`slots.${index}.time`]: ["A time of day as HH:MM (24-hour), e.g. 09:00"] });
    const key = `${slot.weekday} ${slot.time}`;
    if (seen.has(key)) throw invalidInput({ [`slots.${index}`]: ["This slot is listed twice"] });
    seen.add(key);
  }
  const slots = [...input.slots].map((s) => ({ weekday: s.weekday, time: s.time })).sort((a, b) => a.weekday - b.weekday || a.time.localeCompare(b.time));
  return inTransaction(ctx, async (tx) => {
    const { channel } = await authorizeOnChannel(tx, input.channelId, "read");
    if (channel.status === "disconnected") throw channelDisconnected();
    const [before] = await tx.db.select().from(channelQueues).where(eq(channelQueues.channelId, channel.id)).for("update");
    let row: typeof channelQueues.$inferSelect | null = null;
    if (!slots.length) {
      await tx.db.delete(channelQueues).where(eq(channelQueues.channelId, channel.id));
    } else {
      const values = { timeZone: input.timeZone, slots, updatedBy: tx.actor.type === "user" ? tx.actor.userId : null, updatedAt: tx.now() };
      [row] = await tx.db
        .insert(channelQueues)
        .values({ channelId: channel.id, workspaceId, ...values })
        .onConflictDoUpdate({ target: channelQueues.channelId, set: values })
        .returning();
    }
    await tx.audit(
      {
        type: "channel.queue_changed",
        data: {
          channelId: channel.id,
          timeZone: row ? row.timeZone : null,
          slots: slots.map((s) => `${s.weekday} ${s.time}`),
          before: before ? { timeZone: before.timeZone, slots: before.slots.map((s) => `${s.weekday} ${s.time}`) } : null,
        },
      },
      { type: "channel", id: channel.id },
    );
    return row ? presentQueue(row, tx.now()) : { channelId: channel.id, timeZone: input.timeZone, slots: [], updatedAt: tx.now().toISOString(), upcoming: [] };
  });
}
