import { DomUtils, parseDocument, parseFeed } from "htmlparser2";
import { safeFetch, SafeFetchError, type SafeFetchOptions } from "../../../net/safe-fetch";

/**
 * RSS and Atom feeds as a listening source (news sites, blogs): read under the same guard as link previews (a
 * workspace admin's feed URL must not reach what only the server can reach), parsed with htmlparser2, and handed on
 * only once each — the cursor remembers the items already handed on.
 */

export type FeedItem = { id: string; url: string | null; title: string; text: string; site: string; publishedAt: Date | null };

/** The ids of the items already handed on, newest first (enough to cover any feed's window of items). */
export type FeedCursor = { seen: string[] };
const SEEN_KEPT = 1000;

export const FEED_CONTENT_TYPES = ["application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml"] as const;
export const FEED_MAX_BYTES = 5_000_000;

export class FeedError extends Error {
  constructor(
    readonly kind: "blocked" | "unreachable" | "not_a_feed",
    message: string,
  ) {
    super(message);
  }
}

/** A feed's items, text without markup: an item's title and its description or summary. */
export function parseFeedItems(xml: string): { title: string; items: FeedItem[] } {
  const feed = parseFeed(xml, { xmlMode: true });
  if (!feed) throw new FeedError("not_a_feed", "Not an RSS or Atom feed");
  const site = (feed.title ?? "").trim() || (feed.link ?? "");
  const items = (feed.items ?? []).flatMap((item): FeedItem[] => {
    const title = plain(item.title ?? "");
    const description = plain(item.description ?? "");
    const id = (item.id || item.link || `${title} ${description}`).trim();
    if (!id || (!title && !description)) return [];
    return [{ id, url: item.link ?? null, title, text: [title, description].filter(Boolean).join("\n"), site, publishedAt: item.pubDate ? new Date(item.pubDate) : null }];
  });
  return { title: site, items };
}

/** The items not handed on before (oldest first, as they happened), and the cursor to store with them. */
export function newFeedItems(items: FeedItem[], cursor: FeedCursor | null): { fresh: FeedItem[]; cursor: FeedCursor } {
  const seen = new Set(cursor?.seen ?? []);
  const fresh = items.filter((item) => !seen.has(item.id));
  fresh.sort((a, b) => (a.publishedAt?.getTime() ?? 0) - (b.publishedAt?.getTime() ?? 0));
  const next = [...fresh.map((item) => item.id).reverse(), ...(cursor?.seen ?? [])];
  return { fresh, cursor: { seen: [...new Set(next)].slice(0, SEEN_KEPT) } };
}

/** Reads a feed under the fetch guard and returns what is new since `cursor`. */
export async function readFeed(url: string, cursor: FeedCursor | null, options: Pick<SafeFetchOptions, "timeoutMs" | "allowedHosts">) {
  let body: Buffer;
  try {
    const result = await safeFetch(url, { ...options, maxBytes: FEED_MAX_BYTES, maxRedirects: 5, accept: FEED_CONTENT_TYPES });
    if (result.truncated) throw new FeedError("not_a_feed", `The feed is larger than ${FEED_MAX_BYTES / 1_000_000} MB`);
    body = result.body;
  } catch (err) {
    if (err instanceof FeedError) throw err;
    if (err instanceof SafeFetchError) throw new FeedError(err.kind === "blocked" || err.kind === "invalid_url" ? "blocked" : err.kind === "unsupported" ? "not_a_feed" : "unreachable", err.message);
    throw err;
  }
  const { title, items } = parseFeedItems(body.toString("utf8"));
  return { title, ...newFeedItems(items, cursor) };
}

/** Text of an HTML fragment (descriptions often carry escaped markup), whitespace collapsed. */
function plain(fragment: string): string {
  const text = /[<&]/.test(fragment) ? DomUtils.textContent(parseDocument(fragment, { decodeEntities: true })) : fragment;
  return text.replace(/\s+/g, " ").trim();
}
