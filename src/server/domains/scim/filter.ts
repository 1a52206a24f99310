import { parse, type Filter } from "scim2-parse-filter";
import { invalidFilter, invalidPath } from "./scim.errors";

/**
 * SCIM filters (RFC 7644 §3.4.2.2): parsed by scim2-parse-filter, evaluated here against a resource as Parapet
 * presents it. The library compares strings exactly; SCIM compares most attributes case-insensitively
 * (`caseExact: false`: userName, emails, names), and only ids and externalIds exactly — so the evaluation is ours.
 */
export function parseFilter(text: string): Filter {
  if (text.length > 2000) throw invalidFilter("it is longer than 2000 characters");
  try {
    return parse(text);
  } catch (err) {
    throw invalidFilter(err instanceof Error ? err.message : String(err));
  }
}

/** Attributes compared exactly (RFC 7643 `caseExact: true`); every other string compares case-insensitively. */
const CASE_EXACT = new Set(["id", "externalid", "members.value", "groups.value", "meta.location", "$ref", "members.$ref"]);

const CORE_URN = /^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i;

/** `urn:…:User:name.givenName` → ["name", "givengame"]: lower-case segments without the core schema's URN. */
export function pathSegments(attrPath: string): string[] {
  return attrPath.replace(CORE_URN, "").toLowerCase().split(".");
}

/** Whether `resource` matches `filter`. */
export function matches(resource: unknown, filter: Filter, prefix = ""): boolean {
  switch (filter.op) {
    case "and":
      return filter.filters.every((f) => matches(resource, f, prefix));
    case "or":
      return filter.filters.some((f) => matches(resource, f, prefix));
    case "not":
      return !matches(resource, filter.filter, prefix);
    case "[]": {
      const segments = pathSegments(filter.attrPath);
      const name = prefix + segments.join(".") + ".";
      return valuesAt(resource, segments).some((item) => matches(item, filter.valFilter, name));
    }
    case "pr":
      return valuesAt(resource, pathSegments(filter.attrPath)).some((v) => v !== null && v !== "" && !(Array.isArray(v) && v.length === 0));
    default: {
      const segments = pathSegments(filter.attrPath);
      const exact = CASE_EXACT.has(prefix + segments.join("."));
      const values = valuesAt(resource, segments);
      if (filter.op === "ne") return !values.some((v) => compare("eq", v, filter.compValue, exact));
      return values.some((v) => compare(filter.op, v, filter.compValue, exact));
    }
  }
}

/** The values at a path; a multi-valued attribute on the way contributes each of its items. */
function valuesAt(value: unknown, segments: string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, segments));
  if (segments.length === 0) return value === undefined ? [] : [value];
  if (typeof value !== "object" || value === null) return [];
  const key = Object.keys(value).find((k) => k.toLowerCase() === segments[0]);
  return key === undefined ? [] : valuesAt((value as Record<string, unknown>)[key], segments.slice(1));
}

function compare(op: string, actual: unknown, expected: string | number | boolean | null, exact: boolean): boolean {
  if (expected === null) return op === "eq" ? actual === null : false;
  if (typeof actual === "boolean" || typeof expected === "boolean") return op === "eq" && actual === expected;
  if (typeof actual === "number" && typeof expected === "number") {
    return op === "eq" ? actual === expected : op === "gt" ? actual > expected : op === "ge" ? actual >= expected : op === "lt" ? actual < expected : op === "le" ? actual <= expected : false;
  }
  if (typeof actual !== "string") return false;
  const a = exact ? actual : actual.toLowerCase();
  const e = exact ? String(expected) : String(expected).toLowerCase();
  switch (op) {
    case "eq":
      return a === e;
    case "co":
      return a.includes(e);
    case "sw":
      return a.startsWith(e);
    case "ew":
      return a.endsWith(e);
    case "gt":
      return a > e;
    case "ge":
      return a >= e;
    case "lt":
      return a < e;
    case "le":
      return a <= e;
    default:
      return false;
  }
}

/**
 * A PATCH path (RFC 7644 §3.5.2): `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`, with or without the
 * core schema's URN. Extension attributes (another URN) come back with `extension: true`: Parapet keeps none.
 */
export type PatchPath = { attribute: string; filter: Filter | null; sub: string | null; extension: boolean };

export function parsePatchPath(path: string): PatchPath {
  const trimmed = path.trim();
  if (/^urn:/i.test(trimmed) && !CORE_URN.test(trimmed)) return { attribute: trimmed, filter: null, sub: null, extension: true };
  const bare = trimmed.replace(CORE_URN, "");
  const match = /^([A-Za-z][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z][\w$-]*))?$/s.exec(bare);
  if (!match) throw invalidPath(path);
  const [, attribute, filterText, sub] = match;
  let filter: Filter | null = null;
  if (filterText !== undefined) {
    try {
      filter = parse(filterText);
    } catch {
      throw invalidPath(path);
    }
  }
  return { attribute: attribute.toLowerCase(), filter, sub: sub?.toLowerCase() ?? null, extension: false };
}
