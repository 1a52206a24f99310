import { z } from "zod";

/** Request and response shapes of listening: streams (saved queries), their mentions, query previews, corrections. */

const uuid = z.uuid();
export const SENTIMENTS = ["negative", "neutral", "positive"] as const;
export const Sentiment = z.enum(SENTIMENTS);
export type Sentiment = z.infer<typeof Sentiment>;
export const SPIKE_SENSITIVITIES = ["off", "low", "medium", "high"] as const;

/** A query syntax error: its stable code, a message, and the span [start, end) of the query text to underline. */
export const QueryError = z.object({ code: z.string(), message: z.string(), start: z.number().int(), end: z.number().int() });
export type QueryError = z.infer<typeof QueryError>;

/** How much a stream heard: over the last 24 hours and the last hour, and 24 hourly totals (oldest first) for a sparkline. */
export const StreamVolume = z.object({
  last24h: z.number().int(),
  lastHour: z.number().int(),
  negative24h: z.number().int(),
  /** Negative mentions over all mentions of the last 24 hours (0 when there were none). */
  negativeShare: z.number(),
  hourly: z.array(z.number().int()),
});
export type StreamVolume = z.infer<typeof StreamVolume>;

export const Stream = z.object({
  id: uuid,
  name: z.string(),
  query: z.string(),
  /** The query in plain English (parseQuery's explanation). */
  explanation: z.string(),
  position: z.number().int(),
  spikeSensitivity: z.enum(SPIKE_SENSITIVITIES),
  negativeAlerts: z.boolean(),
  criticalTerms: z.array(z.string()),
  cooldownMinutes: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
  volume: StreamVolume,
});
export type Stream = z.infer<typeof Stream>;

const name = z.string().trim().min(1, "Give the stream a name").max(80, "At most 80 characters");
const query = z.string().max(4000, "A query has at most 4,000 characters");
const settings = {
  spikeSensitivity: z.enum(SPIKE_SENSITIVITIES).optional(),
  negativeAlerts: z.boolean().optional(),
  criticalTerms: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  cooldownMinutes: z.number().int().min(5, "At least 5 minutes").max(10_080, "At most a week").optional(),
};
export const CreateStreamBody = z.object({ name, query, ...settings });
export const UpdateStreamBody = z.object({ version: z.number().int(), name: name.optional(), query: query.optional(), ...settings });
export const ReorderStreamsBody = z.object({ streamIds: z.array(uuid).min(1).max(200) });
export const ListStreamsQuery = z.object({ archived: z.enum(["true", "false"]).optional() });

export const PreviewBody = z.object({ query });
export const PreviewPost = z.object({
  /** Where it was found: stored mentions of the last 7 days, or a search on a channel's network. */
  from: z.enum(["stored", "search"]),
  network: z.string(),
  channelId: uuid.nullable(),
  networkPostId: z.string(),
  authorHandle: z.string(),
  authorName: z.string().nullable(),
  text: z.string(),
  lang: z.string().nullable(),
  sentiment: Sentiment.nullable(),
  postedAt: z.string(),
  url: z.string().nullable(),
});
export const PreviewResult = z.object({
  ok: z.boolean(),
  errors: z.array(QueryError),
  explanation: z.string().nullable(),
  posts: z.array(PreviewPost),
  /** How many stored mentions were looked at (at most PREVIEW_SCAN_LIMIT, newest first, last 7 days). */
  scanned: z.number().int(),
  /** Each searched channel and what came of it (a search that failed is said, not hidden). */
  searches: z.array(z.object({ channelId: uuid, network: z.string(), handle: z.string(), found: z.number().int(), error: z.string().nullable() })),
});
export type PreviewResult = z.infer<typeof PreviewResult>;

export const Mention = z.object({
  id: z.string(),
  network: z.string(),
  networkPostId: z.string(),
  url: z.string().nullable(),
  authorHandle: z.string(),
  authorName: z.string().nullable(),
  text: z.string(),
  lang: z.string(),
  /** declared (by the post) | detected | corrected (by a person) */
  langSource: z.enum(["declared", "detected", "corrected"]),
  sentiment: Sentiment,
  sentimentScore: z.number(),
  sentimentCorrected: z.boolean(),
  nearDuplicate: z.boolean(),
  postedAt: z.string(),
  streamIds: z.array(uuid),
  correctedBy: z.object({ id: uuid, name: z.string() }).nullable(),
});
export type Mention = z.infer<typeof Mention>;

export const ListMentionsQuery = z.object({
  /** One stream id, or several separated by commas. */
  stream: z.string().max(2000).optional(),
  sentiment: z.string().max(40).optional(),
  lang: z.string().max(100).optional(),
  network: z.string().max(100).optional(),
  /** Words the text must contain (case-insensitive). */
  q: z.string().max(200).optional(),
  /** "true": show near-duplicates too (folded by default). */
  duplicates: z.enum(["true", "false"]).optional(),
  /** The `next` of the previous page. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type ListMentionsQuery = z.infer<typeof ListMentionsQuery>;
export const MentionPage = z.object({ mentions: z.array(Mention), next: z.string().nullable() });

export const CorrectMentionBody = z
  .object({ lang: z.string().regex(/^[a-z]{2,3}$/, "A language code such as en, de or fa").optional(), sentiment: Sentiment.optional() })
  .refine((b) => b.lang !== undefined || b.sentiment !== undefined, { message: "Correct the language, the sentiment or both" });

/**
 * Why a listening source fails, as stored and shown (translated: i18n listening.sources.errors.<code>). Parameters:
 * `retryInSeconds` always, `network` for source_no_stream, `kind` for source_unknown_kind.
 */
export const SOURCE_ERROR_CODES = [
  "source_rate_limited",
  "source_access_expired",
  "source_refused",
  "source_unreadable",
  "feed_blocked",
  "feed_not_a_feed",
  "feed_unreachable",
  "feed_no_address",
  "source_no_channel",
  "source_no_stream",
  "source_unknown_kind",
  "source_failed",
] as const;
export type SourceErrorCode = (typeof SOURCE_ERROR_CODES)[number];

/** A listening source: a channel's live stream or an RSS/Atom feed, its state, last error and how far behind it is. */
export const Source = z.object({
  id: uuid,
  kind: z.enum(["network_stream", "feed"]),
  name: z.string(),
  channelId: uuid.nullable(),
  network: z.string().nullable(),
  url: z.string().nullable(),
  state: z.enum(["running", "failing", "stopped"]),
  /** Why it fails (null while it runs): a stable code, said in the reader's language by the web app, and its parameters. */
  lastErrorCode: z.enum(SOURCE_ERROR_CODES).nullable(),
  lastErrorParams: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
  /** The network's or feed's own words about it (untranslated; null when it gave none), for those who may manage sources (null for the others). */
  lastError: z.string().nullable(),
  lastItemAt: z.string().nullable(),
  lastHandledAt: z.string().nullable(),
  /** How far behind the newest handled item was when it was handled (seconds); null before the first item. */
  lagSeconds: z.number().nullable(),
  /** More than a minute behind. */
  behind: z.boolean(),
  shedCount: z.number(),
  claimed: z.boolean(),
  createdAt: z.string(),
});
export type Source = z.infer<typeof Source>;
export const AddSourceBody = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("network_stream"), channelId: uuid, name: z.string().trim().max(80).optional() }),
  z.object({ kind: z.literal("feed"), url: z.string().max(2048), name: z.string().trim().max(80).optional() }),
]);
