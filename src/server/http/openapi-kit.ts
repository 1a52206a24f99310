import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { ZodType } from "zod";
import { ErrorBody } from "../../contracts/errors";
import type { AppEnv } from "./env";
import { validationError } from "./errors-to-json";

/** A router whose input validation failures become `invalid_input` errors with per-field messages. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error as never);
    },
  });
}

export const jsonBody = <T extends ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

export const ok = <T extends ZodType>(schema: T, description = "OK") => ({ content: { "application/json": { schema } }, description });

export const noContent = { description: "Done; nothing to return" };

const error = (description: string) => ({ content: { "application/json": { schema: ErrorBody } }, description });
/** The error responses every route may give, for the OpenAPI document. */
export const ERRORS = {
  400: error("Invalid input: `error.code` is `invalid_input` with per-field messages in `error.fields`"),
  401: error("Not signed in, or the token is invalid"),
  403: error("Signed in, but not allowed"),
  404: error("Not found"),
  409: error("Conflicts with the current state"),
  410: error("The link or token is used up or expired"),
  423: error("The account is locked after too many failed sign-ins (`account_locked`, with `lockedUntil`)"),
  429: error("Too many attempts from this address (`rate_limited`); the `Retry-After` header says when to try again"),
} as const;

export const idParam = (name: string) => z.object({ [name]: z.uuid() }) as z.ZodObject<Record<string, z.ZodUUID>>;
