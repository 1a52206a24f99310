import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";

/**
 * An admin's sign-off of a workspace's access review: who, when, the review's summary at that moment and the
 * SHA-256 of the review's content they saw (so the record shows what was signed). Append-only in practice: nothing
 * edits or deletes a sign-off; the audit log has each one too (`access_review.signed_off`).
 */
export const accessReviewSignOffs = pgTable(
  "access_review_sign_offs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    /** Null once the person's account is gone; `signedByName`/`signedByEmail` keep who it was. */
    signedBy: uuid("signed_by").references(() => users.id, { onDelete: "set null" }),
    signedByName: text("signed_by_name").notNull(),
    signedByEmail: text("signed_by_email").notNull(),
    signedAt: timestamp("signed_at", { withTimezone: true }).notNull(),
    /** Calendar quarter of `signedAt` in UTC, e.g. "2026-Q4". */
    quarter: text("quarter").notNull(),
    note: text("note"),
    contentHash: text("content_hash").notNull(),
    /** The review's summary counts when it was signed. */
    summary: jsonb("summary").notNull(),
  },
  (t) => [index("access_review_sign_offs_workspace").on(t.workspaceId, t.signedAt)],
);

/** The quarterly reminder, once per workspace and quarter: the row is the claim that it was sent. */
export const accessReviewReminders = pgTable(
  "access_review_reminders",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    quarter: text("quarter").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
    recipients: text("recipients").array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.quarter] })],
);
