import type { Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channelDisconnected } from "../channels.errors";
import { findChannel } from "../channel-records";
import { serviceUrlFor, startAuthorization } from "../authorization";

export type BeginChannelAuthorizationInput = { network: string; serviceUrl?: string; channelId?: string };

/**
 * Connects an account of an OAuth network (Mastodon, …), step one: returns the network's authorisation URL to send
 * the person to. With `channelId` it reconnects that channel, on its own server. The network sends them back to
 * `GET /channels/oauth/callback` (`completeChannelAuthorization`), which must be the same signed-in person.
 */
export async function beginChannelAuthorization(ctx: Ctx, input: BeginChannelAuthorizationInput) {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  let network = input.network;
  let serviceUrl = input.serviceUrl;
  if (input.channelId) {
    const channel = await findChannel(ctx, workspaceId, input.channelId);
    if (channel.status === "disconnected") throw channelDisconnected();
    network = channel.network;
    serviceUrl = channel.serviceUrl ?? serviceUrl;
  }
  const connector = ctx.services.networks.connectorFor(network);
  return startAuthorization(ctx, {
    workspaceId,
    connector,
    serviceUrl: serviceUrlFor(connector, serviceUrl),
    channelId: input.channelId ?? null,
    reconnectLinkId: null,
    startedBy: ctx.actor.type === "user" ? ctx.actor.userId : null,
  });
}
