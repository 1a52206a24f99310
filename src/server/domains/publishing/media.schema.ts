import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { bytea } from "../../db/bytea";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";
import { posts } from "./publishing.schema";

/**
 * An image uploaded for a post, kept in the database itself (bytea): one place to back up and restore, the same on
 * PGlite and PostgreSQL, shared by every `parapet serve` and `worker` process without a shared disk (see
 * docs/publishing.md, "Media"). Uploaded first (post_id null), attached when a post is saved with it, deleted with
 * its post or by the job `media.prune-unattached` a day after an upload nobody attached.
 */
export const postMedia = pgTable(
  "post_media",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    postId: uuid("post_id").references(() => posts.id, { onDelete: "cascade" }),
    /** Its place among the post's images (0 first). */
    position: integer("position"),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    /** The type found in the bytes (never the file's name or the declared type). */
    mimeType: text("mime_type").notNull(),
    byteSize: integer("byte_size").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    /** SHA-256 of the bytes: part of the post's content hash, so a swapped image needs approval again. */
    sha256: text("sha256").notNull(),
    altText: text("alt_text").notNull().default(""),
    fileName: text("file_name"),
    bytes: bytea("bytes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("post_media_post").on(t.postId, t.position), index("post_media_workspace_created").on(t.workspaceId, t.createdAt)],
);
