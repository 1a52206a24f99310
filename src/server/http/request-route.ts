import type { Context } from "hono";
import { matchedRoutes } from "hono/route";

/**
 * The pattern of the route a request was for ("/api/v1/me/sessions/:sessionId"), or null when no route matched.
 * Middleware registered with `use` matches as method ALL, and the catch-alls have a `*`: the first other match is
 * the request's own route, even when a middleware refused the request before it ran.
 */
export function routeOf(c: Context): string | null {
  return matchedRoutes(c).find((r) => r.method !== "ALL" && !r.path.includes("*"))?.path ?? null;
}

/** Path parameters that are secrets in themselves (single-use invitation links). */
const SECRET_PARAMS = new Set([":token"]);

/** The request path for log lines, with secret path parameters replaced by "[redacted]"; ids stay readable. */
export function loggablePath(c: Context): string {
  const route = routeOf(c);
  const path = c.req.path;
  if (!route) return path;
  const pattern = route.split("/");
  const segments = path.split("/");
  if (pattern.length !== segments.length) return path;
  return segments.map((segment, i) => (SECRET_PARAMS.has(pattern[i]) ? "[redacted]" : segment)).join("/");
}
