import { eq } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Ctx } from "../../../context";
import type { ConnectInput } from "../../../networks/types";
import { channelReconnectLinks } from "../channels.schema";
import { connectMethodMismatch } from "../channels.errors";
import { serviceUrlFor, startAuthorization } from "../authorization";
import { signInAtNetwork, storeConnection } from "../connection";
import { openReconnectLink } from "../reconnect-links";

/**
 * What a reconnect link's holder sees before signing in at the network: which account of which workspace, and how
 * the network connects. Nothing else of the workspace.
 */
export async function viewReconnectLink(ctx: Ctx, input: { token: string }) {
  const { link, channel, workspaceName } = await openReconnectLink(ctx, input);
  const connector = ctx.services.networks.connectorFor(channel.network);
  return {
    workspaceName,
    network: { network: connector.network, displayName: connector.displayName, connectMethod: connector.connectMethod },
    channel: { handle: channel.handle, displayName: channel.displayName, status: channel.status, serviceUrl: channel.serviceUrl },
    expiresAt: link.expiresAt.toISOString(),
  };
}

/**
 * A reconnect link's holder signs in with the network's form (app password, Sandbox handle): the same account gets
 * new credentials and the link is used up. A link's holder has no seat, so the change is recorded as the system
 * acting for the link.
 */
export async function reconnectWithLink(ctx: Ctx, input: { token: string; connect: ConnectInput }) {
  const { link, channel } = await openReconnectLink(ctx, input);
  const connector = ctx.services.networks.connectorFor(channel.network);
  if (connector.connectMethod.kind !== input.connect.kind) throw connectMethodMismatch(connector.connectMethod.kind);
  const serviceUrl = input.connect.kind === "sandbox" ? undefined : serviceUrlFor(connector, channel.serviceUrl ?? input.connect.serviceUrl);
  const connected = await signInAtNetwork(connector, input.connect.kind === "sandbox" ? input.connect : { ...input.connect, serviceUrl });
  const system = unsafeSystemCtx(ctx.services, "reconnect-link", channel.workspaceId);
  return inTransaction(system, async (tx) => {
    // Taken again under lock: the link may have been used or revoked while the network answered.
    await tx.db.select({ id: channelReconnectLinks.id }).from(channelReconnectLinks).where(eq(channelReconnectLinks.id, link.id)).for("update");
    await openReconnectLink(tx, { linkId: link.id });
    const row = await storeConnection(tx, { workspaceId: channel.workspaceId, network: channel.network, connected, via: "reconnect_link", serviceUrl, channelId: channel.id });
    await tx.db.update(channelReconnectLinks).set({ usedAt: tx.now() }).where(eq(channelReconnectLinks.id, link.id));
    return { handle: row.handle, status: row.status };
  });
}

/** A reconnect link's holder goes to an OAuth network to authorise; the callback finishes it (`completeChannelAuthorization`). */
export async function beginReconnectWithLink(ctx: Ctx, input: { token: string }) {
  const { link, channel } = await openReconnectLink(ctx, input);
  const connector = ctx.services.networks.connectorFor(channel.network);
  return startAuthorization(ctx, {
    workspaceId: channel.workspaceId,
    connector,
    serviceUrl: serviceUrlFor(connector, channel.serviceUrl ?? undefined),
    channelId: channel.id,
    reconnectLinkId: link.id,
    startedBy: null,
  });
}
