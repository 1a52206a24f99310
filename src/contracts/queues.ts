import { z } from "zod";

/** Request and response shapes of posting queues (weekly time slots per channel) and link previews. */

const uuid = z.uuid();

export const QueueSlot = z.object({
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: z.number().int().min(1, "A weekday from 1 (Monday) to 7 (Sunday)").max(7, "A weekday from 1 (Monday) to 7 (Sunday)"),
  /** Wall-clock time in the queue's time zone, 24-hour "HH:MM". */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "A time of day as HH:MM (24-hour), e.g. 09:00"),
});
export type QueueSlot = z.infer<typeof QueueSlot>;

export const ChannelQueue = z.object({
  channelId: uuid,
  timeZone: z.string(),
  slots: z.array(QueueSlot),
  updatedAt: z.string(),
  /** The next few slot times (ISO instants), to show what the slots mean across daylight-saving changes. */
  upcoming: z.array(z.string()),
});
export type ChannelQueue = z.infer<typeof ChannelQueue>;

export const SetQueueBody = z.object({
  /** An IANA time zone name, e.g. "Europe/Berlin". */
  timeZone: z.string().max(64),
  /** No slots: the channel has no queue any more. */
  slots: z.array(QueueSlot).max(168),
});

export const NextSlotBody = z.object({
  channelIds: z.array(uuid).min(1, "Choose at least one channel").max(50),
  /** The post being edited: its own time does not count as taken. */
  postId: uuid.optional(),
});
export const NextSlot = z.object({
  /** The instant (ISO, UTC) of the next free slot shared by the channels. */
  at: z.string(),
  /** Each channel's queue time zone, and the slot's wall-clock time there. */
  channels: z.array(z.object({ channelId: uuid, timeZone: z.string() })),
});

export const LinkPreviewBody = z.object({ url: z.string().max(2048) });
export const LinkPreview = z.object({
  url: z.string(),
  /** Where the page was read, after redirects. */
  finalUrl: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  siteName: z.string().nullable(),
  /** The page's image as a data: URL (PNG, JPEG, GIF or WebP; the server fetched and checked it), or null. */
  image: z.string().nullable(),
  fetchedAt: z.string(),
});
export type LinkPreview = z.infer<typeof LinkPreview>;
