import { countGraphemes } from "./text-length";

/**
 * Each network's rules for a post's images, checked in one place: by the composer as you pick images (per channel)
 * and by the server when a post is saved (per channel, with these codes). The figures themselves are each
 * connector's `limits.media` (next to its `textLength`), served to the web app by GET /api/v1/networks.
 */

/** What one network takes: images per post, their types, bytes per image, characters of alt text (graphemes). */
export type MediaLimits = { maxCount: number; types: string[]; maxBytes: number; altTextLength: number };

/** What Parapet accepts at upload at all (the union of what its networks take); each channel may take less. */
export const UPLOAD_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;
/** The largest image Parapet keeps (about Mastodon's limit, the largest of its networks). */
export const UPLOAD_MAX_BYTES = 16_000_000;

export type MediaRuleCode = "too_many_media" | "media_type_not_allowed" | "media_too_large" | "alt_text_too_long";
/** One rule broken: which, by which image (its place, from 0; none for the count), and the network's figure. */
export type MediaIssue = { code: MediaRuleCode; index: number | null; limit: number | string };

export type MediaToCheck = { mimeType: string; byteSize: number; altText: string };

/** The rules `media` breaks on a network with these limits, the count first, then image by image. */
export function mediaIssues(media: readonly MediaToCheck[], limits: MediaLimits): MediaIssue[] {
  const issues: MediaIssue[] = [];
  if (media.length > limits.maxCount) issues.push({ code: "too_many_media", index: null, limit: limits.maxCount });
  media.forEach((item, index) => {
    if (!limits.types.includes(item.mimeType)) issues.push({ code: "media_type_not_allowed", index, limit: limits.types.map(shortType).join(", ") });
    if (item.byteSize > limits.maxBytes) issues.push({ code: "media_too_large", index, limit: limits.maxBytes });
    if (countGraphemes(item.altText) > limits.altTextLength) issues.push({ code: "alt_text_too_long", index, limit: limits.altTextLength });
  });
  return issues;
}

/** "image/jpeg" → "JPEG". */
export const shortType = (mimeType: string) => (mimeType.split("/")[1] ?? mimeType).toUpperCase();

/** A size for people: 1 MB, 16 MB, 300 KB (decimal, as the networks write their limits). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${Math.round((bytes / 1_000_000) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} KB`;
}
