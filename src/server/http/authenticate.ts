import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createCtx } from "../context";
import type { Actor } from "../authz";
import { authenticateApiToken, authenticateSession, setSessionWorkspace, type Authenticated } from "../domains/identity";
import { hasPasskey } from "../domains/identity/passkeys/find-passkeys";
import { membershipOf, workspacesOf } from "../domains/workspaces";
import { unauthenticated } from "../errors";
import type { AppEnv, AuthState } from "./env";

export const SESSION_COOKIE = "parapet_session";

/**
 * How far a signed-in person has got: the MFA challenge first, then enrolment, when the workspace requires a second
 * factor or an admin reset theirs after a lost device (a session started by the workspace's own SSO provider meets
 * both: the provider vouched for the sign-in).
 */
export function signInState(s: {
  mfaPassed: boolean;
  workspaceRequiresMfa: boolean;
  mfaEnrolled: boolean;
  mfaByIdentityProvider?: boolean;
  mfaReenrolmentRequired?: boolean;
}): Extract<AuthState, { kind: "signed_in" }>["state"] {
  if (!s.mfaPassed) return "mfa_challenge";
  if ((s.mfaReenrolmentRequired || (s.workspaceRequiresMfa && !s.mfaEnrolled)) && !s.mfaByIdentityProvider) return "mfa_enrolment_required";
  return "active";
}

/**
 * The client's IP: the socket's, or, when TRUST_PROXY is on, the last X-Forwarded-For hop: the address our own
 * reverse proxy saw and appended. Earlier hops come from the client and can be anything, so trusting the first
 * would let anyone pick their IP (and escape the per-IP sign-in throttle by changing it).
 */
function clientIp(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string | null {
  if (c.var.services.config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // app.request() in tests has no socket.
    return null;
  }
}

/**
 * Resolves the session cookie or `Authorization: Bearer` token to an actor with their role in the current
 * workspace, and builds the request's Ctx. A bad bearer token is refused outright; a stale cookie is ignored.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const services = c.var.services;
    const bearer = c.req.header("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
    const cookie = getCookie(c, SESSION_COOKIE);
    let found: Authenticated | null = null;
    if (bearer) {
      found = await authenticateApiToken(services, bearer.trim());
      if (!found) throw unauthenticated("This API token is invalid, expired or revoked");
    } else if (cookie) {
      found = await authenticateSession(services, cookie);
    }
    let actor: Actor = { type: "anonymous" };
    let auth: AuthState = { kind: "anonymous" };
    let workspaceId: string | null = null;
    if (found) {
      const { user } = found;
      let membership = found.workspaceId ? await membershipOf(services.database.db, user.id, found.workspaceId) : undefined;
      // A session from single sign-on stays in the workspace whose provider vouched for it.
      if (!membership && found.via === "session" && !found.ssoWorkspaceId) {
        // First request of a session, or the remembered workspace is gone: use the person's first workspace.
        const first = (await workspacesOf(services.database.db, user.id))[0];
        if (first) {
          membership = first;
          await setSessionWorkspace(services, found.sessionId, first.workspace.id);
        }
      }
      workspaceId = membership?.workspace.id ?? null;
      actor = {
        type: "user",
        userId: user.id,
        email: user.email,
        name: user.name,
        role: membership?.role ?? null,
        via: found.via,
        ...(found.via === "session" ? { sessionId: found.sessionId } : { tokenId: found.tokenId, scopes: found.scopes }),
      };
      const workspaceRequiresMfa = membership?.workspace.requireMfa ?? false;
      const state = signInState({
        mfaPassed: found.via !== "session" || found.mfaVerified,
        workspaceRequiresMfa,
        // A passkey counts as a second factor too; looked up only when the workspace asks for one.
        mfaEnrolled: user.mfaEnabledAt !== null || ((membership?.workspace.requireMfa ?? false) && (await hasPasskey(services.database.db, user.id))),
        mfaByIdentityProvider: found.via === "session" && found.ssoWorkspaceId !== null && found.ssoWorkspaceId === workspaceId,
        // Sessions only: API tokens are not a device's sign-in (the lost-device action can revoke them separately).
        mfaReenrolmentRequired: found.via === "session" && user.mfaReenrolmentRequiredAt !== null,
      });
      auth = { kind: "signed_in", via: found.via, state, ...(found.via === "session" ? { sessionId: found.sessionId } : {}) };
    }
    c.set("actor", actor);
    c.set("auth", auth);
    c.set("ctx", createCtx(services, { actor, workspaceId, request: { ip: clientIp(c), userAgent: c.req.header("user-agent")?.slice(0, 400) ?? null } }));
    await next();
  };
}
