import { invalidSyntax, invalidValue } from "./scim.errors";

/** One PATCH operation (RFC 7644 §3.5.2), with `op` in lower case: Entra sends "Replace", "Add", "Remove". */
export type PatchOperation = { op: "add" | "replace" | "remove"; path: string | null; value: unknown };

/** The request's JSON object, or `invalidSyntax`. */
export function jsonObject(body: unknown, what = "The request body"): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidSyntax(`${what} must be a JSON object`);
  return body as Record<string, unknown>;
}

/** The `Operations` of a PatchOp request. */
export function patchOperations(body: unknown): PatchOperation[] {
  const operations = jsonObject(body).Operations ?? jsonObject(body).operations;
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax("A PATCH request needs a non-empty Operations list");
  if (operations.length > 100) throw invalidSyntax("At most 100 operations in one PATCH request");
  return operations.map((raw, i) => {
    const o = jsonObject(raw, `Operation ${i + 1}`);
    const op = typeof o.op === "string" ? o.op.toLowerCase() : "";
    if (op !== "add" && op !== "replace" && op !== "remove") throw invalidSyntax(`Operation ${i + 1}: op must be add, replace or remove`);
    if (o.path !== undefined && o.path !== null && typeof o.path !== "string") throw invalidSyntax(`Operation ${i + 1}: path must be a string`);
    const path = typeof o.path === "string" && o.path.trim() ? o.path.trim() : null;
    if (op !== "remove" && o.value === undefined) throw invalidSyntax(`Operation ${i + 1}: ${op} needs a value`);
    return { op, path, value: o.value };
  });
}

/** Attributes that are the server's or the message's, never set by a client. */
export const READ_ONLY = new Set(["id", "schemas", "meta", "groups"]);

/** A text value of at most `max` characters (trimmed), or `invalidValue`. */
export function text(value: unknown, attribute: string, max: number): string {
  if (typeof value !== "string" || !value.trim()) throw invalidValue(`${attribute} must be a non-empty string`);
  if (value.includes("\0")) throw invalidValue(`${attribute} must not contain NUL characters`);
  if (value.trim().length > max) throw invalidValue(`${attribute} must be at most ${max} characters`);
  return value.trim();
}

/** Text, or null for null / an empty string (clearing it). */
export function optionalText(value: unknown, attribute: string, max: number): string | null {
  if (value === null || value === undefined || value === "") return null;
  return text(value, attribute, max);
}

/** A boolean; Entra sends booleans as the strings "True" and "False". */
export function bool(value: unknown, attribute: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw invalidValue(`${attribute} must be true or false`);
}
