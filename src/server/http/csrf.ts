import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { randomBytes } from "node:crypto";
import { sameSecret } from "../crypto/secrets";
import { AppError } from "../errors";
import type { AppEnv } from "./env";

export const CSRF_COOKIE = "parapet_csrf";
export const CSRF_HEADER = "x-csrf-token";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
const EXEMPT: RegExp[] = [];

/**
 * Exempts paths from the CSRF check: only for endpoints another site's page must post to by design (a SAML assertion
 * consumer service), which authenticate the post by what it carries and sign nobody in by themselves.
 */
export function exemptFromCsrf(path: RegExp): void {
  EXEMPT.push(path);
}

/**
 * Double-submit CSRF protection for cookie-authenticated requests: a readable cookie holds a random token, and
 * every unsafe request must echo it in `X-CSRF-Token` (another site can neither read the cookie nor set the
 * header). Requests with a bearer token carry no ambient credentials and are exempt. Sign-in is covered too,
 * against login CSRF.
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let token = getCookie(c, CSRF_COOKIE);
    if (!token) {
      token = randomBytes(24).toString("base64url");
      setCookie(c, CSRF_COOKIE, token, { path: "/", sameSite: "Lax", secure: c.var.services.config.secureCookies, httpOnly: false });
    }
    c.set("csrfToken", token);
    const isApi = c.req.path.startsWith("/api/") || c.req.path.startsWith("/scim/");
    // Only a bearer token replaces the cookie (see authenticate): any other Authorization header leaves the request
    // authenticated by its cookie, so it still needs the CSRF token.
    const bearer = /^Bearer\s+\S/i.test(c.req.header("authorization") ?? "");
    if (isApi && !SAFE.has(c.req.method) && !bearer && !EXEMPT.some((path) => path.test(c.req.path))) {
      const sent = c.req.header(CSRF_HEADER);
      const cookie = getCookie(c, CSRF_COOKIE);
      if (!sent || !cookie || !sameSecret(sent, cookie)) {
        throw new AppError("csrf_failed", 403, "The request was refused (missing or wrong CSRF token): reload the page and try again");
      }
    }
    await next();
  };
}
