import { textLengthFor } from "../../../contracts/text-length";
import type { Ctx } from "../../context";
import { invalidInput } from "../../errors";
import { authorizeOnChannel } from "../channels";
import { channelDisconnected } from "../channels/channels.errors";
import { checkMediaForChannels, findWantedMedia, type CheckedMedia, type WantedMedia } from "./media";
import { activePauses, pauseCovering } from "./pauses";
import { nextQueueSlot } from "./queues/next-slot";
import { postTooLong, publishingPaused, scheduledInThePast } from "./publishing.errors";

export type PostContent = {
  text: string;
  /** The channels it goes to, each with its own text or null for the post's. */
  channels: Array<{ channelId: string; text?: string | null }>;
  /** When it goes out; null or absent: a draft. */
  scheduledAt?: string | null;
  /** Schedule although publishing is paused (the post is held until someone releases it). */
  acknowledgePause?: boolean;
  /** Schedule at the next free time slot of the channels' posting queues instead of at `scheduledAt` (see nextQueueSlot). */
  queue?: boolean;
  /** Its images (uploaded first), in order, each with its alt text: the same on every channel. Absent on an edit: unchanged. */
  media?: WantedMedia[];
  /** A crisis statement (approved in the crisis room): it goes out through a pause that holds everything else. */
  pauseExempt?: boolean;
};

export type CheckedContent = {
  text: string;
  targets: Array<{ channelId: string; variantText: string | null }>;
  scheduledAt: Date | null;
  /** The writer's level on each of the post's channels (whether it needs approval, see planApproval). */
  levels: Map<string, string>;
  media: CheckedMedia;
};

/**
 * Checks a post's content against who writes it and where it goes, inside the caller's transaction: the writer may
 * draft on every channel (whether scheduling needs approval is decided by planApproval), no channel is
 * disconnected, each text and the images fit its network (media_not_found, too_many_media, …), a schedule lies ahead, and scheduling during a pause is acknowledged.
 */
export async function checkContent(tx: Ctx, workspaceId: string, input: PostContent, postId: string | null = null): Promise<CheckedContent> {
  const text = input.text.trim();
  const ids = input.channels.map((c) => c.channelId);
  if (!ids.length) throw invalidInput({ channels: ["Choose at least one channel"] });
  if (new Set(ids).size !== ids.length) throw invalidInput({ channels: ["Each channel once"] });
  if (input.queue && input.scheduledAt) throw invalidInput({ scheduledAt: ["Choose a time or the queue, not both"] });
  let scheduledAt = input.scheduledAt ? new Date(input.scheduledAt) : null;
  if (scheduledAt && Number.isNaN(scheduledAt.getTime())) throw invalidInput({ scheduledAt: ["Not a date and time"] });
  if (scheduledAt && scheduledAt.getTime() < tx.now().getTime() - 60_000) throw scheduledInThePast();

  const tooLong: Record<string, string[]> = {};
  const targets: CheckedContent["targets"] = [];
  const levels = new Map<string, string>();
  const queueChannels: Array<{ id: string; handle: string }> = [];
  const media = await findWantedMedia(tx, workspaceId, postId, input.media);
  const mediaRules: Parameters<typeof checkMediaForChannels>[1] = [];
  for (const [index, wanted] of input.channels.entries()) {
    const { channel, level } = await authorizeOnChannel(tx, wanted.channelId, "draft");
    if (channel.status === "disconnected") throw channelDisconnected();
    levels.set(wanted.channelId, level);
    queueChannels.push({ id: channel.id, handle: channel.handle });
    const variantText = wanted.text?.trim() ? wanted.text.trim() : null;
    const limits = tx.services.networks.connectorFor(channel.network).limits;
    const effective = variantText ?? text;
    if (!effective) throw invalidInput({ [variantText === null ? "text" : `channels.${index}.text`]: ["Write something to post"] });
    if (textLengthFor(effective, limits) > limits.textLength) {
      tooLong[variantText === null ? "text" : `channels.${index}.text`] = [`At most ${limits.textLength} characters on @${channel.handle}`];
    }
    targets.push({ channelId: wanted.channelId, variantText });
    mediaRules.push({ channelId: wanted.channelId, handle: channel.handle, limits: limits.media });
  }
  if (Object.keys(tooLong).length) throw postTooLong(tooLong);
  // The post being edited does not take its own slot.
  if (input.queue) scheduledAt = await nextQueueSlot(tx, queueChannels, { excludePostId: postId ?? undefined });
  checkMediaForChannels(media, mediaRules);
  if (scheduledAt && !input.acknowledgePause && !input.pauseExempt) {
    const pauses = await activePauses(tx, workspaceId);
    const covering = targets.map((t) => pauseCovering(pauses, t.channelId)).find(Boolean);
    if (covering) throw publishingPaused(covering.reason);
  }
  return { text, targets, scheduledAt, levels, media };
}
