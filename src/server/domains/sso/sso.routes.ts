import { z } from "@hono/zod-openapi";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as api from "../../../contracts/api";
import { AppError } from "../../errors";
import { PUBLIC, defineRoute, may } from "../../http/access";
import { exemptFromCsrf } from "../../http/csrf";
import { ERRORS, jsonBody, newRouter, noContent, ok } from "../../http/openapi-kit";
import { setSessionCookie } from "../../http/session-cookie";
import { ssoRedirectUri } from "./oidc";
import { SSO_SIGN_IN_VALID_MINUTES } from "./commands/begin-sso-sign-in";
import * as sso from "./index";
import { ssoTokenInvalid } from "./sso.errors";

const tags = ["Single sign-on"];
export const ssoRoutes = newRouter();

/** Ties an SSO sign-in to the browser that started it (against login CSRF); sent only to the SSO routes. */
const SSO_BROWSER_COOKIE = "parapet_sso";
const SSO_COOKIE_PATH = "/api/v1/auth/sso";
const unavailable = { description: "The identity provider could not be reached (`sso_provider_unreachable`)", content: ERRORS[404].content };

ssoRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/auth/sso/start", tags, summary: "Start signing in through the workspace's identity provider (OpenID Connect or SAML)",
    description:
      "Finds the provider by the email's domain (or the workspace's slug) and returns the URL to send the browser to: for OpenID Connect its authorisation URL (authorization code flow, PKCE S256, state and nonce), for SAML the IdP's SSO URL with an AuthnRequest (HTTP-Redirect binding). Sets a short-lived cookie that the end of the sign-in checks. The provider sends the person back within 10 minutes: to `GET /auth/sso/callback` (OIDC) or, with a signed SAML Response, to `POST /auth/sso/saml/{workspaceId}/acs`. Errors: `sso_not_configured` (404), `sso_provider_unreachable` (503), `rate_limited` (429).",
    request: jsonBody(api.SsoStartBody),
    responses: { 200: ok(api.SsoStart), 400: ERRORS[400], 404: ERRORS[404], 429: ERRORS[429], 503: unavailable },
  }),
  async (c) => {
    const { authorizeUrl, browserToken } = await sso.beginSsoSignIn(c.var.ctx, c.req.valid("json"));
    setCookie(c, SSO_BROWSER_COOKIE, browserToken, {
      path: SSO_COOKIE_PATH, httpOnly: true, sameSite: "Lax", secure: c.var.services.config.secureCookies, maxAge: SSO_SIGN_IN_VALID_MINUTES * 60,
    });
    return c.json({ authorizeUrl }, 200);
  },
);

const callbackQuery = z.object({
  state: z.string().max(500).optional(),
  code: z.string().max(4000).optional(),
  iss: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});
ssoRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get", path: "/auth/sso/callback", tags, summary: "Where the OpenID provider sends the person back (redirect URI)",
    description:
      "A browser navigation, not an API call: verifies the answer, signs the person in (a normal session, counted as past MFA) and redirects to `/`, or to `/sign-in?ssoError=<code>`: `sso_state_invalid`, `sso_token_invalid`, `sso_provider_refused`, `sso_email_not_allowed`, `sso_not_a_member`, `account_disabled`, `sso_not_configured`, `sso_provider_unreachable`.",
    request: { query: callbackQuery },
    responses: { 302: { description: "Redirect to the web app with the outcome" } },
  }),
  async (c) => {
    c.req.valid("query");
    const browserToken = getCookie(c, SSO_BROWSER_COOKIE);
    deleteCookie(c, SSO_BROWSER_COOKIE, { path: SSO_COOKIE_PATH, secure: c.var.services.config.secureCookies });
    // The URL the provider called, as it knows it (behind a proxy the request's own URL may differ).
    const callbackUrl = new URL(ssoRedirectUri(c.var.services) + new URL(c.req.url).search);
    try {
      const result = await sso.completeSsoSignIn(c.var.ctx, { callbackUrl, browserToken });
      if (!result.ok) throw result.error;
      setSessionCookie(c, result.sessionToken);
      return c.redirect("/", 302);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      c.var.ctx.log.info({ code: err.code }, "single sign-on did not finish");
      return c.redirect(`/sign-in?ssoError=${encodeURIComponent(err.code)}`, 302);
    }
  },
);

const workspaceIdParam = z.object({ workspaceId: z.string().max(64) });

ssoRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get", path: "/auth/sso/saml/{workspaceId}/metadata", tags, summary: "Parapet's SAML service provider metadata for a workspace",
    description:
      "The XML an identity provider imports (by this URL, which is also the service provider's entity ID): the entity ID, the assertion consumer service (HTTP-POST) and that assertions must be signed. Available for every workspace, also before SAML is set up. Errors: `not_found` (404).",
    request: { params: workspaceIdParam },
    responses: { 200: { description: "SAML 2.0 metadata", content: { "application/samlmetadata+xml": { schema: z.string() } } }, 404: ERRORS[404] },
  }),
  async (c) => {
    const xml = await sso.samlMetadataOf(c.var.ctx, c.req.valid("param").workspaceId);
    return c.body(xml, 200, { "content-type": "application/samlmetadata+xml; charset=utf-8" });
  },
);

