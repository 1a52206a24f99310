import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { AppError } from "../../../errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channels } from "../channels.schema";
import { channelDisconnected } from "../channels.errors";
import { WIPED_CREDENTIALS, describeFailure, findChannel, openCredentials, type ChannelRow } from "../channel-records";

export type RevokedAtNetwork = "revoked" | "not_supported" | "failed";

/**
 * Disconnects a channel: revokes its credentials at the network where the connector can, then marks it
 * disconnected and wipes the sealed credentials. A revoke the network refuses does not keep the channel
 * connected (the person wants it gone); the answer and the audit log say the network did not confirm.
 */
export async function disconnectChannel(ctx: Ctx, input: { channelId: string }): Promise<{ channel: ChannelRow; revokedAtNetwork: RevokedAtNetwork }> {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const before = await findChannel(ctx, workspaceId, input.channelId);
  if (before.status === "disconnected") throw channelDisconnected();

  let revokedAtNetwork: RevokedAtNetwork = "not_supported";
  let connector;
  try {
    connector = ctx.services.networks.connectorFor(before.network);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    ctx.log.warn({ channelId: before.id, network: before.network }, "disconnecting a channel of a network this server no longer knows: nothing revoked");
  }
  if (connector?.revoke) {
    const credentials = openCredentials(ctx, before);
    try {
      await connector.revoke(credentials);
      revokedAtNetwork = "revoked";
    } catch (err) {
      revokedAtNetwork = "failed";
      ctx.log.warn({ channelId: before.id, network: before.network, reason: describeFailure(err, credentials) }, "the network did not confirm revoking a channel's credentials");
    }
  }

  return inTransaction(ctx, async (tx) => {
    const row = await findChannel(tx, workspaceId, input.channelId, { forUpdate: true });
    if (row.status === "disconnected") throw channelDisconnected();
    const [channel] = await tx.db
      .update(channels)
      .set({ status: "disconnected", disconnectedAt: tx.now(), credentials: WIPED_CREDENTIALS, credentialsExpireAt: null })
      .where(eq(channels.id, row.id))
      .returning();
    await tx.audit(
      { type: "channel.disconnected", data: { channelId: row.id, network: row.network, handle: row.handle, revokedAtNetwork } },
      { type: "channel", id: row.id },
    );
    return { channel, revokedAtNetwork };
  });
}
