import { AppError } from "../../errors";
import { formatBytes, type MediaRuleCode } from "../../../contracts/media-rules";

/** The upload is not an image Parapet takes (found from its bytes, whatever its name or declared type said). */
export const uploadTypeNotAllowed = (found: string | null) =>
  new AppError("media_type_not_allowed", 422, `${found ? `This file is ${found}` : "This file is not an image Parapet recognises"}: upload a JPEG, PNG, GIF or WebP image`);
export const uploadTooLarge = (maxBytes: number) => new AppError("media_too_large", 413, `An image may have at most ${formatBytes(maxBytes)}`);
export const uploadEmpty = () => new AppError("invalid_input", 400, "Send the image's bytes as the request body, with its Content-Type", { body: ["The body is empty"] });
export const mediaNotFound = () => new AppError("media_not_found", 404, "This image was not found: it may have been removed a day after it was uploaded without being used in a post; upload it again");

/**
 * A post's images break a channel's rules. The code is the first rule broken (`too_many_media`,
 * `media_type_not_allowed`, `media_too_large`, `alt_text_too_long`); `fields` names each image and channel, e.g.
 * { "media": ["At most 4 images on @emberoak"], "media.1.altText": ["At most 1500 characters of alt text on @ana"] };
 * `extra.issues` lists every one with its channel.
 */
export const mediaNotAllowed = (code: MediaRuleCode, fields: Record<string, string[]>, issues: Array<{ code: MediaRuleCode; channelId: string; handle: string; index: number | null; limit: number | string }>) =>
  new AppError(code, 422, `An image does not fit a channel's rules: ${Object.values(fields).flat().join("; ")}`, fields, { issues });
