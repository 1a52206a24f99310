import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import type { Connected } from "../../../networks/types";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channels } from "../channels.schema";
import { findChannel, openCredentials, sealCredentials, type ChannelRow } from "../channel-records";
import { recordNetworkFailure } from "../channel-failures";

/** Credentials that expire within this are refreshed (when the network can refresh). */
export const REFRESH_WITHIN_MS = 3 * 86_400_000;

export type RefreshOutcome = "refreshed" | "not_needed" | "not_supported" | "failed";

/**
 * Gets new credentials from the network before the current ones expire, when its connector can refresh and the
 * expiry is near (or `force`). On `auth_expired` the channel needs reconnecting; on another failure the old
 * credentials stay and the next run tries again.
 */
export async function refreshChannel(ctx: Ctx, input: { channelId: string; force?: boolean }): Promise<{ channel: ChannelRow; outcome: RefreshOutcome }> {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const before = await findChannel(ctx, workspaceId, input.channelId);
  const connector = ctx.services.networks.connectorFor(before.network);
  if (before.status !== "active" || !connector.capabilities.refresh || !connector.refresh) return { channel: before, outcome: "not_supported" };
  const expiresAt = before.credentialsExpireAt;
  const near = expiresAt !== null && expiresAt.getTime() - ctx.now().getTime() <= REFRESH_WITHIN_MS;
  if (!near && !input.force) return { channel: before, outcome: "not_needed" };

  const credentials = openCredentials(ctx, before);
  let refreshed: Connected | null = null;
  let failure: unknown = null;
  try {
    refreshed = await connector.refresh(credentials);
  } catch (err) {
    failure = err;
  }

  return inTransaction(ctx, async (tx) => {
    const row = await findChannel(tx, workspaceId, input.channelId, { forUpdate: true });
    if (row.credentials !== before.credentials) return { channel: row, outcome: "not_needed" as const };
    if (!refreshed) return { channel: await recordNetworkFailure(tx, row, failure, credentials), outcome: "failed" as const };
    const now = tx.now();
    const [channel] = await tx.db
      .update(channels)
      .set({
        credentials: sealCredentials(tx, refreshed.credentials),
        credentialsExpireAt: refreshed.expiresAt ? new Date(refreshed.expiresAt) : null,
        handle: refreshed.profile.handle,
        displayName: refreshed.profile.displayName,
        lastSuccessAt: now,
      })
      .where(eq(channels.id, row.id))
      .returning();
    await tx.audit({ type: "channel.refreshed", data: { channelId: row.id, expiresAt: refreshed.expiresAt } }, { type: "channel", id: row.id });
    return { channel, outcome: "refreshed" as const };
  });
}
