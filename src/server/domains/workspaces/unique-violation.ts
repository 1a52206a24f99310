/**
 * True when `err` (or what it wraps) is PostgreSQL's unique violation (23505) on `constraint`. A "name is free"
 * check followed by an insert races with a concurrent insert; the unique index decides, and this lets the
 * command answer with its conflict code instead of a 500. Works for both drivers (pg and PGlite).
 */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  for (let e = err as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return e.constraint === constraint || (typeof e.message === "string" && e.message.includes(`"${constraint}"`));
  }
  return false;
}
