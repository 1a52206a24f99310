import { and, eq, gt, isNull } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { hashToken } from "../../../crypto/secrets";
import { discoverProvider, oidc } from "../oidc";
import { ssoProviders, ssoSignIns } from "../sso.schema";
import { ssoNotConfigured, ssoProviderRefused, ssoProviderUnreachable, ssoStateInvalid, ssoTokenInvalid } from "../sso.errors";
import { signInThroughProvider, type SsoSignInResult } from "./sign-in-through-provider";

export type CompleteSsoSignInInput = {
  /** The callback URL as the provider called it: Parapet's redirect URI with the provider's query string. */
  callbackUrl: URL;
  /** The cookie value `beginSsoSignIn` gave this browser, if it came back with it. */
  browserToken: string | undefined;
};
export type CompleteSsoSignInResult = SsoSignInResult;

type Claims = Record<string, unknown> & { sub: string };

/**
 * Finishes an OpenID Connect sign-in: the state must be one this browser started, unused and fresh; the code is
 * exchanged (with the PKCE verifier) and the ID token verified (signature, issuer, audience, expiry, nonce). Then the
 * person is signed in (or provisioned) by `signInThroughProvider`, as for SAML.
 */
export async function completeSsoSignIn(ctx: Ctx, input: CompleteSsoSignInInput): Promise<CompleteSsoSignInResult> {
  const params = input.callbackUrl.searchParams;
  const state = params.get("state");
  if (!state || !input.browserToken) return { ok: false, error: ssoStateInvalid() };
  // Claimed in its own transaction: a state is used once, whatever happens next.
  const [pending] = await ctx.db
    .update(ssoSignIns)
    .set({ usedAt: ctx.now() })
    .where(and(eq(ssoSignIns.stateHash, hashToken(state)), eq(ssoSignIns.browserHash, hashToken(input.browserToken)), isNull(ssoSignIns.usedAt), gt(ssoSignIns.expiresAt, ctx.now())))
    .returning();
  if (!pending) return { ok: false, error: ssoStateInvalid() };
  const [provider] = await ctx.db.select().from(ssoProviders).where(eq(ssoProviders.id, pending.providerId));
  // The workspace switched to SAML since this attempt started.
  if (!provider || provider.protocol !== "oidc") return { ok: false, error: ssoNotConfigured() };
  const providerError = params.get("error");
  if (providerError) return { ok: false, error: ssoProviderRefused(params.get("error_description") || providerError) };

  const { codeVerifier, nonce } = JSON.parse(ctx.services.secrets.open(pending.secrets)) as { codeVerifier: string; nonce: string };
  const config = await discoverProvider(ctx.services, { issuer: provider.issuer, clientId: provider.clientId!, clientSecret: ctx.services.secrets.open(provider.clientSecret!) });
  let claims: Claims;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, input.callbackUrl, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const idToken = tokens.claims()!;
    let userInfo: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint) userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
    // The ID token's own claims win over userinfo's (userinfo is checked to be about the same subject).
    claims = { ...userInfo, ...idToken, sub: idToken.sub };
  } catch (err) {
    // Name and message only: the error's cause can carry the token's claims or the provider's response.
    const reason = err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) };
    ctx.log.warn({ reason, issuer: provider.issuer }, "SSO sign-in refused: the provider's answer did not verify");
    if (err instanceof oidc.ResponseBodyError || err instanceof oidc.AuthorizationResponseError) return { ok: false, error: ssoProviderRefused(err.error) };
    if (err instanceof TypeError) return { ok: false, error: ssoProviderUnreachable() };
    return { ok: false, error: ssoTokenInvalid() };
  }

  return signInThroughProvider(ctx, provider, {
    subject: claims.sub,
    email: typeof claims.email === "string" ? claims.email : null,
    emailVerified: claims.email_verified === true,
    name: typeof claims.name === "string" ? claims.name : null,
    locale: typeof claims.locale === "string" ? claims.locale : null,
    teams: provider.teamsClaim ? claims[provider.teamsClaim] : undefined,
  });
}
