import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Ctx } from "../../context";
import { hashToken } from "../../crypto/secrets";
import { invalidInput } from "../../errors";
import { API_PREFIX } from "../../http/access";
import { NetworkError, type Connector, type Credentials } from "../../networks/types";
import { channelAuthorizations } from "./channels.schema";
import { authorizationInvalid, connectMethodMismatch, networkUnreachable } from "./channels.errors";

/** How long a person has at the network to authorise Parapet. */
export const AUTHORIZATION_VALID_MS = 15 * 60_000;

/** Where the network sends the person back: one URL for every network, registered with the network's client. */
export const oauthRedirectUri = (ctx: Ctx) => `${ctx.services.config.publicUrl}${API_PREFIX}/channels/oauth/callback`;

/** PKCE (RFC 7636): a random verifier kept here, its S256 challenge sent to the network. */
function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The account's server for networks of many servers: the one given, else the network's default; required where it must be. */
export function serviceUrlFor(connector: Connector, given: string | undefined): string | undefined {
  const method = connector.connectMethod;
  const field = method.kind === "sandbox" ? undefined : method.serviceUrl;
  const url = given?.trim().replace(/\/+$/, "") || field?.defaultUrl || undefined;
  if (field?.required && !url) throw invalidInput({ serviceUrl: ["Enter the address of the account's server, e.g. https://mastodon.social"] });
  if (url && !/^https?:\/\/[^\s/]+/i.test(url)) throw invalidInput({ serviceUrl: ["Enter an address starting with https://"] });
  return url;
}

export type AuthorizationTarget = {
  workspaceId: string;
  connector: Connector;
  serviceUrl: string | undefined;
  /** Reconnecting this channel (the account must be the same). */
  channelId: string | null;
  reconnectLinkId: string | null;
  startedBy: string | null;
};

/**
 * Starts the network's OAuth flow: asks the connector for the authorisation URL (it registers Parapet as a client
 * where the network needs that) and keeps the state, the PKCE verifier and the connector's pending data until the
 * person comes back. Returns where to send them.
 */
export async function startAuthorization(ctx: Ctx, target: AuthorizationTarget): Promise<{ authorizeUrl: string; expiresAt: string }> {
  const { connector } = target;
  if (connector.connectMethod.kind !== "oauth2_pkce" || !connector.beginAuthorization) throw connectMethodMismatch(connector.connectMethod.kind);
  const state = randomBytes(24).toString("base64url");
  const { verifier, challenge } = pkcePair();
  const redirectUri = oauthRedirectUri(ctx);
  let started: { authorizeUrl: string; pending: Credentials };
  try {
    started = await connector.beginAuthorization({ serviceUrl: target.serviceUrl, redirectUri, state, codeChallenge: challenge });
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    if (err.kind === "invalid_content" || err.kind === "auth_expired") throw invalidInput({ serviceUrl: [`The server refused to register Parapet: ${err.message}`] });
    throw networkUnreachable(err.kind);
  }
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + AUTHORIZATION_VALID_MS);
  await ctx.db.insert(channelAuthorizations).values({
    workspaceId: target.workspaceId,
    network: connector.network,
    stateHash: hashToken(state),
    secrets: ctx.services.secrets.seal(JSON.stringify({ codeVerifier: verifier, pending: started.pending })),
    redirectUri,
    serviceUrl: target.serviceUrl ?? null,
    channelId: target.channelId,
    reconnectLinkId: target.reconnectLinkId,
    startedBy: target.startedBy,
    createdAt: now,
    expiresAt,
  });
  return { authorizeUrl: started.authorizeUrl, expiresAt: expiresAt.toISOString() };
}

export type ClaimedAuthorization = typeof channelAuthorizations.$inferSelect & { codeVerifier: string; pending: Credentials };

/**
 * Takes the open authorisation named by `state` for this one callback: marks it completed (a second use of the same
 * state finds nothing) and opens its secrets. `channel_authorization_invalid` when unknown, used or expired.
 */
export async function claimAuthorization(ctx: Ctx, state: string): Promise<ClaimedAuthorization> {
  const [row] = await ctx.db
    .update(channelAuthorizations)
    .set({ completedAt: ctx.now() })
    .where(and(eq(channelAuthorizations.stateHash, hashToken(state)), isNull(channelAuthorizations.completedAt), gt(channelAuthorizations.expiresAt, ctx.now())))
    .returning();
  if (!row) throw authorizationInvalid();
  const secrets = JSON.parse(ctx.services.secrets.open(row.secrets)) as { codeVerifier: string; pending: Credentials };
  return { ...row, ...secrets };
}
