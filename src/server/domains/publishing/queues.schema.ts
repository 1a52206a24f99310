import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";
import { channels } from "../channels/channels.schema";
import { bytea } from "../../db/bytea";

/** A weekly time slot: ISO weekday (1 Monday … 7 Sunday) and a wall-clock time "HH:MM" in the queue's time zone. */
export type QueueSlot = { weekday: number; time: string };

/**
 * A channel's posting queue: weekly time slots in a named IANA time zone ("Mon–Fri 09:00 and 17:30 Europe/Berlin").
 * "Add to queue" schedules a post at the next slot free on all its channels. The row is also the lock that keeps two
 * posts added at once from taking the same slot (see nextQueueSlot).
 */
export const channelQueues = pgTable("channel_queues", {
  channelId: uuid("channel_id").primaryKey().references(() => channels.id, { onDelete: "cascade" }),
  workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  timeZone: text("time_zone").notNull(),
  slots: jsonb("slots").$type<QueueSlot[]>().notNull(),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Link previews the server read (OpenGraph / Twitter card / <title>), cached for a while by URL. The image is kept as
 * bytes (checked to be PNG, JPEG, GIF or WebP) because the web app shows no images from other sites.
 */
export const linkPreviews = pgTable(
  "link_previews",
  {
    /** SHA-256 of the URL as asked for. */
    urlHash: text("url_hash").primaryKey(),
    url: text("url").notNull(),
    /** The address the page was read from, after redirects. */
    finalUrl: text("final_url").notNull(),
    title: text("title"),
    description: text("description"),
    siteName: text("site_name"),
    imageUrl: text("image_url"),
    imageType: text("image_type"),
    imageData: bytea("image_data"),
    imageBytes: integer("image_bytes"),
    fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("link_previews_fetched").on(t.fetchedAt)],
);
