// The source runner: inside the worker, keeps every running listening source fed into the pipeline. It claims
// sources with a lease (one worker per source; a crashed worker's sources are taken over once its lease lapses),
// reads each one — a network's live stream through a channel of the workspace, or an RSS/Atom feed polled every few
// minutes — and hands posts on in batches with the source's cursor, which the pipeline stores with the batch.
// A failing source says why in plain words and retries with backoff. docs/listening.md, "Sources".
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { unsafeSystemCtx, type Services } from "../../../context";
import { rowsOf } from "../../../db/client";
import type { SourceErrorCode } from "../../../../contracts/listening";
import { NetworkError, type StreamedPost } from "../../../networks/types";
import { unsafeCallChannel } from "../../channels";
import { listeningSources } from "../listening.schema";
import type { IncomingPost, ListeningPipeline, SourceBatch } from "../pipeline/types";
import { backfillSource } from "./backfill";
import { FeedError, readFeed, type FeedCursor, type FeedItem } from "./read-feed";

export type SourceRunnerOptions = {
  pipeline: ListeningPipeline;
  /** This worker's name in leases (default: a random id). */
  owner?: string;
  /** How long a claim holds without renewal (default 60 s); renewed every `claimEveryMs`. */
  leaseMs?: number;
  /** How often sources are claimed and leases renewed (default 10 s). */
  claimEveryMs?: number;
  /** A batch is handed on at this many posts, or this long after its first post (defaults 500 posts, 250 ms). */
  batchSize?: number;
  batchMs?: number;
  /** How often a feed is read (default 5 minutes). */
  feedEveryMs?: number;
  /** First retry delay after a failure, doubled per failure up to `maxBackoffMs` (defaults 2 s and 5 minutes). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Hosts a feed may be read from though private (default: the operator's link-preview allow-list). */
  feedAllowedHosts?: string[];
};

export type SourceRunner = {
  /** Claims due sources and renews leases now (the runner also does so every `claimEveryMs`). */
  claim(): Promise<void>;
  /** The sources this runner reads now. */
  running(): string[];
  /** Stops reading and lets the leases go (`abandon`: keep them, as a crashed worker would). */
  stop(options?: { abandon?: boolean }): Promise<void>;
};

type SourceRow = { id: string; workspace_id: string; kind: string; channel_id: string | null; url: string | null; cursor: string | null };

/** Feed items are stored as mentions of this network. */
export const FEED_NETWORK = "web";

