// Backfill: what a network's search finds for the workspace's streams, handed to the pipeline like any batch (it
// keeps only posts that match a stream, and a post stored before is not stored again). Used when a network source
// starts without a cursor and when a stream is created. docs/listening.md, "Sources".
import { and, eq, inArray, isNull } from "drizzle-orm";
import { unsafeSystemCtx, type Services } from "../../../context";
import type { PublicPost } from "../../../networks/types";
import { unsafeCallChannel } from "../../channels";
import { listeningSources, listeningStreams } from "../listening.schema";
import type { BatchOutcome, IncomingPost } from "../pipeline/types";
import { parseQuery } from "../query";

/** Plain terms searched per backfill at most (one search each; a network's search is rate limited). */
export const BACKFILL_TERMS = 10;

export type BackfillResult = { terms: string[]; found: number; matched: number; error: string | null };

/**
 * Searches the source's network, through its channel, for the plain terms of the workspace's active streams (or of
 * `streamIds`), one page each, and submits what it finds as one batch without a cursor (the stream's position does
 * not move). Networks without search, and feeds, are skipped.
 */
export async function backfillSource(
  services: Services,
  input: { sourceId: string; streamIds?: string[]; submit: (posts: IncomingPost[]) => Promise<BatchOutcome> },
): Promise<BackfillResult> {
  const db = services.database.db;
  const [source] = await db.select().from(listeningSources).where(eq(listeningSources.id, input.sourceId));
  const none: BackfillResult = { terms: [], found: 0, matched: 0, error: null };
  if (!source || source.kind !== "network_stream" || !source.channelId) return none;
  const streams = await db
    .select({ query: listeningStreams.query })
    .from(listeningStreams)
    .where(and(eq(listeningStreams.workspaceId, source.workspaceId), isNull(listeningStreams.archivedAt), input.streamIds ? inArray(listeningStreams.id, input.streamIds) : undefined));
  const terms = new Set<string>();
  for (const stream of streams) {
    const parsed = parseQuery(stream.query);
    if (!parsed.ok) continue;
    for (const term of parsed.query.terms) {
      const plain = term.replace(/\*$/, "").trim();
      if (plain) terms.add(plain);
    }
  }
  const searched = [...terms].slice(0, BACKFILL_TERMS);
  if (!searched.length) return none;
  const ctx = unsafeSystemCtx(services, "listening", source.workspaceId);
  let network = "";
  const answer = await unsafeCallChannel(ctx, source.channelId, async (connector, credentials) => {
    network = connector.network;
    if (!connector.capabilities.search || !connector.search) return [];
    const found = new Map<string, PublicPost>();
    for (const term of searched) {
      const page = await connector.search(credentials, term, null);
      for (const post of page.items) found.set(post.networkPostId, post);
    }
    return [...found.values()];
  });
  if (!answer.ok) return { terms: searched, found: 0, matched: 0, error: answer.error.message };
  const receivedAt = new Date();
  const posts = answer.value.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((post) => ({ network, post, receivedAt }));
  if (!posts.length) return { terms: searched, found: 0, matched: 0, error: null };
  const outcome = await input.submit(posts);
  return { terms: searched, found: posts.length, matched: outcome.matched, error: null };
}
