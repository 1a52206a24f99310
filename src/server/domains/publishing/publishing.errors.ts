import { AppError, conflict, invalidInput } from "../../errors";

export const publishingPaused = (reason: string) =>
  new AppError("publishing_paused", 409, `Publishing is paused (${reason}): send again with "acknowledgePause": true to schedule anyway; the post will be held until someone releases it`);
export const postNotEditable = (status: string) => conflict("post_not_editable", `This post can no longer be changed: it is ${status}`);
/** `fields` names the channel variants that are too long, e.g. { "channels.1.text": ["At most 300 characters on Bluesky"] }. */
export const postTooLong = (fields: Record<string, string[]>) => new AppError("post_too_long", 422, "The text is longer than a channel allows", fields);
export const alreadyPaused = () => conflict("already_paused", "Publishing is already paused for these channels");
export const notPaused = () => conflict("not_paused", "Publishing is not paused");
export const targetNotHeld = () => conflict("target_not_held", "This post is not held on that channel");
export const takeDownNotPossible = (why: string) => conflict("take_down_not_possible", why);
export const scheduledInThePast = () => invalidInput({ scheduledAt: ["Choose a time in the future"] });
