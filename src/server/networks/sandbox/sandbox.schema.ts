import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { bytea } from "../../db/bytea";

/**
 * The Sandbox network: a simulated social network kept in Parapet's own database (so it survives restarts), for
 * the demo, drills and tests. These tables are the network's side of the wire; Parapet's side (channels) only ever
 * reaches them through the Sandbox connector.
 */

/**
 * Orders everything that can show up in an inbox (posts, direct messages, reactions) on one line: an inbox cursor
 * is a position on it, so a second fetch returns only what came after.
 */
export const sandboxActivitySeq = pgSequence("sandbox_activity_seq");

const activitySeq = () =>
  bigint("seq", { mode: "number" })
    .notNull()
    .default(sql`nextval('sandbox_activity_seq')`);

/** brand: an account a workspace may connect; audience: the public; impostor: a look-alike of a brand account. */
export type SandboxAccountKind = "brand" | "audience" | "impostor";

export const sandboxAccounts = pgTable(
  "sandbox_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Without the "@": lower-case letters, digits and "_". */
    handle: text("handle").notNull(),
    displayName: text("display_name").notNull(),
    kind: text("kind").$type<SandboxAccountKind>().notNull(),
    /** BCP 47 language the account mostly writes in ("en", "de", "fa", …). */
    language: text("language").notNull().default("en"),
    bio: text("bio").notNull().default(""),
    followers: integer("followers").notNull().default(0),
    verified: boolean("verified").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("sandbox_accounts_handle").on(sql`lower(${t.handle})`)],
);

/** Access tokens the network issued to Parapet, stored as their SHA-256 only. */
export const sandboxTokens = pgTable(
  "sandbox_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => sandboxAccounts.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("sandbox_tokens_hash").on(t.tokenHash), index("sandbox_tokens_account").on(t.accountId)],
);

/** What a post carried besides text; the bytes of its images are in sandbox_media (`id`). */
export type SandboxMedia = { mimeType: string; altText: string; size: number; id?: string };

export const sandboxPosts = pgTable(
  "sandbox_posts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    seq: activitySeq(),
    accountId: uuid("account_id").notNull().references(() => sandboxAccounts.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    lang: text("lang"),
    media: jsonb("media").$type<SandboxMedia[]>().notNull().default([]),
    replyToId: uuid("reply_to_id"),
    /** A repeat publish with the same key returns this post instead of making a second one. */
    idempotencyKey: text("idempotency_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("sandbox_posts_idempotency").on(t.accountId, t.idempotencyKey),
    index("sandbox_posts_account").on(t.accountId),
    index("sandbox_posts_reply_to").on(t.replyToId),
    index("sandbox_posts_seq").on(t.seq),
  ],
);

/** The images posted on the Sandbox, as its web view shows them (at /sandbox/media/:id). */
export const sandboxMedia = pgTable(
  "sandbox_media",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    postId: uuid("post_id").notNull().references(() => sandboxPosts.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    mimeType: text("mime_type").notNull(),
    altText: text("alt_text").notNull(),
    bytes: bytea("bytes").notNull(),
  },
  (t) => [index("sandbox_media_post").on(t.postId, t.position)],
);

export const sandboxDirectMessages = pgTable(
  "sandbox_direct_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    seq: activitySeq(),
    /** Names the two participants; see conversationIdFor(). */
    conversationId: text("conversation_id").notNull(),
    senderId: uuid("sender_id").notNull().references(() => sandboxAccounts.id, { onDelete: "cascade" }),
    recipientId: uuid("recipient_id").notNull().references(() => sandboxAccounts.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    /** Lets seeding and scenarios add a message once however often they run. */
    idempotencyKey: text("idempotency_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("sandbox_direct_messages_idempotency").on(t.senderId, t.idempotencyKey),
    index("sandbox_direct_messages_recipient").on(t.recipientId, t.seq),
    index("sandbox_direct_messages_conversation").on(t.conversationId),
  ],
);

export const sandboxReactions = pgTable(
  "sandbox_reactions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    seq: activitySeq(),
    accountId: uuid("account_id").notNull().references(() => sandboxAccounts.id, { onDelete: "cascade" }),
    postId: uuid("post_id").notNull().references(() => sandboxPosts.id, { onDelete: "cascade" }),
    /** "like", "❤️", "😡", … */
    reaction: text("reaction").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("sandbox_reactions_once").on(t.accountId, t.postId, t.reaction), index("sandbox_reactions_post").on(t.postId)],
);

/**
 * - rate_limited: the call is refused with a retry-after
 * - auth_expired: the account's tokens expire now (the channel must be reconnected)
 * - timeout_after_accept: a write is stored, then the call fails as if the answer was lost
 * - server_error: the call fails with a 5xx before doing anything
 * - duplicate_delivery: the next inbox page delivers an item a second time
 */
export type SandboxFaultKind = "rate_limited" | "auth_expired" | "timeout_after_accept" | "server_error" | "duplicate_delivery";

/** Faults injected into one account's next calls; each trips `remaining` more times, oldest first. */
export const sandboxFaults = pgTable(
  "sandbox_faults",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    seq: bigint("seq", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull().references(() => sandboxAccounts.id, { onDelete: "cascade" }),
    kind: text("kind").$type<SandboxFaultKind>().notNull(),
    remaining: integer("remaining").notNull().default(1),
    retryAfterSeconds: integer("retry_after_seconds"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sandbox_faults_account").on(t.accountId, t.seq)],
);

/**
 * A scenario playing on the Sandbox, started by an admin (demo, crisis drill). The `sandbox.play-scenarios` job adds
 * the next tick of every running one when `nextTickAt` has come; `run` keys its beats, so starting the same scenario
 * again plays it anew.
 */
export const sandboxScenarioRuns = pgTable(
  "sandbox_scenario_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    scenario: text("scenario").notNull(),
    /** Keys this run's beats (`scenario:<id>:<run>:<beat>`). */
    run: text("run").notNull(),
    tickEverySeconds: integer("tick_every_seconds").notNull(),
    ticksPlayed: integer("ticks_played").notNull().default(0),
    itemsAdded: integer("items_added").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    /** Who started it (a user id; null for the demo seed or the CLI). */
    startedBy: uuid("started_by"),
    nextTickAt: timestamp("next_tick_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    stoppedAt: timestamp("stopped_at", { withTimezone: true }),
  },
  (t) => [index("sandbox_scenario_runs_due").on(t.nextTickAt)],
);
