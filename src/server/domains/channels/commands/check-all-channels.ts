import { and, eq, isNull } from "drizzle-orm";
import { unsafeSystemCtx, type Services } from "../../../context";
import { channels } from "../channels.schema";
import { REFRESH_WITHIN_MS, refreshChannel } from "./refresh-channel";
import { verifyChannel } from "./verify-channel";

/** A working channel is verified at least this often. */
export const VERIFY_EVERY_MS = 86_400_000;

export type CheckSummary = { refreshed: number; verified: number; failed: number; skipped: number };

/**
 * Runs as the system across every workspace (hence unsafe: no person's access is checked). Channels whose
 * credentials expire within REFRESH_WITHIN_MS are refreshed where their network can; the others are verified
 * once a day. Each channel is checked on its own: one failing network does not stop the rest.
 */
export async function unsafeCheckAllChannels(services: Services): Promise<CheckSummary> {
  const now = services.clock();
  const rows = await services.database.db
    .select({ id: channels.id, workspaceId: channels.workspaceId, network: channels.network, expiresAt: channels.credentialsExpireAt, lastVerifiedAt: channels.lastVerifiedAt })
    .from(channels)
    .where(and(eq(channels.status, "active"), isNull(channels.disconnectedAt)));
  const summary: CheckSummary = { refreshed: 0, verified: 0, failed: 0, skipped: 0 };
  const known = new Set(services.networks.availableNetworks().map((c) => c.network));
  for (const row of rows) {
    if (!known.has(row.network)) {
      summary.skipped += 1;
      continue;
    }
    const ctx = unsafeSystemCtx(services, "channels.check-health", row.workspaceId);
    try {
      const connector = services.networks.connectorFor(row.network);
      const expiringSoon = row.expiresAt !== null && row.expiresAt.getTime() - now.getTime() <= REFRESH_WITHIN_MS;
      if (expiringSoon && connector.capabilities.refresh) {
        const { outcome } = await refreshChannel(ctx, { channelId: row.id });
        if (outcome === "refreshed") summary.refreshed += 1;
        else if (outcome === "failed") summary.failed += 1;
        else summary.skipped += 1;
      } else if (expiringSoon || row.lastVerifiedAt === null || now.getTime() - row.lastVerifiedAt.getTime() >= VERIFY_EVERY_MS) {
        const { outcome } = await verifyChannel(ctx, { channelId: row.id });
        if (outcome.ok) summary.verified += 1;
        else summary.failed += 1;
      } else summary.skipped += 1;
    } catch (err) {
      // A database or programming error on one channel: logged, the others are still checked.
      summary.failed += 1;
      services.log.error({ err, channelId: row.id }, "checking a channel failed");
    }
  }
  if (summary.refreshed || summary.verified || summary.failed) services.log.info({ ...summary }, "channels checked");
  return summary;
}
