import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Every mail Parapet sends is written here first, in the transaction that caused it, then delivered. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id"),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    /** When a process took it to send (a lease: another process leaves it alone until the lease runs out). */
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    lastError: text("last_error"),
  },
  (t) => [index("mail_outbox_pending").on(t.sentAt, t.createdAt)],
);
