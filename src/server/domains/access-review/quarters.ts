/** Calendar quarters in UTC: the rhythm of the access review. */

/** "2026-Q4" for any moment of October to December 2026 (UTC). */
export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/** The first moment of the quarter `date` is in (UTC). */
export function quarterStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1));
}
