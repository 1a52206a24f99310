import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";
import { channels } from "../channels/channels.schema";

/**
 * A saved query ("stream"): what the brand listens for. The query text is parsed and compiled by the matchers of
 * every ingesting worker (query/); `version` tells them to recompile. Alert settings live with the stream because
 * a listening analyst sets them per stream.
 */
export const listeningStreams = pgTable(
  "listening_streams",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    query: text("query").notNull(),
    /** Column order on the streams board. */
    position: integer("position").notNull().default(0),
    /** Spike sensitivity: off | low | medium | high. */
    spikeSensitivity: text("spike_sensitivity").notNull().default("medium"),
    /** Alert when the negative share turns up sharply. */
    negativeAlerts: boolean("negative_alerts").notNull().default(true),
    /** Terms the brand names critical: any mention containing one raises a keyword alert. */
    criticalTerms: text("critical_terms").array().notNull().default([]),
    /** No second alert of the same kind within this many minutes. */
    cooldownMinutes: integer("cooldown_minutes").notNull().default(60),
    version: integer("version").notNull().default(1),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    /** When a running network source searched for this stream's terms; null: not yet (a worker does it when it sees the stream). */
    backfilledAt: timestamp("backfilled_at", { withTimezone: true }),
  },
  (t) => [index("listening_streams_workspace").on(t.workspaceId, t.archivedAt)],
);

/**
 * Where mentions come from: a network's live stream through one of the workspace's channels (Sandbox, Bluesky,
 * Mastodon), a network search used for backfill, or an RSS/Atom feed. `cursor` is the position after the last
 * item whose matches are stored, written in the same transaction as those matches, so a restart neither loses
 * nor repeats mentions.
 */
export const listeningSources = pgTable(
  "listening_sources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    /** network_stream | feed */
    kind: text("kind").notNull(),
    channelId: uuid("channel_id").references(() => channels.id, { onDelete: "cascade" }),
    /** A feed's URL; otherwise null. */
    url: text("url"),
    name: text("name").notNull(),
    cursor: text("cursor"),
    /** When the newest handled item was posted, and when it was handled: their gap is how far behind the source is. */
    lastItemAt: timestamp("last_item_at", { withTimezone: true }),
    lastHandledAt: timestamp("last_handled_at", { withTimezone: true }),
    /** running | failing | stopped */
    state: text("state").notNull().default("running"),
    /** The network's (or feed's) own words about the failure, when it gave any: for those who manage sources, untranslated; lastErrorCode says why. */
    lastError: text("last_error"),
    /** Why it fails as a stable code (`source_rate_limited`, `feed_unreachable`, …) and its parameters, shown translated. */
    lastErrorCode: text("last_error_code"),
    lastErrorParams: jsonb("last_error_params").$type<Record<string, string | number>>(),
    /** Items dropped because the pipeline was overloaded since the source started (shedding is reported, never silent). */
    shedCount: bigint("shed_count", { mode: "number" }).notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    stoppedAt: timestamp("stopped_at", { withTimezone: true }),
    /** The worker running the source now, and until when its lease holds (renewed while it runs; a crashed worker's lapses). */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
  },
  (t) => [index("listening_sources_workspace").on(t.workspaceId), index("listening_sources_lease").on(t.state, t.leaseExpiresAt)],
);

/**
 * A post that matched at least one stream of the workspace, stored once however many streams it matched.
 * `fingerprint` is a hash of its normalised words (links, handles and case left out); `nearDuplicate` says the
 * pipeline saw the same fingerprint shortly before — copy-paste spam is kept and counted, but folded in lists.
 */
export const mentions = pgTable(
  "mentions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    sourceId: uuid("source_id").references(() => listeningSources.id, { onDelete: "set null" }),
    network: text("network").notNull(),
    networkPostId: text("network_post_id").notNull(),
    url: text("url"),
    authorHandle: text("author_handle").notNull(),
    authorName: text("author_name"),
    text: text("text").notNull(),
    lang: text("lang").notNull(),
    /** declared (by the post) | detected | corrected (by a person) */
    langSource: text("lang_source").notNull(),
    /** negative | neutral | positive */
    sentiment: text("sentiment").notNull(),
    sentimentScore: real("sentiment_score").notNull(),
    sentimentCorrected: boolean("sentiment_corrected").notNull().default(false),
    fingerprint: bigint("fingerprint", { mode: "number" }).notNull(),
    nearDuplicate: boolean("near_duplicate").notNull().default(false),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    storedAt: timestamp("stored_at", { withTimezone: true }).notNull().defaultNow(),
    correctedBy: uuid("corrected_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("mentions_network_post").on(t.workspaceId, t.network, t.networkPostId),
    index("mentions_workspace_posted").on(t.workspaceId, t.postedAt),
    // The impostor scan's safety net reads the mentions stored in the last minutes, of all workspaces and of each.
    index("mentions_stored").on(t.storedAt, t.workspaceId),
  ],
);