export function startSourceRunner(services: Services, options: SourceRunnerOptions): SourceRunner {
  const db = services.database.db;
  const owner = options.owner ?? `worker-${randomUUID()}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const claimEveryMs = options.claimEveryMs ?? 10_000;
  const batchSize = options.batchSize ?? 500;
  const batchMs = options.batchMs ?? 250;
  const feedEveryMs = options.feedEveryMs ?? 5 * 60_000;
  const backoffMs = options.backoffMs ?? 2_000;
  const maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;
  const feedAllowedHosts = options.feedAllowedHosts ?? services.config.linkPreview.allowedHosts;
  const log = services.log;
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let stopped = false;
  let claiming: Promise<void> = Promise.resolve();

  async function claimOnce() {
    if (stopped) return;
    // One statement claims free or lapsed sources and renews ours; a source someone else holds, or stopped, is not returned.
    const lease = sql`now() + ${`${leaseMs} milliseconds`}::interval`;
    // Renew ours; a source removed, stopped, restarted (lease let go) or taken over is not returned and stops here.
    const renewed = rowsOf<SourceRow>(
      await db.execute(sql`
        update listening_sources set lease_expires_at = ${lease}
        where lease_owner = ${owner} and state <> 'stopped'
        returning id, workspace_id, kind, channel_id, url, cursor`),
    );
    const held = new Set(renewed.map((r) => r.id));
    for (const [id, run] of running) if (!held.has(id)) run.controller.abort();
    if (stopped) return;
    // Claim free sources and those whose worker let its lease lapse (crashed); SKIP LOCKED lets workers claim side by side.
    const claimed = rowsOf<SourceRow>(
      await db.execute(sql`
        update listening_sources set lease_owner = ${owner}, lease_expires_at = ${lease}
        where id in (
          select id from listening_sources
          where state <> 'stopped' and (lease_owner is null or lease_expires_at is null or lease_expires_at < now())
          order by created_at, id
          for update skip locked)
        returning id, workspace_id, kind, channel_id, url, cursor`),
    );
    if (stopped) return;
    for (const row of claimed) start(row);
    for (const row of renewed) if (!running.has(row.id)) start(row);
    await backfillNewStreams([...renewed, ...claimed]);
  }

  /**
   * Streams no running network source has searched for yet (created since, or while no worker ran): each running
   * network source of their workspace searches for their terms, then they are marked. Two workers may both search
   * once; the pipeline stores a post only once.
   */
  async function backfillNewStreams(rows: SourceRow[]) {
    const fresh = rowsOf<{ id: string; workspace_id: string }>(
      await db.execute(sql`select id, workspace_id from listening_streams where backfilled_at is null and archived_at is null order by created_at limit 100`),
    );
    if (!fresh.length) return;
    const searched = new Set<string>();
    for (const row of rows) {
      if (row.kind !== "network_stream" || !running.has(row.id)) continue;
      const streamIds = fresh.filter((s) => s.workspace_id === row.workspace_id).map((s) => s.id);
      if (!streamIds.length) continue;
      for (const id of streamIds) searched.add(id);
      void backfillSource(services, { sourceId: row.id, streamIds, submit: (posts) => submit(row, posts, null) }).catch((err) => log.warn({ err, sourceId: row.id }, "backfill failed"));
    }
    // A workspace without a running network source keeps its streams unmarked: its first source backfills them all.
    if (searched.size) await db.execute(sql`update listening_streams set backfilled_at = now() where id in (${sql.join([...searched].map((id) => sql`${id}::uuid`), sql`, `)})`);
  }

  function start(row: SourceRow) {
    const controller = new AbortController();
    const previous = running.get(row.id);
    previous?.controller.abort();
    // A restarted source starts once its previous run has finished (so batches and cursors stay in order).
    const done = (previous?.done ?? Promise.resolve())
      .then(() => runSource(row, controller.signal))
      .catch((err) => log.error({ err, sourceId: row.id }, "listening source stopped unexpectedly"))
      .finally(() => {
        if (running.get(row.id)?.controller === controller) running.delete(row.id);
      });
    running.set(row.id, { controller, done });
  }

  const claim = () => (claiming = claiming.then(claimOnce).catch((err) => log.error({ err }, "claiming listening sources failed")));
  const timer = setInterval(() => void claim(), claimEveryMs);
  void claim();

  /** Reads one source until the signal aborts: on failure, records why and retries after a growing pause. */
  async function runSource(row: SourceRow, signal: AbortSignal) {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (row.kind === "network_stream") await readStream(row, signal);
        else if (row.kind === "feed") await pollFeed(row, signal);
        else throw new SourceFailure(`Unknown source kind "${row.kind}".`, "source_unknown_kind", { kind: row.kind });
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        failures += 1;
        const failure = describe(err);
        const delay = failure.retryAfterMs ?? Math.min(maxBackoffMs, backoffMs * 2 ** (failures - 1));
        log.warn({ sourceId: row.id, err: failure.message, detail: failure.detail, retryIn: formatDelay(delay) }, "listening source failing");
        const params = { ...failure.params, retryInSeconds: Math.max(1, Math.round(delay / 1000)) };
        // The code and its parameters say why in the reader's language; lastError keeps only the network's own words.
        await db.update(listeningSources).set({ state: "failing", lastError: failure.detail, lastErrorCode: failure.code, lastErrorParams: params }).where(eq(listeningSources.id, row.id));
        await pause(delay, signal);
      }
    }
  }

  async function currentCursor(sourceId: string) {
    const [source] = await db.select({ cursor: listeningSources.cursor, state: listeningSources.state }).from(listeningSources).where(eq(listeningSources.id, sourceId));
    return source?.cursor ?? null;
  }

  async function markRunning(sourceId: string) {
    await db.update(listeningSources).set({ state: "running", lastError: null, lastErrorCode: null, lastErrorParams: null }).where(eq(listeningSources.id, sourceId));
  }

  async function submit(row: SourceRow, posts: IncomingPost[], position: SourceBatch["position"]) {
    // The pipeline stores the cursor with the batch and counts what it sheds in shed_count.
    return options.pipeline.submit({ workspaceId: row.workspace_id, sourceId: row.id, posts, position });
  }

  /** A network's live stream through the source's channel, from the stored cursor; ends only by failing or aborting. */
  async function readStream(row: SourceRow, signal: AbortSignal) {
    if (!row.channel_id) throw new SourceFailure("This source has no channel: remove it and add it again.", "source_no_channel");
    const ctx = unsafeSystemCtx(services, "listening", row.workspace_id);
    const cursor = await currentCursor(row.id);
    const local = new AbortController();
    const abort = () => local.abort();
    signal.addEventListener("abort", abort);
    try {
      let network = "";
      const opened = await unsafeCallChannel(ctx, row.channel_id, async (connector, credentials) => {
        network = connector.network;
        if (!connector.capabilities.stream || !connector.openStream) throw new SourceFailure(`${connector.displayName} has no live stream to listen to.`, "source_no_stream", { network: connector.displayName });
        return connector.openStream(credentials, { cursor, signal: local.signal });
      });
      if (!opened.ok) throw opened.error;
      await markRunning(row.id);
      // Started without a cursor: what the network's search finds for the workspace's streams fills the gap before now.
      if (cursor === null) await backfillSource(services, { sourceId: row.id, submit: (posts) => submit(row, posts, null) }).catch((err) => log.warn({ err, sourceId: row.id }, "backfill failed"));
      await consume(row, network, opened.value, signal);
      if (!signal.aborted) throw new NetworkError("transient", "The network ended the stream.");
    } finally {
      signal.removeEventListener("abort", abort);
      local.abort();
    }
  }

  /** Hands the stream's posts on in batches (size- or time-bound), each with the cursor of its last post, in order. */
  async function consume(row: SourceRow, network: string, stream: AsyncIterable<StreamedPost>, signal: AbortSignal) {
    let buffer: StreamedPost[] = [];
    let timer: NodeJS.Timeout | null = null;
    let chain: Promise<unknown> = Promise.resolve();
    let failed: unknown = null;
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      const items = buffer;
      buffer = [];
      if (!items.length) return chain;
      chain = chain.then(async () => {
        if (failed || signal.aborted) return;
        const last = items.at(-1)!;
        const posts = items.map(({ post }): IncomingPost => ({ network, post, receivedAt: new Date() }));
        try {
          await submit(row, posts, { cursor: last.cursor, lastItemAt: newest(items.map((i) => i.post.createdAt)) });
        } catch (err) {
          failed = err;
        }
      });
      return chain;
    };
    for await (const item of stream) {
      if (signal.aborted) break;
      if (failed) throw failed;
      buffer.push(item);
      if (buffer.length >= batchSize) await flush();
      else if (!timer) timer = setTimeout(() => void flush(), batchMs);
    }
    await flush();
    if (failed) throw failed;
  }

  /** Reads a feed, hands on its new items with the new cursor, and waits until the next read. */
  async function pollFeed(row: SourceRow, signal: AbortSignal) {
    if (!row.url) throw new SourceFailure("This feed source has no address: remove it and add it again.", "feed_no_address");
    const stored = await currentCursor(row.id);
    const cursor = stored ? (JSON.parse(stored) as FeedCursor) : null;
    const { fresh, cursor: next } = await readFeed(row.url, cursor, { allowedHosts: feedAllowedHosts, timeoutMs: 15_000 });
    const receivedAt = new Date();
    const posts = fresh.map((item) => ({ network: FEED_NETWORK, receivedAt, post: feedPost(item, receivedAt) }));
    await submit(row, posts, { cursor: JSON.stringify(next), lastItemAt: newest(posts.map((p) => p.post.createdAt)) });
    await markRunning(row.id);
    await pause(feedEveryMs, signal);
  }

  return {
    claim,
    running: () => [...running.keys()],
    async stop({ abandon = false } = {}) {
      stopped = true;
      clearInterval(timer);
      await claiming;
      const runs = [...running.values()];
      for (const run of runs) run.controller.abort();
      await Promise.all(runs.map((run) => run.done));
      if (!abandon) await db.execute(sql`update listening_sources set lease_owner = null, lease_expires_at = null where lease_owner = ${owner}`);
    },
  };
}

/** A failure the runner itself finds (no channel, no stream): said as it is, retried slowly. */
class SourceFailure extends Error {
  constructor(
    message: string,
    readonly code: SourceErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/**
 * Why a source fails, as stored: a stable code with its parameters (the web app says it in the reader's language,
 * src/web/i18n "listening.sources.errors"); `detail`, the network's or feed's own words when it gave any (kept for
 * those who manage sources: they cannot be translated; null for Parapet's own reasons); an English sentence for the
 * logs (`message`); and when to try again if the network said.
 */
function describe(err: unknown): { code: SourceErrorCode; params: Record<string, string | number>; message: string; detail: string | null; retryAfterMs?: number } {
  if (err instanceof NetworkError) {
    const detail = err.message || null;
    switch (err.kind) {
      case "rate_limited": {
        const seconds = err.details.retryAfterSeconds;
        return { code: "source_rate_limited", params: {}, message: "The network is limiting how often we may call it.", detail, retryAfterMs: seconds ? seconds * 1000 : undefined };
      }
      case "auth_expired":
        return { code: "source_access_expired", params: {}, message: "The channel's access has expired or was revoked: reconnect the channel.", detail };
      case "invalid_content":
        return { code: "source_refused", params: {}, message: "The network refused the request.", detail };
      default:
        return { code: "source_unreadable", params: {}, message: "The network could not be read.", detail };
    }
  }
  if (err instanceof FeedError) {
    const detail = err.message || null;
    if (err.kind === "blocked") return { code: "feed_blocked", params: {}, message: "This feed's address is not allowed.", detail };
    if (err.kind === "not_a_feed") return { code: "feed_not_a_feed", params: {}, message: "This address does not give an RSS or Atom feed.", detail };
    return { code: "feed_unreachable", params: {}, message: "The feed could not be reached.", detail };
  }
  if (err instanceof SourceFailure) return { code: err.code, params: err.params, message: err.message, detail: null };
  return { code: "source_failed", params: {}, message: "Something went wrong while reading this source.", detail: err instanceof Error ? err.message || null : String(err) };
}

function formatDelay(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${Math.max(1, seconds)} seconds` : `${Math.round(seconds / 60)} minutes`;
}

function newest(isoDates: string[]): Date | null {
  let max = -Infinity;
  for (const d of isoDates) {
    const t = Date.parse(d);
    if (t > max) max = t;
  }
  return Number.isFinite(max) ? new Date(max) : null;
}

function feedPost(item: FeedItem, receivedAt: Date) {
  return {
    networkPostId: item.id,
    author: { networkAccountId: item.site, handle: item.site, displayName: item.site },
    text: item.text,
    lang: null,
    createdAt: (item.publishedAt && !Number.isNaN(item.publishedAt.getTime()) ? item.publishedAt : receivedAt).toISOString(),
    url: item.url,
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