const acsForm = z.object({ SAMLResponse: z.string().max(1_000_000).optional(), RelayState: z.string().max(2000).optional() });
/** Where the browser posts the IdP's answer, from the IdP's page: a cross-site form, so no CSRF token (see the route). */
exemptFromCsrf(/^\/api\/v1\/auth\/sso\/saml\/[^/]+\/acs$/);
ssoRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/auth/sso/saml/{workspaceId}/acs", tags, summary: "Assertion consumer service: where the IdP's page posts the SAML Response",
    description:
      "A browser form post from the IdP (HTTP-POST binding), not an API call, and so without a CSRF token: it signs nobody in by itself. The Response must answer a pending AuthnRequest of this workspace (InResponseTo, once), be signed — its assertion, or the whole response — by one of the IdP's configured certificates, and hold for this service provider (audience, Recipient, Destination), now (NotBefore, NotOnOrAfter, a small skew) and for the first time (assertion ID). Then it redirects (303) to `GET /auth/sso/saml/finish`, where the browser that started the sign-in finishes it; otherwise to `/sign-in?ssoError=<code>`: `sso_state_invalid`, `sso_token_invalid`, `sso_unsolicited` (IdP-initiated, refused), `sso_name_id_transient`, `sso_provider_refused`, `sso_not_configured`, `rate_limited`.",
    request: { params: workspaceIdParam, body: { content: { "application/x-www-form-urlencoded": { schema: acsForm } }, required: false } },
    responses: { 303: { description: "Redirect to the end of the sign-in, or to the sign-in page with the outcome" } },
  }),
  async (c) => {
    const { workspaceId } = c.req.valid("param");
    const { SAMLResponse } = c.req.valid("form");
    try {
      if (!SAMLResponse) throw ssoTokenInvalid();
      const result = await sso.receiveSamlResponse(c.var.ctx, { workspaceId, samlResponse: SAMLResponse });
      if (!result.ok) throw result.error;
      return c.redirect(`${SSO_COOKIE_PATH}/saml/finish?attempt=${result.attemptId}`, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      c.var.ctx.log.info({ code: err.code }, "single sign-on did not finish");
      return c.redirect(`/sign-in?ssoError=${encodeURIComponent(err.code)}`, 303);
    }
  },
);

ssoRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get", path: "/auth/sso/saml/finish", tags, summary: "Finish a SAML sign-in in the browser that started it",
    description:
      "A browser navigation: the attempt the assertion consumer service verified must belong to this browser (the cookie set by `POST /auth/sso/start`), be unused and within 10 minutes. Signs the person in (a normal session, counted as past MFA) and redirects to `/`, or to `/sign-in?ssoError=<code>`: `sso_state_invalid`, `sso_email_not_allowed`, `sso_not_a_member`, `account_disabled`, `sso_not_configured`.",
    request: { query: z.object({ attempt: z.string().max(64).optional() }) },
    responses: { 302: { description: "Redirect to the web app with the outcome" } },
  }),
  async (c) => {
    const { attempt } = c.req.valid("query");
    const browserToken = getCookie(c, SSO_BROWSER_COOKIE);
    deleteCookie(c, SSO_BROWSER_COOKIE, { path: SSO_COOKIE_PATH, secure: c.var.services.config.secureCookies });
    try {
      const result = await sso.finishSamlSignIn(c.var.ctx, { attemptId: attempt ?? "", browserToken });
      if (!result.ok) throw result.error;
      setSessionCookie(c, result.sessionToken);
      return c.redirect("/", 302);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      c.var.ctx.log.info({ code: err.code }, "single sign-on did not finish");
      return c.redirect(`/sign-in?ssoError=${encodeURIComponent(err.code)}`, 302);
    }
  },
);

ssoRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "get", path: "/workspace/sso", tags, summary: "The workspace's single sign-on settings (never the client secret), and what to register at the provider",
    responses: { 200: ok(api.SsoSettings), 403: ERRORS[403] },
  }),
  async (c) => c.json(await sso.getSsoSettings(c.var.ctx), 200),
);

ssoRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "put", path: "/workspace/sso", tags, summary: "Set up or change the workspace's identity provider (OpenID Connect or SAML 2.0)",
    description:
      "`protocol: oidc` (the default): the provider must answer OpenID discovery at the issuer (`sso_provider_unreachable`, 503). `protocol: saml`: `issuer` is the IdP's entity ID, with `idpSsoUrl` and `idpCertificate` (PEM, each a parsable X.509 certificate). The policy is the same for both: `ssoRequired` turns password sign-in off for the workspace's members, except `breakGlassUserId`: an owner with MFA. Errors: `invalid_input` (400).",
    request: jsonBody(api.ConfigureSsoBody),
    responses: { 200: ok(api.SsoSettings), 400: ERRORS[400], 403: ERRORS[403], 503: unavailable },
  }),
  async (c) => c.json(await sso.configureSso(c.var.ctx, c.req.valid("json")), 200),
);

ssoRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "delete", path: "/workspace/sso", tags, summary: "Remove the workspace's identity provider (password sign-in is back for everyone)",
    responses: { 204: noContent, 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => {
    await sso.removeSso(c.var.ctx);
    return c.body(null, 204);
  },
);
