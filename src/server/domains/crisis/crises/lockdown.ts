import { and, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { crises, crisisModes } from "../crisis.schema";
import { isOnCrisisTeam } from "./records";

/**
 * Lock down: while a crisis mode with lock down is in force, only that crisis's team may publish or reply on the
 * workspace's channels (a drill's lock down covers Sandbox channels only). Returns true when `userId` is locked out
 * of publishing and replying on this channel. Called where channel rights are checked (channels' authorizeOnChannel).
 */
export async function lockedDownFor(ctx: Ctx, workspaceId: string, channel: { network: string }, userId: string): Promise<boolean> {
  const locks = await ctx.db
    .select({ crisisId: crisisModes.crisisId, isDrill: crises.isDrill })
    .from(crisisModes)
    .innerJoin(crises, eq(crises.id, crisisModes.crisisId))
    .where(and(eq(crisisModes.workspaceId, workspaceId), isNull(crisisModes.endedAt), eq(crisisModes.lockdown, true)));
  const applying = locks.filter((l) => !l.isDrill || channel.network === "sandbox");
  if (!applying.length) return false;
  for (const lock of applying) if (await isOnCrisisTeam(ctx, lock.crisisId, userId)) return false;
  return true;
}
