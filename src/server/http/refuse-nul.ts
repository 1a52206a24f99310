import type { MiddlewareHandler } from "hono";
import { invalidInput } from "../errors";
import type { AppEnv } from "./env";

/**
 * PostgreSQL text cannot hold the NUL character; refuse it at the door with a clear 400 instead of letting the
 * database fail the request later (a 500). Checks the URL and JSON bodies (where it arrives as `\u0000`).
 */
export function refuseNulCharacters(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (/%00/.test(c.req.url)) throw invalidInput({ _: ["The address contains a NUL character"] }, "Text must not contain NUL characters");
    if (c.req.header("content-type")?.includes("application/json")) {
      // HonoRequest caches the body, so the validators can still read it afterwards.
      const text = await c.req.text();
      if (text.includes("\\u0000") && containsNul(parseOrUndefined(text))) {
        throw invalidInput({ _: ["Text must not contain NUL characters"] }, "Text must not contain NUL characters");
      }
    }
    await next();
  };
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // malformed JSON: the validator answers it
  }
}

function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\0");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\0") || containsNul(v));
  return false;
}
