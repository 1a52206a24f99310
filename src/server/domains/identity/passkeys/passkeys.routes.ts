import { z } from "@hono/zod-openapi";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import * as api from "../../../../contracts/api";
import { forbidden } from "../../../errors";
import { ACCOUNT_SESSION_ONLY, PARTIAL, PUBLIC, defineRoute } from "../../../http/access";
import type { AppEnv } from "../../../http/env";
import { ERRORS, idParam, jsonBody, newRouter, noContent, ok } from "../../../http/openapi-kit";
import { setSessionCookie } from "../../../http/session-cookie";
import type { Context } from "hono";
import { registerPasskey } from "../commands/passkey-register";
import { startPasskeyRegistration } from "../commands/passkey-registration-options";
import { removePasskey } from "../commands/passkey-remove";
import { startPasskeyMfa } from "../commands/passkey-mfa-options";
import { verifyPasskeyMfa } from "../commands/passkey-verify-mfa";
import { startPasskeySignIn } from "../commands/passkey-sign-in-options";
import { signInWithPasskey } from "../commands/passkey-sign-in";
import { listMyPasskeys } from "../queries/list-my-passkeys";
import { mfaMethodsOf } from "../queries/mfa-methods";

const tags = ["Sign-in and account"];
export const passkeyRoutes = newRouter();

// The answer's outline is checked by the contract; WebAuthn verification checks the rest.
const asRegistration = (answer: z.infer<typeof api.PasskeyAnswer>) => answer as unknown as RegistrationResponseJSON;
const asAssertion = (answer: z.infer<typeof api.PasskeyAnswer>) => answer as unknown as AuthenticationResponseJSON;

/** Registering is for a session past the MFA challenge (also while the workspace still asks for enrolment). */
function refuseDuringChallenge(c: Context<AppEnv>) {
  if (c.var.auth.kind === "signed_in" && c.var.auth.state === "mfa_challenge") throw forbidden("Finish signing in first");
}

// ── Signing in with a passkey ────────────────────────────────────────────────────────────────────────────

passkeyRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/auth/passkey/options", tags, summary: "Start signing in with a passkey (no email or password)",
    description: "WebAuthn request options for `navigator.credentials.get()` with a single-use challenge valid for 5 minutes. Throttled per IP (`rate_limited`, 429).",
    responses: { 200: ok(api.PasskeyOptions), 429: ERRORS[429] },
  }),
  async (c) => c.json({ options: await startPasskeySignIn(c.var.ctx) }, 200),
);

passkeyRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/auth/passkey/sign-in", tags, summary: "Sign in with a passkey",
    description:
      "Send the browser's answer to the options. A passkey that verified its user signs in fully (both factors) and sets the session cookie. " +
      "Errors: `passkey_challenge_invalid` (400: unknown, used or expired challenge), `passkey_refused` (400; counts toward the account's lockout), `account_locked` (423), `account_disabled` (403), `rate_limited` (429, shared with password sign-in).",
    request: jsonBody(api.PasskeyAnswerBody),
    responses: { 200: ok(api.SignInResult), 400: ERRORS[400], 403: ERRORS[403], 423: ERRORS[423], 429: ERRORS[429] },
  }),
  async (c) => {
    const result = await signInWithPasskey(c.var.ctx, { answer: asAssertion(c.req.valid("json").answer) });
    if (!result.ok) throw result.error;
    setSessionCookie(c, result.sessionToken);
    return c.json({ status: "signed_in" as const }, 200);
  },
);

passkeyRoutes.openapi(
  defineRoute(PARTIAL, {
    method: "get", path: "/auth/mfa/methods", tags, summary: "Which second factors you can use to finish signing in",
    responses: { 200: ok(api.MfaMethods) },
  }),
  async (c) => c.json(await mfaMethodsOf(c.var.ctx), 200),
);

passkeyRoutes.openapi(
  defineRoute(PARTIAL, {
    method: "post", path: "/auth/mfa/passkey/options", tags, summary: "Start the MFA step with one of your passkeys",
    description: "After the password: WebAuthn request options for your passkeys, with a challenge for this session. `passkey_not_registered` (409) when you have none.",
    responses: { 200: ok(api.PasskeyOptions), 409: ERRORS[409] },
  }),
  async (c) => c.json({ options: await startPasskeyMfa(c.var.ctx) }, 200),
);

