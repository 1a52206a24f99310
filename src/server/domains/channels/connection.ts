import { and, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../context";
import { NetworkError, type ConnectInput, type Connected, type Connector } from "../../networks/types";
import { isUniqueViolation } from "../workspaces/unique-violation";
import { channels } from "./channels.schema";
import { channelAccountMismatch, channelAlreadyConnected, connectRefused, networkUnreachable } from "./channels.errors";
import { sealCredentials, type ChannelRow } from "./channel-records";

/**
 * Signs in at the network. Called before any transaction: no database lock is held while a network thinks.
 * A refusal (wrong password, denied authorisation, refused content) is `channel_connect_refused`; anything else
 * `network_unreachable`, to try again.
 */
export async function signInAtNetwork(connector: Connector, input: ConnectInput): Promise<Connected> {
  try {
    return await connector.connect(input);
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    if (err.kind === "auth_expired" || err.kind === "invalid_content") throw connectRefused(err.message);
    throw networkUnreachable(err.kind);
  }
}

/** How a connection came about, for the audit log. */
export type ConnectedVia = "form" | "oauth" | "reconnect_link";

/**
 * Stores what the network gave, inside the caller's transaction: a new channel (`channel.connected`), or new
 * credentials for the same account while it waits for a reconnect (`channel.reconnected`). A live, working
 * connection of the account is refused (`channel_already_connected`). With `channelId`, this reconnects that
 * channel and the account must be the same one (`channel_account_mismatch` otherwise).
 */
export async function storeConnection(
  tx: Ctx,
  target: { workspaceId: string; network: string; connected: Connected; via: ConnectedVia; serviceUrl?: string | null; channelId?: string | null },
): Promise<ChannelRow> {
  const { workspaceId, network, connected, via } = target;
  const { profile } = connected;
  const now = tx.now();
  const connectedBy = tx.actor.type === "user" ? tx.actor.userId : null;
  const values = {
    handle: profile.handle,
    displayName: profile.displayName,
    avatarUrl: profile.avatarUrl,
    profileUrl: profile.url,
    serviceUrl: target.serviceUrl ?? null,
    credentials: sealCredentials(tx, connected.credentials),
    status: "active",
    credentialsExpireAt: connected.expiresAt ? new Date(connected.expiresAt) : null,
    lastVerifiedAt: now,
    lastSuccessAt: now,
    lastErrorAt: null,
    lastError: null,
  };

  if (target.channelId) {
    const [channel] = await tx.db
      .select()
      .from(channels)
      .where(and(eq(channels.workspaceId, workspaceId), eq(channels.id, target.channelId), isNull(channels.disconnectedAt)))
      .for("update");
    if (!channel) throw channelAccountMismatch("This channel is not connected any more");
    if (channel.networkAccountId !== profile.networkAccountId || channel.network !== network) {
      throw channelAccountMismatch(`You signed in as @${profile.handle}, but this channel is @${channel.handle}. Sign in with that account.`);
    }
    const [row] = await tx.db.update(channels).set({ ...values, ...(connectedBy ? { connectedBy } : {}) }).where(eq(channels.id, channel.id)).returning();
    await tx.audit({ type: "channel.reconnected", data: { channelId: row.id, network, handle: row.handle, via } }, { type: "channel", id: row.id });
    return row;
  }

  const [live] = await tx.db
    .select()
    .from(channels)
    .where(and(eq(channels.workspaceId, workspaceId), eq(channels.network, network), eq(channels.networkAccountId, profile.networkAccountId), isNull(channels.disconnectedAt)))
    .for("update");
  if (live && live.status !== "needs_reconnect") throw channelAlreadyConnected();
  if (live) {
    const [row] = await tx.db.update(channels).set({ ...values, connectedBy }).where(eq(channels.id, live.id)).returning();
    await tx.audit({ type: "channel.reconnected", data: { channelId: row.id, network, handle: row.handle, via } }, { type: "channel", id: row.id });
    return row;
  }
  const [row] = await tx.db
    .insert(channels)
    .values({ ...values, workspaceId, network, networkAccountId: profile.networkAccountId, connectedBy, createdAt: now })
    .returning()
    .catch((err: unknown) => {
      // A concurrent connect of the same account won the race: the unique index decides.
      if (isUniqueViolation(err, "channels_live_account")) throw channelAlreadyConnected();
      throw err;
    });
  await tx.audit(
    { type: "channel.connected", data: { channelId: row.id, network, handle: row.handle, networkAccountId: row.networkAccountId, via } },
    { type: "channel", id: row.id },
  );
  return row;
}
