import { eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { myLevels } from "../../channels";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channelQueues } from "../queues.schema";
import { slotInstants } from "../queues/next-slot";

/** A queue as the API shows it, with its next few slot times (what the slots mean across daylight-saving changes). */
export function presentQueue(row: typeof channelQueues.$inferSelect, now: Date) {
  const upcoming = slotInstants(row, now.getTime(), now.getTime() + 14 * 86_400_000).slice(0, 5);
  return { channelId: row.channelId, timeZone: row.timeZone, slots: row.slots, updatedAt: row.updatedAt.toISOString(), upcoming: upcoming.map((at) => new Date(at).toISOString()) };
}

/** The posting queues of the channels the actor can read. */
export async function listQueues(ctx: Ctx) {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  const levels = await myLevels(ctx);
  const rows = await ctx.db.select().from(channelQueues).where(eq(channelQueues.workspaceId, workspaceId));
  return rows.filter((row) => (levels.get(row.channelId) ?? "none") !== "none").map((row) => presentQueue(row, ctx.now()));
}
