import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";

export type Sentiment = "negative" | "neutral" | "positive";

/** A post that matched at least one stream, ready to store (the pipeline's last stage). */
export type MatchedPost = {
  workspaceId: string;
  sourceId: string | null;
  network: string;
  networkPostId: string;
  url: string | null;
  authorHandle: string;
  authorName: string | null;
  text: string;
  lang: string;
  langSource: "declared" | "detected" | "corrected";
  sentiment: Sentiment;
  sentimentScore: number;
  fingerprint: number;
  nearDuplicate: boolean;
  postedAt: Date;
  receivedAt: Date;
  streamIds: string[];
};

/** Where a source stands after a batch: stored with the batch, so a restart resumes right after it. */
export type SourcePosition = { sourceId: string; cursor: string; lastItemAt: Date | null };

export type StoreResult = {
  stored: number;
  alreadyStored: number;
  matches: number;
  /** The posts of the batch that were stored now (the others were stored before). */
  storedPosts: Set<MatchedPost>;
};

const MINUTE_MS = 60_000;

/**
 * Stores a batch of matched posts, their stream matches, the per-minute counts and the sources' cursors in one
 * transaction, with one statement per table (arrays through `unnest`: per-row statements are the write wall, see
 * docs/listening.md). A post already stored (same network id in the workspace) is skipped and not counted again, so
 * replaying a batch after a crash changes nothing. Matches of streams deleted meanwhile are dropped.
 */
export async function storeMatches(db: Db, batch: MatchedPost[], positions: SourcePosition[] = []): Promise<StoreResult> {
  // One order for every writer, so two batches touching the same rows wait for each other instead of deadlocking.
  const posts = [...batch].sort((a, b) => compare(a.workspaceId, b.workspaceId) || compare(a.network, b.network) || compare(a.networkPostId, b.networkPostId));
  return db.transaction(async (tx) => {
    const inserted = posts.length ? await insertMentions(tx, posts) : [];
    const idOf = new Map(inserted.map((row) => [`${row.workspace_id} ${row.network} ${row.network_post_id}`, Number(row.id)]));

    const matchStream: string[] = [];
    const matchMention: number[] = [];
    const matchPosted: Date[] = [];
    const storedPosts = new Set<MatchedPost>();
    const counts = new Map<string, { streamId: string; minute: Date; total: number; negative: number; neutral: number; positive: number; nearDuplicates: number }>();
    for (const post of posts) {
      const id = idOf.get(`${post.workspaceId} ${post.network} ${post.networkPostId}`);
      if (id === undefined) continue; // stored before: neither its matches nor its counts again
      storedPosts.add(post);
      const minute = new Date(Math.floor(post.postedAt.getTime() / MINUTE_MS) * MINUTE_MS);
      for (const streamId of new Set(post.streamIds)) {
        matchStream.push(streamId);
        matchMention.push(id);
        matchPosted.push(post.postedAt);
        const key = `${streamId} ${minute.getTime()}`;
        let count = counts.get(key);
        if (!count) counts.set(key, (count = { streamId, minute, total: 0, negative: 0, neutral: 0, positive: 0, nearDuplicates: 0 }));
        count.total += 1;
        count[post.sentiment] += 1;
        if (post.nearDuplicate) count.nearDuplicates += 1;
      }
    }

    let matches = 0;
    if (matchStream.length) {
      const result = await tx.execute(sql`
        insert into mention_matches (stream_id, mention_id, posted_at)
        select m.stream_id, m.mention_id, m.posted_at
        from unnest(${sql.param(matchStream)}::uuid[], ${sql.param(matchMention)}::bigint[], ${sql.param(matchPosted.map(iso))}::timestamptz[])
          as m(stream_id, mention_id, posted_at)
        join listening_streams s on s.id = m.stream_id
        on conflict do nothing`);
      matches = affected(result);
    }
    if (counts.size) await addCounts(tx, [...counts.values()].sort((a, b) => compare(a.streamId, b.streamId) || a.minute.getTime() - b.minute.getTime()));
    // Several batches of one source written together: only its last cursor is stored (one update per source).
    for (const position of latestPositions(positions)) {
      await tx.execute(sql`
        update listening_sources set cursor = ${position.cursor},
          last_item_at = coalesce(${position.lastItemAt ? iso(position.lastItemAt) : null}::timestamptz, last_item_at),
          last_handled_at = now(), state = 'running', last_error = null
        where id = ${position.sourceId}`);
    }
    return { stored: inserted.length, alreadyStored: posts.length - inserted.length, matches, storedPosts };
  });
}

