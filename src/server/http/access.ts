import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { ChannelAction, WorkspaceAction } from "../../contracts/roles";
import { authorizeOnChannel } from "../domains/channels/channel-access";
import { authorize } from "../authz";
import { forbidden, mfaEnrolmentRequired, mfaRequired, unauthenticated } from "../errors";
import type { AppEnv } from "./env";

/**
 * Who may call a route. Every API route declares one; the route-matrix test walks every route the app has
 * and fails on one that is not in this registry.
 * - public: anyone (sign-in, password reset, invitation links, health)
 * - partial: signed in, even before the MFA challenge or enrolment is done (to finish signing in)
 * - account: signed in and past MFA; the person's own things, no workspace role needed
 * - workspace: signed in, past MFA, and the role (and token scope) allows the action
 * - channel: signed in, past MFA, and the person's level on the route's `{channelId}` allows the action (no access:
 *   404, the channel stays hidden; too low a level or a token without the scope: 403)
 */
export type Access =
  | { kind: "public" }
  | { kind: "partial" }
  | { kind: "account"; sessionOnly?: boolean }
  | { kind: "workspace"; action: WorkspaceAction }
  | { kind: "channel"; action: ChannelAction };

export const PUBLIC: Access = { kind: "public" };
export const PARTIAL: Access = { kind: "partial" };
export const ACCOUNT: Access = { kind: "account" };
/** The person's own credentials (sessions, MFA, tokens): never through an API token. */
export const ACCOUNT_SESSION_ONLY: Access = { kind: "account", sessionOnly: true };
export const may = (action: WorkspaceAction): Access => ({ kind: "workspace", action });
/** For routes with a `{channelId}`: the person's level on that channel must allow `action`. */
export const mayOnChannel = (action: ChannelAction): Access => ({ kind: "channel", action });

/** Route key → access, filled as routes are defined ("GET /api/v1/workspace/members/:userId"). */
export const ROUTE_ACCESS = new Map<string, Access>();
export const API_PREFIX = "/api/v1";

export const routeKey = (method: string, honoPath: string) => `${method.toUpperCase()} ${honoPath}`;

/** Defines an OpenAPI route with its access rule, enforced before input validation. */
export function defineRoute<const R extends RouteConfig>(access: Access, config: R) {
  ROUTE_ACCESS.set(routeKey(config.method, API_PREFIX + config.path.replaceAll(/\/{(.+?)}/g, "/:$1")), access);
  const security: Array<Record<string, string[]>> = access.kind === "public" ? [] : [{ cookieSession: [] }, { bearerToken: [] }];
  return createRoute({ ...config, security, middleware: [guard(access)] as never }) as R & { getRoutingPath(): string };
}

export function guard(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access.kind === "public") return next();
    const auth = c.var.auth;
    if (auth.kind !== "signed_in") throw unauthenticated();
    if (access.kind !== "partial") {
      if (auth.state === "mfa_challenge") throw mfaRequired();
      if (auth.state === "mfa_enrolment_required") throw mfaEnrolmentRequired();
    }
    if (access.kind === "partial" && auth.via !== "session") throw forbidden("Use a signed-in browser session for this");
    if (access.kind === "account" && access.sessionOnly && auth.via !== "session") throw forbidden("API tokens cannot manage credentials");
    if (access.kind === "workspace") authorize(c.var.actor, access.action);
    if (access.kind === "channel") {
      authorize(c.var.actor, "channels.read");
      await authorizeOnChannel(c.var.ctx, c.req.param("channelId") ?? "", access.action);
    }
    return next();
  };
}
