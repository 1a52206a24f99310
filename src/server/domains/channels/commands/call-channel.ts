import { inTransaction, type Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { NetworkError, type Connector, type Credentials } from "../../../networks/types";
import { findChannel, openCredentials } from "../channel-records";
import { recordNetworkFailure } from "../channel-failures";
import { refreshChannel } from "./refresh-channel";

export type ChannelCall<T> = { ok: true; value: T } | { ok: false; error: NetworkError };

/**
 * Acts on a channel's network for another domain (publishing, the inbox), after the caller decided it may: runs
 * `call` with the channel's connector and credentials, which never leave this function. Lapsed access is renewed
 * first where the network can. A channel that is disconnected or needs reconnecting is not called
 * (`auth_expired`); an `auth_expired` answer moves the channel to needs_reconnect (and tells the people who can
 * fix it). An error the connector did not classify counts as `outcome_unknown`: the call may have had its effect.
 */
export async function unsafeCallChannel<T>(ctx: Ctx, channelId: string, call: (connector: Connector, credentials: Credentials) => Promise<T>): Promise<ChannelCall<T>> {
  const { workspaceId } = currentWorkspace(ctx);
  let row = await findChannel(ctx, workspaceId, channelId);
  if (row.status !== "active") return { ok: false, error: new NetworkError("auth_expired", row.status === "disconnected" ? "the channel is disconnected" : "the channel needs reconnecting") };
  const connector = ctx.services.networks.connectorFor(row.network);
  const lapsed = row.credentialsExpireAt !== null && row.credentialsExpireAt.getTime() <= ctx.now().getTime();
  if (lapsed && connector.capabilities.refresh) {
    const { channel, outcome } = await refreshChannel(ctx, { channelId, force: true });
    if (outcome === "failed" || channel.status !== "active") return { ok: false, error: new NetworkError("auth_expired", channel.lastError ?? "the channel's access could not be renewed") };
    row = channel;
  }
  const credentials = openCredentials(ctx, row);
  try {
    return { ok: true, value: await call(connector, credentials) };
  } catch (err) {
    const error = err instanceof NetworkError ? err : new NetworkError("outcome_unknown", err instanceof Error ? err.message : String(err));
    if (!(err instanceof NetworkError)) ctx.log.error({ err, channelId, network: row.network }, "connector failed with an unclassified error");
    if (error.kind === "auth_expired") {
      await inTransaction(ctx, async (tx) => {
        const locked = await findChannel(tx, workspaceId, channelId, { forUpdate: true });
        // Reconnected meanwhile: the refusal was about credentials it no longer uses.
        if (locked.credentials === row.credentials) await recordNetworkFailure(tx, locked, error, credentials);
      });
    }
    return { ok: false, error };
  }
}