passkeyRoutes.openapi(
  defineRoute(PARTIAL, {
    method: "post", path: "/auth/mfa/passkey/verify", tags, summary: "Finish signing in with a passkey as the second factor",
    description: "A refused passkey (`passkey_refused`, 400) counts like a wrong code: too many lock the account (`account_locked`, 423) and end this session. `passkey_challenge_invalid` (400) for an unknown, used or expired challenge.",
    request: jsonBody(api.PasskeyAnswerBody),
    responses: { 200: ok(api.SignInResult), 400: ERRORS[400], 423: ERRORS[423] },
  }),
  async (c) => {
    const result = await verifyPasskeyMfa(c.var.ctx, { answer: asAssertion(c.req.valid("json").answer) });
    if (!result.ok) throw result.error;
    return c.json({ status: "signed_in" as const }, 200);
  },
);

// ── Your passkeys ────────────────────────────────────────────────────────────────────────────────────────

passkeyRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, { method: "get", path: "/me/passkeys", tags, summary: "Your passkeys (name, created, last used)", responses: { 200: ok(z.object({ passkeys: z.array(api.Passkey) })) } }),
  async (c) => c.json({ passkeys: await listMyPasskeys(c.var.ctx) }, 200),
);

passkeyRoutes.openapi(
  defineRoute(PARTIAL, {
    method: "post", path: "/me/passkeys/options", tags, summary: "Start registering a passkey",
    description: "WebAuthn creation options for `navigator.credentials.create()`: a discoverable credential with user verification, a challenge for this session valid for 5 minutes. Also open while a workspace asks you to set up two-factor authentication: a passkey counts.",
    responses: { 200: ok(api.PasskeyOptions), 403: ERRORS[403] },
  }),
  async (c) => {
    refuseDuringChallenge(c);
    return c.json({ options: await startPasskeyRegistration(c.var.ctx) }, 200);
  },
);

passkeyRoutes.openapi(
  defineRoute(PARTIAL, {
    method: "post", path: "/me/passkeys", tags, summary: "Register a passkey with the browser's answer",
    description: "`recoveryCodes` (shown once) come with the first passkey of someone without an authenticator app or recovery codes. Errors: `passkey_challenge_invalid` (400), `passkey_refused` (400: wrong origin, no user verification, bad attestation), `passkey_already_registered` (409).",
    request: jsonBody(api.RegisterPasskeyBody),
    responses: { 200: ok(api.RegisteredPasskey), 400: ERRORS[400], 403: ERRORS[403], 409: ERRORS[409] },
  }),
  async (c) => {
    refuseDuringChallenge(c);
    const body = c.req.valid("json");
    const result = await registerPasskey(c.var.ctx, { name: body.name, answer: asRegistration(body.answer) });
    if (!result.ok) throw result.error;
    return c.json({ passkey: result.passkey, ...(result.recoveryCodes ? { recoveryCodes: result.recoveryCodes } : {}) }, 200);
  },
);

passkeyRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, {
    method: "post", path: "/me/passkeys/{passkeyId}/remove", tags, summary: "Remove one of your passkeys (your password, a current code or a passkey required)",
    description: "Confirm with `password`, `code` (authenticator app) or `answer` (a passkey answering `POST /auth/mfa/passkey/options`). Errors: `wrong_password`, `invalid_mfa_code` or `passkey_refused` (400), all counting toward the lockout; `passkey_challenge_invalid` (400); `not_found` (404).",
    request: { params: idParam("passkeyId"), ...jsonBody(api.RemovePasskeyBody) },
    responses: { 204: noContent, 400: ERRORS[400], 404: ERRORS[404] },
  }),
  async (c) => {
    const { password, code, answer } = c.req.valid("json");
    await removePasskey(c.var.ctx, { passkeyId: c.req.valid("param").passkeyId, password, code, answer: answer ? asAssertion(answer) : undefined });
    return c.body(null, 204);
  },
);
