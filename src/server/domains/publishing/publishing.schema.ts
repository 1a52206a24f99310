import { bigint, boolean, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid, bigserial } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";
import { channels } from "../channels/channels.schema";
import type { PausedVia } from "../../../contracts/publishing";

/**
 * Every claim of a due post takes the next number: a pause records the number it was taken at, so "nothing started
 * after the pause" is a comparison of numbers, not of clocks.
 */
export const publishClaimSeq = pgSequence("publish_claim_seq");

/**
 * A post as its author composed it: one text for several channels (each may have its own variant, see
 * post_targets). `version` counts edits; `contentHash` is the SHA-256 of what would be published (approvals bind to it).
 */
export const posts = pgTable(
  "posts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    /** draft | in_review | approved | scheduled | expired | cancelled (each channel's delivery is on its target; see approvals.schema.ts). */
    state: text("state").notNull(),
    /** When it is to go out (all its channels); null while a draft without a time. */
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    contentHash: text("content_hash").notNull(),
    /** A crisis statement, published by the crisis team: it goes out through a pause that holds everything else. */
    pauseExempt: boolean("pause_exempt").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("posts_workspace_scheduled").on(t.workspaceId, t.scheduledAt)],
);

/**
 * One channel a post goes to, and its delivery there. The target's id is the idempotency key sent to the network, so a
 * repeat of the same publish is recognisable (and reconciliation can look for it).
 *
 * status: draft → scheduled → publishing → published, or failed; scheduled ⇄ held (paused, channel needs reconnect);
 * publishing → reconciling (outcome unknown) → published or scheduled again; published → removed (taken down);
 * draft/scheduled/held → cancelled.
 */
export const postTargets = pgTable(
  "post_targets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    postId: uuid("post_id").notNull().references(() => posts.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
    /** This channel's own text; null: the post's text. */
    variantText: text("variant_text"),
    status: text("status").notNull(),
    /** When it becomes due (the post's time, or a retry's). */
    dueAt: timestamp("due_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    /** The claim that started the current attempt (see publish_claim_seq) and when. */
    claimSeq: bigint("claim_seq", { mode: "number" }),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    /** Why it is held: paused | needs_reconnect. */
    heldReason: text("held_reason"),
    heldByPauseId: uuid("held_by_pause_id"),
    networkPostId: text("network_post_id"),
    url: text("url"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** The last failure: its kind (rate_limited, transient, invalid_content, auth_expired, outcome_unknown) and message. */
    failureKind: text("failure_kind"),
    failureMessage: text("failure_message"),
    removedAt: timestamp("removed_at", { withTimezone: true }),
    removedBy: uuid("removed_by").references(() => users.id, { onDelete: "set null" }),
    removedReason: text("removed_reason"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("post_targets_post_channel").on(t.postId, t.channelId),
    index("post_targets_due").on(t.status, t.dueAt),
    index("post_targets_workspace").on(t.workspaceId, t.status),
  ],
);

/** A post's history, as its people read it: created, edited, scheduled, held, each attempt and its outcome, taken down. */
export const postEvents = pgTable(
  "post_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    postId: uuid("post_id").notNull().references(() => posts.id, { onDelete: "cascade" }),
    targetId: uuid("target_id").references(() => postTargets.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** "system" for the publisher; otherwise the person's name at the time. */
    actorLabel: text("actor_label").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("post_events_post").on(t.postId, t.id)],
);

/**
 * "Pause publishing" for a workspace (channelIds null) or chosen channels, until resumed. `claimMark` is the claim
 * number at the moment the pause took effect: no claim of its scope may have a higher one while it lasts.
 */
export const publishingPauses = pgTable(
  "publishing_pauses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    channelIds: uuid("channel_ids").array(),
    reason: text("reason").notNull(),
    pausedBy: uuid("paused_by").references(() => users.id, { onDelete: "set null" }),
    pausedByLabel: text("paused_by_label").notNull(),
    /** Who paused as facts when it was crisis mode (PausedVia in contracts/publishing.ts); null: the person in pausedBy/pausedByLabel. */
    pausedVia: jsonb("paused_via").$type<PausedVia>(),
    pausedAt: timestamp("paused_at", { withTimezone: true }).notNull(),
    claimMark: bigint("claim_mark", { mode: "number" }).notNull(),
    resumedAt: timestamp("resumed_at", { withTimezone: true }),
    resumedBy: uuid("resumed_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("publishing_pauses_workspace").on(t.workspaceId, t.resumedAt)],
);
