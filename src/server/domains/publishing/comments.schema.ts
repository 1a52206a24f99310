import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";
import { posts } from "./publishing.schema";

/**
 * Internal comments on a post (never published): who wrote what on which version of the post, and whom it
 * @mentions (they were mailed). Read and written by the people who can see the post.
 */
export const postComments = pgTable(
  "post_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    postId: uuid("post_id").notNull().references(() => posts.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    /** The author's name when they wrote it (shown if they are gone). */
    authorLabel: text("author_label").notNull(),
    body: text("body").notNull(),
    /** The people it @mentions: each could see the post when it was written. */
    mentions: uuid("mentions").array().notNull().default(sql`'{}'::uuid[]`),
    /** The post's version when it was written. */
    postVersion: integer("post_version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
  },
  (t) => [index("post_comments_post").on(t.postId, t.createdAt)],
);
