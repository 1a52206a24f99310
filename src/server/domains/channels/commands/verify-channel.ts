import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import type { AccountProfile } from "../../../networks/types";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channels } from "../channels.schema";
import { channelDisconnected } from "../channels.errors";
import { findChannel, openCredentials, type ChannelRow } from "../channel-records";
import { recordNetworkFailure } from "../channel-failures";
import { refreshChannel } from "./refresh-channel";

export type CheckOutcome = { ok: true } | { ok: false; reason: string };

/**
 * Health check: asks the network whether the channel's credentials still work (renewing lapsed ones first where the
 * network can refresh). Success sets lastVerifiedAt and lastSuccessAt and takes the account's current profile;
 * `auth_expired` moves the channel to needs_reconnect with the reason; any other failure is kept as the last error
 * with the status unchanged.
 */
export async function verifyChannel(ctx: Ctx, input: { channelId: string }): Promise<{ channel: ChannelRow; outcome: CheckOutcome }> {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  let before = await findChannel(ctx, workspaceId, input.channelId);
  if (before.status === "disconnected") throw channelDisconnected();
  const connector = ctx.services.networks.connectorFor(before.network);
  // Access that ran out (Bluesky's lasts 2 hours) is renewed first where the network can: checking with it would
  // only report what a refresh fixes, and send the channel to needs_reconnect for nothing.
  const lapsed = before.credentialsExpireAt !== null && before.credentialsExpireAt.getTime() <= ctx.now().getTime();
  if (lapsed && before.status === "active" && connector.capabilities.refresh) {
    const { channel, outcome } = await refreshChannel(ctx, { channelId: input.channelId, force: true });
    if (outcome === "failed") return { channel, outcome: { ok: false, reason: channel.lastError ?? "" } };
    before = channel;
  }
  const credentials = openCredentials(ctx, before);

  let profile: AccountProfile | null = null;
  let failure: unknown = null;
  try {
    profile = await connector.verify(credentials);
  } catch (err) {
    failure = err;
  }

  return inTransaction(ctx, async (tx) => {
    const row = await findChannel(tx, workspaceId, input.channelId, { forUpdate: true });
    // Disconnected, refreshed or reconnected meanwhile: what we learnt is about credentials it no longer uses.
    if (row.credentials !== before.credentials) return { channel: row, outcome: { ok: true } as CheckOutcome };
    if (!profile) {
      const channel = await recordNetworkFailure(tx, row, failure, credentials);
      return { channel, outcome: { ok: false, reason: channel.lastError ?? "" } };
    }
    const now = tx.now();
    const [channel] = await tx.db
      .update(channels)
      .set({ status: "active", handle: profile.handle, displayName: profile.displayName, avatarUrl: profile.avatarUrl, profileUrl: profile.url, lastVerifiedAt: now, lastSuccessAt: now })
      .where(eq(channels.id, row.id))
      .returning();
    // Audited when something a person would notice changed: back from needs_reconnect, or a new handle.
    if (row.status !== channel.status || row.handle !== channel.handle) {
      await tx.audit(
        { type: "channel.verified", data: { channelId: row.id, statusBefore: row.status, handleBefore: row.handle, handle: channel.handle } },
        { type: "channel", id: row.id },
      );
    }
    return { channel, outcome: { ok: true } as CheckOutcome };
  });
}
