import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "./env";
import { SESSION_COOKIE } from "./authenticate";

export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  const { config } = c.var.services;
  setCookie(c, SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: config.secureCookies,
    maxAge: config.session.maxHours * 3600,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: c.var.services.config.secureCookies });
}
