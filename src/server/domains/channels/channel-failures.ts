import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { NetworkError, type Credentials } from "../../networks/types";
import { channels } from "./channels.schema";
import { describeFailure, type ChannelRow } from "./channel-records";
import { noticeNeedsReconnect } from "./needs-reconnect-notice";

/**
 * Records a failed call to a channel's network (inside the caller's transaction, on the locked row). An
 * `auth_expired` failure means a person must reconnect: the channel moves to needs_reconnect, with the reason,
 * and that is audited and mailed to the people who can fix it. Any other failure is kept as the last error; the status stays, the next check retries.
 */
export async function recordNetworkFailure(tx: Ctx, row: ChannelRow, err: unknown, credentials: Credentials): Promise<ChannelRow> {
  if (!(err instanceof NetworkError)) tx.log.error({ err, channelId: row.id, network: row.network }, "connector failed with an unclassified error");
  const reason = describeFailure(err, credentials);
  const needsReconnect = err instanceof NetworkError && err.kind === "auth_expired";
  const [updated] = await tx.db
    .update(channels)
    .set({ lastErrorAt: tx.now(), lastError: reason, ...(needsReconnect ? { status: "needs_reconnect" } : {}) })
    .where(eq(channels.id, row.id))
    .returning();
  if (needsReconnect && row.status !== "needs_reconnect") {
    await tx.audit({ type: "channel.marked_needs_reconnect", data: { channelId: row.id, reason } }, { type: "channel", id: row.id });
    await noticeNeedsReconnect(tx, updated, reason);
  }
  return updated;
}
