import { AppError } from "../../../errors";

export const sourceNotFound = () => new AppError("listening_source_not_found", 404, "This listening source does not exist in this workspace");
export const sourceChannelInvalid = (reason: string) =>
  new AppError("listening_source_channel_invalid", 422, `This channel cannot be listened to: ${reason}`, { channelId: [reason] });
export const sourceFeedInvalid = (reason: string) => new AppError("listening_source_feed_invalid", 422, `This feed address cannot be used: ${reason}`, { url: [reason] });
export const sourceExists = () => new AppError("listening_source_exists", 409, "The workspace already listens to this channel or feed");
