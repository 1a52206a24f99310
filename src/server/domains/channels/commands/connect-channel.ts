import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import type { ConnectInput } from "../../../networks/types";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { connectMethodMismatch } from "../channels.errors";
import type { ChannelRow } from "../channel-records";
import { signInAtNetwork, storeConnection } from "../connection";
import { serviceUrlFor } from "../authorization";

export type ConnectChannelInput = { network: string; input: ConnectInput };

/**
 * Connects one of the brand's accounts with the fields of the network's form (app password, Sandbox handle):
 * signs in at the network through its connector, seals the credentials it gives and stores the verified profile.
 * The same account connected again while it waits for a reconnect takes the new credentials (`channel.reconnected`);
 * while it works, it is refused (`channel_already_connected`). OAuth networks go through `beginChannelAuthorization`.
 */
export async function connectChannel(ctx: Ctx, { network, input }: ConnectChannelInput): Promise<ChannelRow> {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const connector = ctx.services.networks.connectorFor(network);
  if (connector.connectMethod.kind !== input.kind) throw connectMethodMismatch(connector.connectMethod.kind);
  const serviceUrl = input.kind === "sandbox" ? undefined : serviceUrlFor(connector, input.serviceUrl);
  const connected = await signInAtNetwork(connector, input.kind === "sandbox" ? input : { ...input, serviceUrl });
  return inTransaction(ctx, (tx) => storeConnection(tx, { workspaceId, network, connected, via: "form", serviceUrl }));
}
