import type { Hono } from "hono";

type Json = Record<string, unknown> | unknown[] | undefined;
export type Reply<T = any> = { status: number; body: T; headers: Headers; text: string };

/**
 * A browser-like client over `app.request()`: keeps cookies, sends the CSRF header, speaks JSON.
 * `bearer` makes it an API client instead (no cookies, no CSRF).
 */
export function httpClient(app: Hono<any>, options: { bearer?: string; userAgent?: string } = {}) {
  const cookies = new Map<string, string>();
  const absorb = (headers: Headers) => {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = pair.split("=");
      const value = rest.join("=");
      if (/max-age=0/i.test(line) || value === "") cookies.delete(name.trim());
      else cookies.set(name.trim(), value);
    }
  };
  async function request<T = any>(method: string, path: string, body?: Json, extraHeaders: Record<string, string> = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { "user-agent": options.userAgent ?? "parapet-tests", ...extraHeaders };
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    else {
      if (method !== "GET" && !cookies.has("parapet_csrf")) absorb((await app.request("/api/v1/auth/csrf", { headers })).headers);
      if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      if (method !== "GET" && cookies.has("parapet_csrf")) headers["x-csrf-token"] ??= cookies.get("parapet_csrf")!;
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    absorb(res.headers);
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get("content-type")?.includes("application/json")) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }
  return {
    cookies,
    get: <T = any>(path: string) => request<T>("GET", path),
    post: <T = any>(path: string, body?: Json, headers?: Record<string, string>) => request<T>("POST", path, body ?? {}, headers),
    patch: <T = any>(path: string, body?: Json) => request<T>("PATCH", path, body ?? {}),
    put: <T = any>(path: string, body?: Json) => request<T>("PUT", path, body),
    delete: <T = any>(path: string) => request<T>("DELETE", path),
    request,
  };
}
export type HttpClient = ReturnType<typeof httpClient>;
