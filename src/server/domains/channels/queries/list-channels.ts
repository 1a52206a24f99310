import { and, asc, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channels } from "../channels.schema";
import { presentChannel } from "../channel-records";

/** The workspace's connected channels (disconnected ones are history, in the audit log), with their health. */
export async function listChannels(ctx: Ctx) {
  authorize(ctx.actor, "channels.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select()
    .from(channels)
    .where(and(eq(channels.workspaceId, workspaceId), isNull(channels.disconnectedAt)))
    .orderBy(asc(channels.network), asc(channels.handle));
  const now = ctx.now();
  return rows.map((row) => presentChannel(row, now));
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
