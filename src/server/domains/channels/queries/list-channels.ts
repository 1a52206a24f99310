import { and, asc, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { authorize, canOnChannel } from "../../../authz";
import { authorizeOnChannel, myLevels } from "../channel-access";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channels } from "../channels.schema";
import { presentChannel } from "../channel-records";

/**
 * The workspace's connected channels the actor may see (Read only or more; owners and admins see all), with their
 * health and the actor's level on each. Disconnected ones are history, in the audit log.
 */
export async function listChannels(ctx: Ctx) {
  authorize(ctx.actor, "channels.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select()
    .from(channels)
    .where(and(eq(channels.workspaceId, workspaceId), isNull(channels.disconnectedAt)))
    .orderBy(asc(channels.network), asc(channels.handle));
  const levels = await myLevels(ctx);
  const now = ctx.now();
  return rows.flatMap((row) => {
    const level = levels.get(row.id) ?? "none";
    return canOnChannel(ctx.actor, level, "read") ? [presentChannel(row, now, level)] : [];
  });
}

/** One channel the actor may see, with its health and the actor's level on it. */
export async function getChannel(ctx: Ctx, input: { channelId: string }) {
  const { channel, level } = await authorizeOnChannel(ctx, input.channelId, "read");
  return presentChannel(channel, ctx.now(), level);
}

/** The networks a channel can be connected to on this server: how each connects and what it can do. */
export function listNetworks(ctx: Ctx) {
  authorize(ctx.actor, "channels.read");
  return ctx.services.networks.availableNetworks().map((c) => ({
    network: c.network,
    displayName: c.displayName,
    connectMethod: c.connectMethod,
    capabilities: c.capabilities,
    limits: c.limits,
  }));
}