/** One position per source: the last cursor, and the last known time of its newest item. */
function latestPositions(positions: SourcePosition[]): SourcePosition[] {
  const bySource = new Map<string, SourcePosition>();
  for (const position of positions) {
    const earlier = bySource.get(position.sourceId);
    bySource.set(position.sourceId, earlier && !position.lastItemAt ? { ...position, lastItemAt: earlier.lastItemAt } : position);
  }
  return [...bySource.values()];
}

type InsertedRow = { id: string | number; workspace_id: string; network: string; network_post_id: string };

async function insertMentions(tx: Db, posts: MatchedPost[]): Promise<InsertedRow[]> {
  const column = <T>(pick: (post: MatchedPost) => T) => sql.param(posts.map(pick));
  const result = await tx.execute(sql`
    insert into mentions (workspace_id, source_id, network, network_post_id, url, author_handle, author_name, text, lang,
      lang_source, sentiment, sentiment_score, fingerprint, near_duplicate, posted_at, received_at)
    select * from unnest(
      ${column((p) => p.workspaceId)}::uuid[], ${column((p) => p.sourceId)}::uuid[], ${column((p) => p.network)}::text[],
      ${column((p) => p.networkPostId)}::text[], ${column((p) => p.url)}::text[], ${column((p) => p.authorHandle)}::text[],
      ${column((p) => p.authorName)}::text[], ${column((p) => p.text)}::text[], ${column((p) => p.lang)}::text[],
      ${column((p) => p.langSource)}::text[], ${column((p) => p.sentiment)}::text[], ${column((p) => p.sentimentScore)}::real[],
      ${column((p) => p.fingerprint)}::bigint[], ${column((p) => p.nearDuplicate)}::boolean[],
      ${column((p) => iso(p.postedAt))}::timestamptz[], ${column((p) => iso(p.receivedAt))}::timestamptz[])
    on conflict (workspace_id, network, network_post_id) do nothing
    returning id, workspace_id, network, network_post_id`);
  return rowsOf<InsertedRow>(result);
}

async function addCounts(tx: Db, counts: { streamId: string; minute: Date; total: number; negative: number; neutral: number; positive: number; nearDuplicates: number }[]) {
  const column = <T>(pick: (count: (typeof counts)[number]) => T) => sql.param(counts.map(pick));
  await tx.execute(sql`
    insert into stream_minute_counts (stream_id, minute, total, negative, neutral, positive, near_duplicates)
    select c.* from unnest(${column((c) => c.streamId)}::uuid[], ${column((c) => iso(c.minute))}::timestamptz[],
      ${column((c) => c.total)}::int[], ${column((c) => c.negative)}::int[], ${column((c) => c.neutral)}::int[],
      ${column((c) => c.positive)}::int[], ${column((c) => c.nearDuplicates)}::int[])
      as c(stream_id, minute, total, negative, neutral, positive, near_duplicates)
    join listening_streams s on s.id = c.stream_id
    on conflict (stream_id, minute) do update set
      total = stream_minute_counts.total + excluded.total,
      negative = stream_minute_counts.negative + excluded.negative,
      neutral = stream_minute_counts.neutral + excluded.neutral,
      positive = stream_minute_counts.positive + excluded.positive,
      near_duplicates = stream_minute_counts.near_duplicates + excluded.near_duplicates`);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const iso = (date: Date) => date.toISOString();

/** node-postgres counts changed rows in `rowCount`, PGlite's driver in `affectedRows`. */
function affected(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return r.rowCount ?? r.affectedRows ?? 0;
}