/** Which streams a mention matched (the mention list of a stream reads this by time). */
export const mentionMatches = pgTable(
  "mention_matches",
  {
    streamId: uuid("stream_id").notNull().references(() => listeningStreams.id, { onDelete: "cascade" }),
    mentionId: bigint("mention_id", { mode: "number" }).notNull().references(() => mentions.id, { onDelete: "cascade" }),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.streamId, t.mentionId] }), index("mention_matches_stream_posted").on(t.streamId, t.postedAt)],
);

/** Per stream and minute: how many mentions and how they felt. Kept in memory by the pipeline and added up in batches. */
export const streamMinuteCounts = pgTable(
  "stream_minute_counts",
  {
    streamId: uuid("stream_id").notNull().references(() => listeningStreams.id, { onDelete: "cascade" }),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    total: integer("total").notNull().default(0),
    negative: integer("negative").notNull().default(0),
    neutral: integer("neutral").notNull().default(0),
    positive: integer("positive").notNull().default(0),
    nearDuplicates: integer("near_duplicates").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.streamId, t.minute] })],
);

/**
 * An alert: a volume spike or a turn to negative on a stream, a critical keyword, or an impostor account. The
 * evidence is kept as it was when the alert fired (volume against baseline, top terms and posts, splits).
 */
export const listeningAlerts = pgTable(
  "listening_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    streamId: uuid("stream_id").references(() => listeningStreams.id, { onDelete: "cascade" }),
    /** spike | negative_turn | keyword | impostor */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    evidence: jsonb("evidence").$type<Record<string, unknown>>().notNull(),
    /** The mentions behind it (their window), so the alert links to them. */
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    windowEnd: timestamp("window_end", { withTimezone: true }).notNull(),
    /** open | acknowledged | resolved */
    status: text("status").notNull().default("open"),
    statusBy: uuid("status_by").references(() => users.id, { onDelete: "set null" }),
    statusAt: timestamp("status_at", { withTimezone: true }),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("listening_alerts_workspace").on(t.workspaceId, t.raisedAt), index("listening_alerts_stream_kind").on(t.streamId, t.kind, t.raisedAt)],
);

/** Where alerts go besides the app: email, Slack or Microsoft Teams incoming webhooks, or a signed generic webhook. */
export const alertDestinations = pgTable(
  "alert_destinations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    /** email | slack | teams | webhook */
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    /** Email addresses, or the webhook URL sealed with the server's secret key (a Slack URL is itself a secret). */
    target: text("target").notNull(),
    /** A generic webhook's signing secret, sealed. */
    signingSecret: text("signing_secret"),
    /** Alert kinds sent here; empty: all. */
    kinds: text("kinds").array().notNull().default([]),
    /** The language alerts are written in here (a channel of people, not one person with a setting). */
    locale: text("locale").notNull().default("en"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
  },
  (t) => [index("alert_destinations_workspace").on(t.workspaceId)],
);

/** One alert to one destination: an outbox row, retried until delivered or given up. */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    alertId: uuid("alert_id").notNull().references(() => listeningAlerts.id, { onDelete: "cascade" }),
    destinationId: uuid("destination_id").notNull().references(() => alertDestinations.id, { onDelete: "cascade" }),
    /** pending | delivered | failed */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.destinationId] }), index("alert_deliveries_due").on(t.status, t.nextAttemptAt)],
);

/**
 * An account that seems to imitate one of the brand's channels (confusable handle or name, giveaway or payment
 * bait); evidence kept; its status tracked from new to reviewed, reported, taken down or dismissed.
 */
export const impostorAccounts = pgTable(
  "impostor_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    network: text("network").notNull(),
    handle: text("handle").notNull(),
    displayName: text("display_name"),
    profileUrl: text("profile_url"),
    imitatesChannelId: uuid("imitates_channel_id").references(() => channels.id, { onDelete: "set null" }),
    score: real("score").notNull(),
    evidence: jsonb("evidence").$type<Record<string, unknown>>().notNull(),
    /** new | reviewed | reported | taken_down | dismissed */
    status: text("status").notNull().default("new"),
    statusBy: uuid("status_by").references(() => users.id, { onDelete: "set null" }),
    statusAt: timestamp("status_at", { withTimezone: true }),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("impostor_accounts_handle").on(t.workspaceId, t.network, t.handle)],
);

/**
 * How far the prompt impostor scan has read a workspace's mentions: every mention with an id up to `mentionId` was
 * judged, and so were `judgedIds` above it. Ids are handed out in order but may commit out of order, so the scan only
 * moves the mark past mentions old enough to have committed; the recent ones it judged wait in `judgedIds`. The row is
 * locked while the workspace is scanned, so two workers never judge the same mentions at once.
 */
export const impostorScanMarks = pgTable("impostor_scan_marks", {
  workspaceId: uuid("workspace_id").primaryKey().references(() => workspaces.id, { onDelete: "cascade" }),
  mentionId: bigint("mention_id", { mode: "number" }).notNull(),
  judgedIds: bigint("judged_ids", { mode: "number" }).array().notNull().default([]),
  scannedAt: timestamp("scanned_at", { withTimezone: true }).notNull().defaultNow(),
});
