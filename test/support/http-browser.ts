import http from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";

/**
 * Serves a Hono app over real HTTP on a loopback port. The port is known before the app exists (`url`), so that
 * services can be configured with it as their public URL; `serveApp(app)` then answers with that app.
 */
export async function loopbackServer() {
  let listener: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serveApp(app: Hono<any>) {
      listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type BrowserReply<T = any> = { status: number; body: T; headers: Headers; text: string; location: string | null };

/**
 * A browser over real HTTP for one site: keeps its cookies, sends the CSRF header with its own JSON requests (as the
 * web app does), follows no redirect by itself. `postForm` is a form another site's page posts here (no CSRF header).
 */
export function httpBrowser(baseUrl: string, headers: Record<string, string> = {}) {
  const cookies = new Map<string, string>();
  const absorb = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = pair.split("=");
      const value = rest.join("=");
      if (/max-age=0/i.test(line) || value === "") cookies.delete(name.trim());
      else cookies.set(name.trim(), value);
    }
  };
  async function send<T>(method: string, url: string, body: string | undefined, contentType: string | undefined, csrf: boolean): Promise<BrowserReply<T>> {
    const target = new URL(url, baseUrl);
    const sending: Record<string, string> = { "user-agent": "parapet-tests", ...headers };
    if (target.origin === new URL(baseUrl).origin) {
      if (csrf && method !== "GET" && !cookies.has("parapet_csrf")) absorb(await fetch(new URL("/api/v1/auth/csrf", baseUrl), { headers: sending }));
      if (cookies.size) sending.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      if (csrf && method !== "GET") sending["x-csrf-token"] = cookies.get("parapet_csrf") ?? "";
    }
    if (contentType) sending["content-type"] = contentType;
    const res = await fetch(target, { method, headers: sending, body, redirect: "manual" });
    if (target.origin === new URL(baseUrl).origin) absorb(res);
    const text = await res.text();
    const parsed = res.headers.get("content-type")?.includes("application/json") ? JSON.parse(text) : text;
    return { status: res.status, body: parsed as T, headers: res.headers, text, location: res.headers.get("location") };
  }
  return {
    cookies,
    get: <T = any>(url: string) => send<T>("GET", url, undefined, undefined, false),
    post: <T = any>(url: string, body: unknown = {}) => send<T>("POST", url, JSON.stringify(body), "application/json", true),
    put: <T = any>(url: string, body: unknown = {}) => send<T>("PUT", url, JSON.stringify(body), "application/json", true),
    // With "{}", as the web app sends it.
    delete: <T = any>(url: string) => send<T>("DELETE", url, "{}", "application/json", true),
    postForm: <T = any>(url: string, fields: Record<string, string>) => send<T>("POST", url, new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded", false),
  };
}
export type HttpBrowser = ReturnType<typeof httpBrowser>;
