import { and, eq } from "drizzle-orm";
import { CHANNEL_ACTIONS, type ChannelAction, type ChannelLevel } from "../../../contracts/roles";
import type { Ctx } from "../../context";
import { levelAllows } from "../../authz";
import { notFound } from "../../errors";
import { NetworkError, type Credentials } from "../../networks/types";
import { channels } from "./channels.schema";

export type ChannelRow = typeof channels.$inferSelect;
export type ChannelStatus = "active" | "needs_reconnect" | "disconnected";

/** The channel `channelId` of the workspace, locked for the rest of the transaction when `forUpdate`. */
export async function findChannel(ctx: Ctx, workspaceId: string, channelId: string, options: { forUpdate?: boolean } = {}): Promise<ChannelRow> {
  const query = ctx.db.select().from(channels).where(and(eq(channels.workspaceId, workspaceId), eq(channels.id, channelId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("Channel");
  return row;
}

/** The connector's credentials, sealed with the server key (AES-256-GCM) for the `credentials` column. */
export const sealCredentials = (ctx: Ctx, credentials: Credentials) => ctx.services.secrets.seal(JSON.stringify(credentials));

/** The credentials of a live channel, for a call to its network. Never returned to a client or logged. */
export const openCredentials = (ctx: Ctx, row: ChannelRow): Credentials => JSON.parse(ctx.services.secrets.open(row.credentials)) as Credentials;

/** What a disconnected channel keeps in its (not null) credentials column: nothing. */
export const WIPED_CREDENTIALS = "";

/**
 * A network's error message, safe to store and show: a connector may echo what it was sent, so any credential
 * value found in it is replaced. Classified failures keep their kind in front ("auth_expired: …").
 */
export function describeFailure(err: unknown, credentials: Credentials | null): string {
  const kind = err instanceof NetworkError ? err.kind : "transient";
  let message = err instanceof Error ? err.message : String(err);
  for (const value of Object.values(credentials ?? {})) {
    if (typeof value === "string" && value.length >= 6) message = message.split(value).join("[redacted]");
  }
  return `${kind}: ${message}`.slice(0, 500);
}

/**
 * A channel as clients see it: its account, its health and what the reader may do on it (`access`), never its
 * credentials.
 */
export function presentChannel(row: ChannelRow, now: Date, level: ChannelLevel) {
  const expiresAt = row.credentialsExpireAt;
  const live = row.status === "active";
  return {
    id: row.id,
    network: row.network,
    networkAccountId: row.networkAccountId,
    handle: row.handle,
    displayName: row.displayName,
    avatarUrl: row.avatarUrl,
    profileUrl: row.profileUrl,
    serviceUrl: row.serviceUrl,
    status: row.status as ChannelStatus,
    health: {
      tokenValid: live && (expiresAt === null || expiresAt.getTime() > now.getTime()),
      expiresAt: expiresAt?.toISOString() ?? null,
      expiresInSeconds: expiresAt && row.status !== "disconnected" ? Math.round((expiresAt.getTime() - now.getTime()) / 1000) : null,
      lastVerifiedAt: row.lastVerifiedAt?.toISOString() ?? null,
      lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
      lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
      lastError: row.lastError,
    },
    access: { level, can: Object.fromEntries(CHANNEL_ACTIONS.map((action) => [action, levelAllows(level, action)])) as Record<ChannelAction, boolean> },
    connectedBy: row.connectedBy,
    createdAt: row.createdAt.toISOString(),
    disconnectedAt: row.disconnectedAt?.toISOString() ?? null,
  };
}
export type PresentedChannel = ReturnType<typeof presentChannel>;
