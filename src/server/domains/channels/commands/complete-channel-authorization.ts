import { eq } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { AppError } from "../../../errors";
import { channelReconnectLinks } from "../channels.schema";
import { authorizationInvalid, connectRefused } from "../channels.errors";
import type { ChannelRow } from "../channel-records";
import { claimAuthorization } from "../authorization";
import { signInAtNetwork, storeConnection } from "../connection";
import { openReconnectLink } from "../reconnect-links";

export type AuthorizationCallback = { state: string; code?: string; error?: string; errorDescription?: string };

/** Where the callback leads: the channels page, or the reconnect link's page when a link started it. */
export type CompletedAuthorization = { channel: ChannelRow; startedByLink: boolean };

/**
 * Connects an account of an OAuth network, step two: the network sent the person back with a code (or an error).
 * The authorisation is used once. One started in the app must come back to the same signed-in person (so nobody can
 * make someone else's browser connect an account of theirs); one started from a reconnect link needs the link to
 * still be valid, and reconnects only that link's channel with that same account.
 */
export async function completeChannelAuthorization(ctx: Ctx, callback: AuthorizationCallback): Promise<CompletedAuthorization> {
  const authorization = await inTransaction(ctx, (tx) => claimAuthorization(tx, callback.state));
  if (authorization.startedBy) {
    // The same person, still in the workspace where they started, still allowed to manage its channels.
    const samePerson = ctx.actor.type === "user" && ctx.actor.userId === authorization.startedBy && ctx.workspaceId === authorization.workspaceId;
    if (!samePerson) throw authorizationInvalid();
    authorize(ctx.actor, "channels.manage");
  }
  if (authorization.reconnectLinkId) await openReconnectLink(ctx, { linkId: authorization.reconnectLinkId });
  if (callback.error || !callback.code) {
    throw connectRefused(callback.errorDescription || callback.error || "the network sent no authorisation code");
  }
  const connector = ctx.services.networks.connectorFor(authorization.network);
  const connected = await signInAtNetwork(connector, {
    kind: "oauth2_callback",
    code: callback.code,
    codeVerifier: authorization.codeVerifier,
    redirectUri: authorization.redirectUri,
    serviceUrl: authorization.serviceUrl ?? undefined,
    pending: authorization.pending,
  });

  // A link's holder has no seat: the change is recorded as the system acting for the link (the audit data names it).
  const actorCtx = authorization.reconnectLinkId ? unsafeSystemCtx(ctx.services, "reconnect-link", authorization.workspaceId) : ctx;
  const channel = await inTransaction(actorCtx, async (tx) => {
    const row = await storeConnection(tx, {
      workspaceId: authorization.workspaceId,
      network: authorization.network,
      connected,
      via: authorization.reconnectLinkId ? "reconnect_link" : "oauth",
      serviceUrl: authorization.serviceUrl,
      channelId: authorization.channelId,
    });
    if (authorization.reconnectLinkId) {
      const [used] = await tx.db.update(channelReconnectLinks).set({ usedAt: tx.now() }).where(eq(channelReconnectLinks.id, authorization.reconnectLinkId)).returning();
      if (used.revokedAt) throw new AppError("reconnect_link_invalid", 410, "This reconnect link was revoked meanwhile");
    }
    return row;
  });
  return { channel, startedByLink: authorization.reconnectLinkId !== null };
}
