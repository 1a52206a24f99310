import { z } from "zod";

/** An image of a post, as the API shows it; `url` serves its bytes to whoever may see it. */
export const PostMedia = z.object({
  id: z.uuid(),
  mimeType: z.string(),
  byteSize: z.number(),
  width: z.number(),
  height: z.number(),
  altText: z.string(),
  fileName: z.string().nullable(),
  sha256: z.string(),
  url: z.string(),
});
export type PostMedia = z.infer<typeof PostMedia>;

/** An image a post names when it is saved: an upload's id and its alt text (optional, but please describe it). */
export const MediaRef = z.object({ mediaId: z.uuid(), altText: z.string().max(5000).nullable().optional() });
