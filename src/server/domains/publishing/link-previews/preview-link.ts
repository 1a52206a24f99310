import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { linkPreviews } from "../queues.schema";
import { linkPreviewBlocked, linkPreviewEmpty, linkPreviewNotAPage, linkPreviewUnreachable } from "./link-previews.errors";
import { readMetadata } from "./read-metadata";
import { SafeFetchError, checkedUrl, safeFetch } from "../../../net/safe-fetch";

/** How long a preview read from a page is reused. */
export const LINK_PREVIEW_TTL_MS = 6 * 3_600_000;
/** At most this much of a page is read (its <head> is at the top); the rest is not downloaded. */
export const PAGE_MAX_BYTES = 1_000_000;
/** A larger image is left out of the preview. */
export const IMAGE_MAX_BYTES = 512_000;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

type Row = typeof linkPreviews.$inferSelect;
const present = (row: Row) => ({
  url: row.url,
  finalUrl: row.finalUrl,
  title: row.title,
  description: row.description,
  siteName: row.siteName,
  image: row.imageData && row.imageType ? `data:${row.imageType};base64,${row.imageData.toString("base64")}` : null,
  fetchedAt: row.fetchedAt.toISOString(),
});

function asAppError(err: unknown) {
  if (!(err instanceof SafeFetchError)) return err;
  if (err.kind === "invalid_url") return invalidInput({ url: [err.message] });
  if (err.kind === "blocked") return linkPreviewBlocked(err.message);
  if (err.kind === "unsupported") return linkPreviewNotAPage(err.message);
  return linkPreviewUnreachable(err.message);
}

/**
 * A link's preview card (title, description, site, image) for the composer, read by the server from the page's
 * OpenGraph / Twitter card / <title> metadata under the SSRF guard (see safeFetch), and cached for LINK_PREVIEW_TTL_MS.
 * Errors: invalid_input (not an http(s) address), link_preview_blocked, link_preview_unreachable,
 * link_preview_not_a_page, link_preview_empty. Failures are not cached.
 */
export async function previewLink(ctx: Ctx, input: { url: string }) {
  authorize(ctx.actor, "posts.write");
  let url: URL;
  try {
    url = checkedUrl(input.url);
  } catch (err) {
    throw asAppError(err);
  }
  const urlHash = createHash("sha256").update(url.toString()).digest("hex");
  const [cached] = await ctx.db.select().from(linkPreviews).where(eq(linkPreviews.urlHash, urlHash));
  if (cached && ctx.now().getTime() - cached.fetchedAt.getTime() < LINK_PREVIEW_TTL_MS) return present(cached);

  const settings = ctx.services.config.linkPreview;
  const bounds = { timeoutMs: settings.timeoutMs, maxRedirects: 5, allowedHosts: settings.allowedHosts };
  let page;
  try {
    page = await safeFetch(url.toString(), { ...bounds, maxBytes: PAGE_MAX_BYTES, accept: ["text/html", "application/xhtml+xml"] });
  } catch (err) {
    throw asAppError(err);
  }
  const metadata = readMetadata(page.body, page.contentType, page.finalUrl);
  if (!metadata.title && !metadata.description && !metadata.imageUrl) throw linkPreviewEmpty();

  let image: { type: string; data: Buffer } | null = null;
  if (metadata.imageUrl) {
    try {
      const fetched = await safeFetch(metadata.imageUrl, { ...bounds, maxBytes: IMAGE_MAX_BYTES + 1, accept: ["image/"] });
      const sniffed = await fileTypeFromBuffer(fetched.body);
      if (!fetched.truncated && sniffed && IMAGE_TYPES.includes(sniffed.mime)) image = { type: sniffed.mime, data: fetched.body };
    } catch (err) {
      // Cosmetic: the preview shows without its image.
      ctx.log.info({ err: err instanceof Error ? err.message : String(err), imageUrl: metadata.imageUrl }, "link preview image not read");
    }
  }
  const values = {
    url: url.toString(),
    finalUrl: page.finalUrl,
    title: metadata.title,
    description: metadata.description,
    siteName: metadata.siteName ?? new URL(page.finalUrl).hostname.replace(/^www\./, ""),
    imageUrl: metadata.imageUrl,
    imageType: image?.type ?? null,
    imageData: image?.data ?? null,
    imageBytes: image?.data.length ?? null,
    fetchedAt: ctx.now(),
  };
  const [row] = await ctx.db.insert(linkPreviews).values({ urlHash, ...values }).onConflictDoUpdate({ target: linkPreviews.urlHash, set: values }).returning();
  return present(row);
}
