import { lt } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { hashToken, newToken } from "../../../crypto/secrets";
import { consumeRateLimit } from "../../../db/rate-limit";
import { discoverProvider, oidc, ssoRedirectUri } from "../oidc";
import { samlClient } from "../saml";
import { ssoSignIns } from "../sso.schema";
import { ssoNotConfigured } from "../sso.errors";
import { findSsoProviderFor, type SsoProvider } from "../queries/sso-provider";

export type BeginSsoSignInInput = { email?: string; workspace?: string };

/** How long a person has at the provider before the attempt is void. */
export const SSO_SIGN_IN_VALID_MINUTES = 10;

/**
 * Starts signing in through the workspace's identity provider (found by the email's domain or the workspace's
 * slug). OpenID Connect: authorization code flow with PKCE (S256), a state and a nonce. SAML: an AuthnRequest
 * (HTTP-Redirect binding) whose ID the response must answer. Returns the provider's URL and a value for a browser
 * cookie: the sign-in must finish in the same browser (against login CSRF).
 */
export async function beginSsoSignIn(ctx: Ctx, input: BeginSsoSignInInput): Promise<{ authorizeUrl: string; browserToken: string }> {
  await consumeRateLimit(ctx.db, `sso-start:${ctx.request.ip ?? "unknown"}`, ctx.services.config.login.ratePerMinute, 60, ctx.now());
  const provider = await findSsoProviderFor(ctx.db, input);
  if (!provider) throw ssoNotConfigured();
  const now = ctx.now();
  // Attempts nobody finished are of no use a day later.
  await ctx.db.delete(ssoSignIns).where(lt(ssoSignIns.expiresAt, new Date(now.getTime() - 24 * 3600_000)));
  return provider.protocol === "saml" ? beginSaml(ctx, provider) : beginOidc(ctx, provider, input);
}

async function beginOidc(ctx: Ctx, provider: SsoProvider, input: BeginSsoSignInInput) {
  const config = await discoverProvider(ctx.services, { issuer: provider.issuer, clientId: provider.clientId!, clientSecret: ctx.services.secrets.open(provider.clientSecret!) });
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const browserToken = newToken();
  const now = ctx.now();
  await ctx.db.insert(ssoSignIns).values({
    providerId: provider.id,
    stateHash: hashToken(state),
    browserHash: hashToken(browserToken),
    secrets: ctx.services.secrets.seal(JSON.stringify({ codeVerifier, nonce })),
    createdAt: now,
    expiresAt: new Date(now.getTime() + SSO_SIGN_IN_VALID_MINUTES * 60_000),
  });
  const scope = ["openid", "email", "profile", ...(provider.teamsClaim ? [provider.teamsClaim] : [])].join(" ");
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: ssoRedirectUri(ctx.services),
    response_type: "code",
    scope,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    ...(input.email ? { login_hint: input.email.trim() } : {}),
  });
  return { authorizeUrl: url.href, browserToken };
}

/** The IdP's SSO URL with a deflated AuthnRequest; node-saml hands its ID to `saveAsync`, which keeps the attempt. */
async function beginSaml(ctx: Ctx, provider: SsoProvider) {
  const browserToken = newToken();
  const now = ctx.now();
  const requests = {
    saveAsync: async (requestId: string, value: string) => {
      await ctx.db.insert(ssoSignIns).values({
        providerId: provider.id,
        stateHash: hashToken(requestId),
        browserHash: hashToken(browserToken),
        secrets: ctx.services.secrets.seal("{}"),
        createdAt: now,
        expiresAt: new Date(now.getTime() + SSO_SIGN_IN_VALID_MINUTES * 60_000),
      });
      return { value, createdAt: now.getTime() };
    },
    getAsync: async () => null,
    removeAsync: async () => null,
  };
  const authorizeUrl = await samlClient(ctx.services, provider, requests).getAuthorizeUrlAsync("", undefined, {});
  return { authorizeUrl, browserToken };
}
