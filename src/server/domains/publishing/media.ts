import { and, asc, eq, inArray } from "drizzle-orm";
import { mediaIssues, formatBytes, type MediaIssue } from "../../../contracts/media-rules";
import type { Ctx } from "../../context";
import type { MediaItem } from "../../networks/types";
import { postMedia } from "./media.schema";
import { mediaNotAllowed, mediaNotFound } from "./media.errors";

export type MediaRow = typeof postMedia.$inferSelect;
/** An image as a post names it: which upload, and its alt text (the description read aloud to blind people). */
export type WantedMedia = { mediaId: string; altText?: string | null };
/** A post's images, checked: the rows (bytes not loaded) in the post's order, with the alt text it gives them. */
export type CheckedMedia = Array<{ row: Omit<MediaRow, "bytes">; altText: string }>;

const WITHOUT_BYTES = {
  id: postMedia.id,
  workspaceId: postMedia.workspaceId,
  postId: postMedia.postId,
  position: postMedia.position,
  uploadedBy: postMedia.uploadedBy,
  mimeType: postMedia.mimeType,
  byteSize: postMedia.byteSize,
  width: postMedia.width,
  height: postMedia.height,
  sha256: postMedia.sha256,
  altText: postMedia.altText,
  fileName: postMedia.fileName,
  createdAt: postMedia.createdAt,
};

/**
 * Finds the images a post names: uploads of this workspace that are not yet another post's (`postId` is the post
 * being edited, null for a new one). Unknown, foreign or used elsewhere: `media_not_found`. Each image once.
 * `wanted` absent (undefined) on an edit keeps the post's images as they are.
 */
export async function findWantedMedia(tx: Ctx, workspaceId: string, postId: string | null, wanted: readonly WantedMedia[] | undefined): Promise<CheckedMedia> {
  if (wanted === undefined) {
    if (!postId) return [];
    const current = await tx.db.select(WITHOUT_BYTES).from(postMedia).where(eq(postMedia.postId, postId)).orderBy(asc(postMedia.position));
    return current.map((row) => ({ row, altText: row.altText }));
  }
  if (!wanted.length) return [];
  const ids = wanted.map((m) => m.mediaId);
  if (new Set(ids).size !== ids.length) throw mediaNotFound();
  const rows = await tx.db.select(WITHOUT_BYTES).from(postMedia).where(and(eq(postMedia.workspaceId, workspaceId), inArray(postMedia.id, ids)));
  return wanted.map((w) => {
    const row = rows.find((r) => r.id === w.mediaId);
    if (!row || (row.postId !== null && row.postId !== postId)) throw mediaNotFound();
    return { row, altText: (w.altText ?? "").trim() };
  });
}

const MESSAGES: Record<MediaIssue["code"], (limit: string, handle: string) => string> = {
  too_many_media: (limit, handle) => `At most ${limit} images on @${handle}`,
  media_type_not_allowed: (limit, handle) => `@${handle} takes ${limit} images only`,
  media_too_large: (limit, handle) => `At most ${limit} per image on @${handle}`,
  alt_text_too_long: (limit, handle) => `At most ${limit} characters of alt text on @${handle}`,
};

/** Refuses images that break a channel's network rules (see src/contracts/media-rules.ts), naming each channel. */
export function checkMediaForChannels(media: CheckedMedia, channels: Array<{ channelId: string; handle: string; limits: Parameters<typeof mediaIssues>[1] }>): void {
  const fields: Record<string, string[]> = {};
  const all: Parameters<typeof mediaNotAllowed>[2] = [];
  const toCheck = media.map((m) => ({ mimeType: m.row.mimeType, byteSize: m.row.byteSize, altText: m.altText }));
  for (const channel of channels) {
    for (const issue of mediaIssues(toCheck, channel.limits)) {
      const field = issue.index === null ? "media" : issue.code === "alt_text_too_long" ? `media.${issue.index}.altText` : `media.${issue.index}`;
      const limit = issue.code === "media_too_large" ? formatBytes(Number(issue.limit)) : String(issue.limit);
      (fields[field] ??= []).push(MESSAGES[issue.code](limit, channel.handle));
      all.push({ ...issue, channelId: channel.channelId, handle: channel.handle });
    }
  }
  if (all.length) throw mediaNotAllowed(all[0].code, fields, all);
}

/** What of the images goes into a post's content hash: each image's bytes (by SHA-256) and alt text, in order. */
export const mediaHashParts = (media: CheckedMedia) => media.map((m) => [m.row.sha256, m.altText]);

/**
 * Makes `media` the post's images, in this order, with their alt text; images the post had and no longer names are
 * deleted (in the caller's transaction).
 */
export async function attachMedia(tx: Ctx, postId: string, media: CheckedMedia): Promise<void> {
  const keep = media.map((m) => m.row.id);
  const had = await tx.db.select({ id: postMedia.id }).from(postMedia).where(eq(postMedia.postId, postId));
  const dropped = had.map((r) => r.id).filter((id) => !keep.includes(id));
  if (dropped.length) await tx.db.delete(postMedia).where(inArray(postMedia.id, dropped));
  for (const [position, item] of media.entries()) {
    await tx.db.update(postMedia).set({ postId, position, altText: item.altText }).where(eq(postMedia.id, item.row.id));
  }
}

/** A post's images as the API shows them (no bytes: `url` serves them). */
export function presentMedia(row: Omit<MediaRow, "bytes">) {
  return {
    id: row.id,
    mimeType: row.mimeType,
    byteSize: row.byteSize,
    width: row.width,
    height: row.height,
    altText: row.altText,
    fileName: row.fileName,
    sha256: row.sha256,
    url: `/api/v1/media/${row.id}/content`,
  };
}
export type PresentedMedia = ReturnType<typeof presentMedia>;

/** The images of these posts, in order, without their bytes. */
export async function mediaOfPosts(ctx: Ctx, postIds: string[]): Promise<Map<string, PresentedMedia[]>> {
  const byPost = new Map<string, PresentedMedia[]>(postIds.map((id) => [id, []]));
  if (!postIds.length) return byPost;
  const rows = await ctx.db.select(WITHOUT_BYTES).from(postMedia).where(inArray(postMedia.postId, postIds)).orderBy(asc(postMedia.postId), asc(postMedia.position));
  for (const row of rows) byPost.get(row.postId!)?.push(presentMedia(row));
  return byPost;
}

/** Adds its images to a presented post. */
export async function withMedia<T extends { id: string }>(ctx: Ctx, post: T): Promise<T & { media: PresentedMedia[] }> {
  return { ...post, media: (await mediaOfPosts(ctx, [post.id])).get(post.id) ?? [] };
}

/** A post's images with their bytes, in order, as a connector sends them. */
export async function unsafeMediaItemsOf(ctx: Ctx, postId: string): Promise<MediaItem[]> {
  const rows = await ctx.db.select().from(postMedia).where(eq(postMedia.postId, postId)).orderBy(asc(postMedia.position));
  return rows.map((r) => ({ mimeType: r.mimeType, bytes: new Uint8Array(r.bytes), altText: r.altText }));
}
