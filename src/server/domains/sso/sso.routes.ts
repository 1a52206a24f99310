import { z } from "@hono/zod-openapi";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as api from "../../../contracts/api";
import { AppError } from "../../errors";
import { PUBLIC, defineRoute, may } from "../../http/access";
import { ERRORS, jsonBody, newRouter, noContent, ok } from "../../http/openapi-kit";
import { setSessionCookie } from "../../http/session-cookie";
import { ssoRedirectUri } from "./oidc";
import { SSO_SIGN_IN_VALID_MINUTES } from "./commands/begin-sso-sign-in";
import * as sso from "./index";

const tags = ["Single sign-on"];
export const ssoRoutes = newRouter();

/** Ties an SSO sign-in to the browser that started it (against login CSRF); sent only to the SSO routes. */
const SSO_BROWSER_COOKIE = "parapet_sso";
const SSO_COOKIE_PATH = "/api/v1/auth/sso";
const unavailable = { description: "The identity provider could not be reached (`sso_provider_unreachable`)", content: ERRORS[404].content };

ssoRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/auth/sso/start", tags, summary: "Start signing in through the workspace's OpenID provider",
    description:
      "Finds the provider by the email's domain (or the workspace's slug) and returns its authorisation URL (authorization code flow, PKCE S256, state and nonce) to send the browser to; sets a short-lived cookie that the callback checks. The provider sends the person back to `GET /auth/sso/callback` within 10 minutes. Errors: `sso_not_configured` (404), `sso_provider_unreachable` (503), `rate_limited` (429).",
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

ssoRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "get", path: "/workspace/sso", tags, summary: "The workspace's single sign-on settings (never the client secret)",
    responses: { 200: ok(api.SsoSettings), 403: ERRORS[403] },
  }),
  async (c) => c.json(await sso.getSsoSettings(c.var.ctx), 200),
);

ssoRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "put", path: "/workspace/sso", tags, summary: "Set up or change the workspace's OpenID provider",
    description:
      "The provider must answer OpenID discovery at the issuer (`sso_provider_unreachable`, 503). `ssoRequired` turns password sign-in off for the workspace's members, except `breakGlassUserId`: an owner with MFA. Errors: `invalid_input` (400).",
    request: jsonBody(api.ConfigureSsoBody),
    responses: { 200: ok(api.SsoSettings), 400: ERRORS[400], 403: ERRORS[403], 503: unavailable },
  }),
  async (c) => c.json(await sso.configureSso(c.var.ctx, c.req.valid("json")), 200),
);

ssoRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "delete", path: "/workspace/sso", tags, summary: "Remove the workspace's OpenID provider (password sign-in is back for everyone)",
    responses: { 204: noContent, 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => {
    await sso.removeSso(c.var.ctx);
    return c.body(null, 204);
  },
);
