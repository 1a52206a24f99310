import type { ErrorBody } from "../../contracts/errors";

/** Where the API lives, relative to the page (the server serves the app and the API from one origin). */
export const API_BASE = "/api/v1";

/** An error answer from the API (or a failure to reach it), with the stable `code` to translate. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Seconds to wait before trying again, when the server said so (rate limits). */
  get retryAfterSeconds(): number | undefined {
    const value = this.details.retryAfterSeconds;
    return typeof value === "number" ? value : undefined;
  }
}

/** Reads a cookie the server made readable to scripts (only `parapet_csrf` is). */
export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** Calls the API and returns its JSON (undefined for 204); throws ApiError for any error answer. */
export async function api<T = unknown>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    const csrf = readCookie("parapet_csrf");
    if (csrf) headers["X-CSRF-Token"] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      credentials: "same-origin",
      body: method === "GET" ? undefined : JSON.stringify(body ?? {}),
    });
  } catch (err) {
    throw new ApiError(0, "network_error", err instanceof Error ? err.message : String(err));
  }
  if (response.status === 204 || response.status === 202) {
    // 202 (password reset request) may carry a body; it is not needed.
    return (await response.text().then((text) => (text ? JSON.parse(text) : undefined)).catch(() => undefined)) as T;
  }
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: a proxy error page or an unexpected crash; handled below as an unexpected error.
  }
  if (!response.ok) {
    const error = (json as Partial<ErrorBody> | undefined)?.error;
    if (error && typeof error.code === "string") {
      const { code, message, fields, ...details } = error as ErrorBody["error"] & Record<string, unknown>;
      throw new ApiError(response.status, code, message, fields ?? {}, details);
    }
    throw new ApiError(response.status, "unexpected", text.slice(0, 200) || response.statusText);
  }
  return json as T;
}

/** Makes sure the CSRF cookie exists before the first change (called once at boot). */
export function ensureCsrfCookie(): Promise<unknown> {
  return api("GET", "/auth/csrf").catch(() => undefined);
}

/** Builds a query string from the non-empty entries. */
export function toQuery(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
