import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { AppError, invalidInput } from "../errors";
import type { AppEnv } from "./env";
import { loggablePath } from "./request-route";

/** Turns zod issues into per-field messages: { "email": ["Invalid email address"] }. */
export function fieldsOf(error: ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

export function validationError(error: ZodError) {
  return invalidInput(fieldsOf(error));
}

/** Every error leaves as `{ error: { code, message, fields? } }`; unknown errors are logged and never shown. */
export function errorToResponse(err: Error, c: Context<AppEnv>) {
  if (err instanceof AppError) {
    if (err.status === 429 && err.extra?.retryAfterSeconds) c.header("Retry-After", String(err.extra.retryAfterSeconds));
    return c.json({ error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), ...(err.extra ?? {}) } }, err.status);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = err.status === 400 ? "invalid_request" : err.status === 413 ? "payload_too_large" : "http_error";
    return c.json({ error: { code, message: err.message || "Bad request" } }, err.status);
  }
  c.var.services?.log.error({ err, requestId: c.var.requestId, path: loggablePath(c) }, "unhandled error");
  return c.json({ error: { code: "internal_error", message: "Something went wrong on our side. It has been logged.", requestId: c.var.requestId } }, 500);
}
