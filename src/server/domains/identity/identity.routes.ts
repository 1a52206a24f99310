import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/api";
import { permissionsOf } from "../../authz";
import { withActor, type Ctx } from "../../context";
import { forbidden } from "../../errors";
import { ACCOUNT, ACCOUNT_SESSION_ONLY, PARTIAL, PUBLIC, defineRoute } from "../../http/access";
import { ERRORS, idParam, jsonBody, newRouter, noContent, ok } from "../../http/openapi-kit";
import { clearSessionCookie, setSessionCookie } from "../../http/session-cookie";
import type { AuthState } from "../../http/env";
import { signInState } from "../../http/authenticate";
import { membershipOf, presentWorkspace, workspacesOf } from "../workspaces";
import { ssoWorkspaceOfSession } from "../sso/queries/sso-session";
import { ssoSessionConfined } from "../sso/sso.errors";
import { setSessionWorkspace } from "./queries/authenticate";
import { findUserById, presentUser } from "./queries/find-user";
import * as identity from "./index";
import { hasPasskey } from "./passkeys/find-passkeys";
import { passkeyRoutes } from "./passkeys/passkeys.routes";

const tags = ["Sign-in and account"];
export const identityRoutes = newRouter();

// ── Signing in ───────────────────────────────────────────────────────────────────────────────────────────

// The web app calls this once at start so the CSRF cookie exists before its first form.
identityRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get", path: "/auth/csrf", tags, summary: "The CSRF token for cookie sessions",
    description: "Also sets the `parapet_csrf` cookie. With a session cookie, send this value as `X-CSRF-Token` on every request that is not a GET.",
    responses: { 200: ok(z.object({ csrfToken: z.string() })) },
  }),
  (c) => c.json({ csrfToken: c.var.csrfToken }, 200),
);

identityRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/auth/sign-in", tags, summary: "Sign in with email and password",
    description: "Sets the session cookie. With MFA enrolled, `status` is `mfa_required`: finish with `POST /auth/mfa/verify`. Failed attempts are counted; too many lock the account (`account_locked`, 423), and each IP is throttled (`rate_limited`, 429).",
    request: jsonBody(api.SignInBody),
    responses: { 200: ok(api.SignInResult), 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 423: ERRORS[423], 429: ERRORS[429] },
  }),
  async (c) => {
    const result = await identity.signIn(c.var.ctx, c.req.valid("json"));
    if (!result.ok) throw result.error;
    setSessionCookie(c, result.sessionToken);
    return c.json({ status: result.mfaRequired ? ("mfa_required" as const) : ("signed_in" as const) }, 200);
  },
);

identityRoutes.openapi(
  defineRoute(PARTIAL, {
    method: "post", path: "/auth/mfa/verify", tags, summary: "Finish signing in with an authenticator code or a recovery code",
    description: "A wrong code (`invalid_mfa_code`, 400) counts like a wrong password: too many lock the account (`account_locked`, 423) and end this session.",
    request: jsonBody(api.MfaCodeBody),
    responses: { 200: ok(api.SignInResult), 400: ERRORS[400], 401: ERRORS[401], 423: ERRORS[423] },
  }),
  async (c) => {
    const result = await identity.verifyMfaChallenge(c.var.ctx, c.req.valid("json"));
    if (!result.ok) throw result.error;
    return c.json({ status: "signed_in" as const }, 200);
  },
);

identityRoutes.openapi(
  defineRoute(PARTIAL, { method: "post", path: "/auth/sign-out", tags, summary: "End the current session", responses: { 204: noContent, 401: ERRORS[401] } }),
  async (c) => {
    await identity.signOut(c.var.ctx);
    clearSessionCookie(c);
    return c.body(null, 204);
  },
);

identityRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/auth/password-reset/request", tags, summary: "Mail a password reset link",
    description: "Always answers 202, whether or not the email has an account.",
    request: jsonBody(api.PasswordResetRequestBody),
    responses: { 202: { description: "If an account exists, a link was mailed" }, 400: ERRORS[400], 429: ERRORS[429] },
  }),
  async (c) => {
    await identity.requestPasswordReset(c.var.ctx, c.req.valid("json"));
    return c.body(null, 202);
  },
);

identityRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/auth/password-reset/complete", tags, summary: "Choose a new password from a reset link",
    description: "Ends every session of the account. Errors: `invalid_reset_token` (410).",
    request: jsonBody(api.PasswordResetCompleteBody),
    responses: { 204: noContent, 400: ERRORS[400], 410: ERRORS[410] },
  }),
  async (c) => {
    await identity.completePasswordReset(c.var.ctx, c.req.valid("json"));
    return c.body(null, 204);
  },
);

// ── The signed-in person ─────────────────────────────────────────────────────────────────────────────────

/** Who is signed in, where, with what role, what they may do, and whether sign-in is complete. */
export async function presentMe(ctx: Ctx, auth: AuthState) {
  if (ctx.actor.type !== "user" || auth.kind !== "signed_in") throw forbidden();
  const user = (await findUserById(ctx.db, ctx.actor.userId))!;
  const membership = ctx.workspaceId ? await membershipOf(ctx.db, user.id, ctx.workspaceId) : undefined;
  const all = await workspacesOf(ctx.db, user.id);
  return {
    user: presentUser(user),
    state: auth.state,
    workspace: membership ? presentWorkspace(membership.workspace) : null,
    role: membership?.role ?? null,
    can: permissionsOf(ctx.actor),
    workspaces: all.map((m) => ({ id: m.workspace.id, name: m.workspace.name, role: m.role })),
  };
}

identityRoutes.openapi(
  defineRoute(PARTIAL, { method: "get", path: "/me", tags, summary: "Who is signed in, in which workspace, and what they may do", responses: { 200: ok(api.Me), 401: ERRORS[401] } }),
  async (c) => c.json(await presentMe(c.var.ctx, c.var.auth), 200),
);

identityRoutes.openapi(
  defineRoute(ACCOUNT, { method: "patch", path: "/me", tags, summary: "Change your name or language", request: jsonBody(api.UpdateProfileBody), responses: { 200: ok(api.User), 400: ERRORS[400] } }),
  async (c) => c.json(await identity.updateProfile(c.var.ctx, c.req.valid("json")), 200),
);

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, {
    method: "post", path: "/me/password", tags, summary: "Change your password (your other sessions end)",
    request: jsonBody(api.ChangePasswordBody), responses: { 204: noContent, 400: ERRORS[400] },
  }),
  async (c) => {
    await identity.changePassword(c.var.ctx, c.req.valid("json"));
    return c.body(null, 204);
  },
);

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, {
    method: "post", path: "/me/workspace", tags, summary: "Switch to another of your workspaces (brands)",
    description: "A session started by single sign-on stays in its workspace (`sso_session_confined`, 403).",
    request: jsonBody(api.SwitchWorkspaceBody), responses: { 200: ok(api.Me), 403: ERRORS[403] },
  }),
  async (c) => {
    const { workspaceId } = c.req.valid("json");
    const actor = c.var.actor;
    if (actor.type !== "user" || !actor.sessionId) throw forbidden();
    const membership = await membershipOf(c.var.ctx.db, actor.userId, workspaceId);
    if (!membership) throw forbidden("You are not a member of that workspace");
    const ssoWorkspaceId = await ssoWorkspaceOfSession(c.var.ctx.db, actor.sessionId);
    if (ssoWorkspaceId && ssoWorkspaceId !== workspaceId) throw ssoSessionConfined();
    await setSessionWorkspace(c.var.services, actor.sessionId, workspaceId);
    const user = (await findUserById(c.var.ctx.db, actor.userId))!;
    const mfaEnrolled = user.mfaEnabledAt !== null || (await hasPasskey(c.var.ctx.db, user.id));
    const state = signInState({
      mfaPassed: true,
      workspaceRequiresMfa: membership.workspace.requireMfa,
      mfaEnrolled,
      mfaByIdentityProvider: ssoWorkspaceId === workspaceId,
      mfaReenrolmentRequired: user.mfaReenrolmentRequiredAt !== null,
    });
    const switched = withActor(c.var.ctx, { ...actor, role: membership.role }, workspaceId);
    return c.json(await presentMe(switched, { kind: "signed_in", via: "session", state, sessionId: actor.sessionId }), 200);
  },
);

