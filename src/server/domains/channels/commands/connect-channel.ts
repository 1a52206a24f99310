import { and, eq, isNull } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { NetworkError, type ConnectInput, type Connected } from "../../../networks/types";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { isUniqueViolation } from "../../workspaces/unique-violation";
import { channels } from "../channels.schema";
import { channelAlreadyConnected, connectMethodMismatch, connectRefused, networkUnreachable } from "../channels.errors";
import { sealCredentials, type ChannelRow } from "../channel-records";

export type ConnectChannelInput = { network: string; input: ConnectInput };

/**
 * Connects one of the brand's accounts: signs in at the network through its connector, seals the credentials it
 * gives and stores the verified profile. The same account connected again while it waits for a reconnect takes
 * the new credentials (`channel.reconnected`); while it works, it is refused (`channel_already_connected`).
 */
export async function connectChannel(ctx: Ctx, { network, input }: ConnectChannelInput): Promise<ChannelRow> {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const connector = ctx.services.networks.connectorFor(network);
  if (connector.connectMethod.kind !== input.kind) throw connectMethodMismatch(connector.connectMethod.kind);

  // The network call happens before the transaction: no database lock is held while a network thinks.
  let connected: Connected;
  try {
    connected = await connector.connect(input);
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    if (err.kind === "auth_expired" || err.kind === "invalid_content") throw connectRefused(err.message);
    throw networkUnreachable(err.kind);
  }

  const { profile } = connected;
  const now = ctx.now();
  const connectedBy = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const values = {
    handle: profile.handle,
    displayName: profile.displayName,
    avatarUrl: profile.avatarUrl,
    profileUrl: profile.url,
    credentials: sealCredentials(ctx, connected.credentials),
    status: "active",
    credentialsExpireAt: connected.expiresAt ? new Date(connected.expiresAt) : null,
    lastVerifiedAt: now,
    lastSuccessAt: now,
    lastErrorAt: null,
    lastError: null,
  };

  return inTransaction(ctx, async (tx) => {
    const [live] = await tx.db
      .select()
      .from(channels)
      .where(and(eq(channels.workspaceId, workspaceId), eq(channels.network, network), eq(channels.networkAccountId, profile.networkAccountId), isNull(channels.disconnectedAt)))
      .for("update");
    if (live && live.status !== "needs_reconnect") throw channelAlreadyConnected();
    if (live) {
      const [row] = await tx.db.update(channels).set({ ...values, connectedBy }).where(eq(channels.id, live.id)).returning();
      await tx.audit({ type: "channel.reconnected", data: { channelId: row.id, network, handle: row.handle } }, { type: "channel", id: row.id });
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
      { type: "channel.connected", data: { channelId: row.id, network, handle: row.handle, networkAccountId: row.networkAccountId } },
      { type: "channel", id: row.id },
    );
    return row;
  });
}
