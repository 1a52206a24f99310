import { AppError } from "../../../errors";

/** A chosen channel has no posting queue (no time slots). */
export const queueEmpty = (handle: string, channelId: string) =>
  new AppError("queue_empty", 422, `@${handle} has no posting queue: an admin sets its time slots (Settings → Posting queues), or choose a time`, { channels: [`@${handle} has no time slots`] }, { channelId });
/** The chosen channels have slots, but none at the same moment (say, different time zones or days). */
export const queueNoSharedSlot = (weeks: number) =>
  new AppError("queue_no_shared_slot", 422, `The chosen channels have no time slot in common within ${weeks} weeks: add them to the queue separately, or choose a time`);
/** Every shared slot within the horizon already has a post. */
export const queueFull = (weeks: number) =>
  new AppError("queue_full", 409, `Every time slot of the chosen channels is taken for the next ${weeks} weeks: add slots or choose a time`);