// ── Sessions ─────────────────────────────────────────────────────────────────────────────────────────────

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, { method: "get", path: "/me/sessions", tags, summary: "Your live sessions (device, IP, last seen)", responses: { 200: ok(z.object({ sessions: z.array(api.Session) })) } }),
  async (c) => c.json({ sessions: await identity.listMySessions(c.var.ctx) }, 200),
);

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, {
    method: "delete", path: "/me/sessions/{sessionId}", tags, summary: "End one of your sessions",
    request: { params: idParam("sessionId") }, responses: { 204: noContent, 404: ERRORS[404] },
  }),
  async (c) => {
    await identity.revokeMySessions(c.var.ctx, { sessionId: c.req.valid("param").sessionId });
    return c.body(null, 204);
  },
);

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, { method: "post", path: "/me/sessions/revoke-others", tags, summary: "End all your sessions except this one", responses: { 200: ok(z.object({ ended: z.number() })) } }),
  async (c) => c.json(await identity.revokeMySessions(c.var.ctx, { allExceptCurrent: true }), 200),
);

// ── Two-factor authentication ────────────────────────────────────────────────────────────────────────────

identityRoutes.openapi(
  defineRoute(PARTIAL, {
    method: "post", path: "/me/mfa/setup", tags, summary: "Start MFA enrolment: a new authenticator secret and QR code",
    responses: { 200: ok(api.MfaSetup), 409: ERRORS[409] },
  }),
  async (c) => {
    if (c.var.auth.kind === "signed_in" && c.var.auth.state === "mfa_challenge") throw forbidden("Finish signing in first");
    return c.json(await identity.startMfaEnrolment(c.var.ctx), 200);
  },
);

identityRoutes.openapi(
  defineRoute(PARTIAL, {
    method: "post", path: "/me/mfa/confirm", tags, summary: "Confirm MFA enrolment with a code; returns recovery codes once",
    request: jsonBody(api.MfaCodeBody), responses: { 200: ok(api.RecoveryCodes), 400: ERRORS[400], 409: ERRORS[409] },
  }),
  async (c) => {
    if (c.var.auth.kind === "signed_in" && c.var.auth.state === "mfa_challenge") throw forbidden("Finish signing in first");
    return c.json(await identity.confirmMfaEnrolment(c.var.ctx, c.req.valid("json")), 200);
  },
);

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, {
    method: "post", path: "/me/mfa/disable", tags, summary: "Turn MFA off (password and a current code required)",
    request: jsonBody(api.DisableMfaBody), responses: { 204: noContent, 400: ERRORS[400] },
  }),
  async (c) => {
    await identity.disableMfa(c.var.ctx, c.req.valid("json"));
    return c.body(null, 204);
  },
);

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, { method: "post", path: "/me/mfa/recovery-codes", tags, summary: "Replace your recovery codes", responses: { 200: ok(api.RecoveryCodes), 409: ERRORS[409] } }),
  async (c) => c.json(await identity.regenerateRecoveryCodes(c.var.ctx), 200),
);

// ── Passkeys (sign-in, MFA step, registration): passkeys/passkeys.routes.ts ────────────────────────────────

identityRoutes.route("/", passkeyRoutes);

// ── Personal API tokens ──────────────────────────────────────────────────────────────────────────────────

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, { method: "get", path: "/me/api-tokens", tags, summary: "Your personal API tokens", responses: { 200: ok(z.object({ tokens: z.array(api.ApiToken) })) } }),
  async (c) => c.json({ tokens: await identity.listMyApiTokens(c.var.ctx) }, 200),
);

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, {
    method: "post", path: "/me/api-tokens", tags, summary: "Create a personal API token (shown once)",
    description: "Send it as `Authorization: Bearer <token>`. It acts as you, in this workspace, limited to its scopes and to what your role allows.",
    request: jsonBody(api.CreateApiTokenBody), responses: { 200: ok(z.object({ token: z.string(), apiToken: api.ApiToken })), 400: ERRORS[400] },
  }),
  async (c) => c.json(await identity.createApiToken(c.var.ctx, c.req.valid("json")), 200),
);

identityRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, {
    method: "delete", path: "/me/api-tokens/{tokenId}", tags, summary: "Revoke one of your API tokens",
    request: { params: idParam("tokenId") }, responses: { 204: noContent, 404: ERRORS[404] },
  }),
  async (c) => {
    await identity.revokeApiToken(c.var.ctx, { tokenId: c.req.valid("param").tokenId });
    return c.body(null, 204);
  },
);
