import { z } from "zod";

/** Request and response shapes of listening alerts (spikes, turns to negative, critical terms, impostors) and impostor accounts. */

export const ALERT_KINDS = ["spike", "negative_turn", "keyword", "impostor"] as const;
export const AlertKind = z.enum(ALERT_KINDS);
export const ALERT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export const IMPOSTOR_STATUSES = ["new", "reviewed", "reported", "taken_down", "dismissed"] as const;
export const ImpostorStatus = z.enum(IMPOSTOR_STATUSES);

export const Alert = z.object({
  id: z.uuid(),
  kind: AlertKind,
  title: z.string(),
  streamId: z.uuid().nullable(),
  streamName: z.string().nullable(),
  status: AlertStatus,
  statusAt: z.string().nullable(),
  statusByName: z.string().nullable(),
  raisedAt: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  /** Everything kept when the alert fired: `facts` (what mail and chat messages show), and for spikes `volume`, `topPosts`, `firstPosts`, `sentiment`, `languages`. */
  evidence: z.record(z.string(), z.unknown()),
});
export type Alert = z.infer<typeof Alert>;

export const AlertMention = z.object({
  id: z.number(),
  network: z.string(),
  url: z.string().nullable(),
  authorHandle: z.string(),
  authorName: z.string().nullable(),
  text: z.string(),
  lang: z.string(),
  sentiment: z.string(),
  postedAt: z.string(),
});
export const AlertDelivery = z.object({ destinationName: z.string(), kind: z.string(), status: z.string(), attempts: z.number(), lastError: z.string().nullable() });
export const AlertDetail = Alert.extend({
  /** The mentions behind the alert: its stream's mentions in its window (newest first, at most 100), or the ones it names. */
  mentions: z.array(AlertMention),
  deliveries: z.array(AlertDelivery),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

export const ListAlertsQuery = z.object({
  kind: AlertKind.optional(),
  status: AlertStatus.optional(),
  stream: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export const AlertList = z.object({ alerts: z.array(Alert), open: z.number() });

export const AlertStatusBody = z.object({ status: z.enum(["acknowledged", "resolved"]) });

export const Impostor = z.object({
  id: z.uuid(),
  network: z.string(),
  handle: z.string(),
  displayName: z.string().nullable(),
  profileUrl: z.string().nullable(),
  imitatesChannelId: z.uuid().nullable(),
  /** The channel it imitates as it was when judged (handle, display name). */
  imitates: z.object({ handle: z.string(), displayName: z.string().nullable(), network: z.string() }).nullable(),
  score: z.number(),
  /** Why: `reasons` (confusable_handle, confusable_name, similar_handle, brand_with_affix, new_account, bait, mentions_brand, each with its details) and `texts` (what it posted). */
  evidence: z.record(z.string(), z.unknown()),
  status: ImpostorStatus,
  statusAt: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
});
export type Impostor = z.infer<typeof Impostor>;
export const ListImpostorsQuery = z.object({ status: ImpostorStatus.optional() });
export const ImpostorStatusBody = z.object({ status: ImpostorStatus });
