import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Keys the server keeps in its database, sealed with the server key (PARAPET_SECRET_KEY or the key file): the audit
 * chain's HMAC key lives here so that rotating the server key re-seals it instead of breaking the chain.
 */
export const serverKeys = pgTable("server_keys", {
  purpose: text("purpose").primaryKey(),
  sealed: text("sealed").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** When it was last sealed anew (key rotation). */
  resealedAt: timestamp("resealed_at", { withTimezone: true }),
});
