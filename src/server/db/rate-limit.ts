import { sql } from "drizzle-orm";
import { tooManyRequests } from "../errors";
import type { Db } from "./client";
import { rateLimitBuckets } from "./rate-limit.schema";

/**
 * Counts one attempt for `key` in the current fixed window and throws `rate_limited` past `limit`.
 * Kept in the database so every process behind a load balancer shares the count.
 */
export async function consumeRateLimit(db: Db, key: string, limit: number, windowSeconds: number, now: Date): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await db
    .insert(rateLimitBuckets)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimitBuckets.key, rateLimitBuckets.windowStart], set: { count: sql`${rateLimitBuckets.count} + 1` } })
    .returning({ count: rateLimitBuckets.count });
  if (row.count > limit) {
    throw tooManyRequests(Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000)));
  }
}
