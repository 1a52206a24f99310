// The listening pipeline: sources submit batches of posts; each batch is tokenised and matched against the
// workspace's active streams (compiled once, recompiled when streams change), matched posts get a fingerprint, a
// language and a sentiment, and the main thread stores them with the source's cursor (storeMatches), in the order
// the batches came in. The CPU stage runs in worker threads (or in-process, `workers: 0`); the queue is bounded:
// beyond `maxQueued` waiting posts, new posts are shed, counted per source and reported — never an unbounded queue.
// docs/listening.md, "Pipeline".
import os from "node:os";
import { sql } from "drizzle-orm";
import type { Services } from "../../../context";
import type { Database, Db } from "../../../db/client";
import type { Logger } from "../../../log";
import { CompiledStreams, type AnalysedPost, type PostInput, type StreamChanges } from "./analyse-posts";
import { NearDuplicates } from "./near-duplicates";
import { storeMatches, type MatchedPost, type SourcePosition } from "./store-matches";
import { StreamCatalog } from "./stream-catalog";
import type { BatchOutcome, IncomingPost, ListeningPipeline, SourceBatch } from "./types";
import { WorkerPool } from "./worker-pool";

export type ListeningPipelineOptions = {
  /** Worker threads for the CPU stage; 0 runs it in this thread. Default: see DEFAULT_WORKERS. */
  workers?: number;
  /** Posts accepted but not yet stored, beyond which new posts are shed. Default 20,000. */
  maxQueued?: number;
  /** How often (at most) a workspace's streams are checked for changes, in ms. Default 2,000. */
  refreshMs?: number;
  /** Same fingerprint within this window (by arrival) → near-duplicate. Default 30 minutes. */
  duplicateWindowMs?: number;
  /** Fingerprints remembered at most (oldest forgotten first). Default 200,000 (≈ 30 MB). */
  duplicateCapacity?: number;
  /** Most matched posts written in one transaction (consecutive batches are written together). Default 5,000. */
  maxWritePosts?: number;
  log?: Logger;
  /** Called after each write with how long it took and what it wrote (for the benchmark and metrics). */
  onWrite?: (write: { ms: number; batches: number; posts: number; matches: number }) => void;
  /**
   * Called after each write with the workspaces that got new mentions (the worker asks for an impostor scan). It must
   * return at once: the next write waits for it.
   */
  onStored?: (workspaceIds: Set<string>) => void;
};

/** Worker threads by default: every core but one, which the main thread needs for parsing and writing; at least one. */
export const DEFAULT_WORKERS = Math.max(1, os.availableParallelism() - 1);

/** The CPU stage, in this thread or in workers. `apply` takes effect before any later `analyse`. */
export interface Analyser {
  apply(changes: StreamChanges): void;
  analyse(workspaceId: string, posts: PostInput[]): Promise<AnalysedPost[]>;
  close(): Promise<void>;
}

/** The CPU stage in this thread. */
export function inProcessAnalyser(): Analyser {
  const streams = new CompiledStreams();
  return {
    apply: (changes) => void streams.apply(changes),
    analyse: async (workspaceId, posts) => streams.analyse(workspaceId, posts),
    close: async () => {},
  };
}

type Job = {
  batch: SourceBatch;
  accepted: IncomingPost[];
  shed: number;
  analysed?: AnalysedPost[];
  failed?: unknown;
  done: boolean;
  resolve: (outcome: BatchOutcome) => void;
  reject: (err: unknown) => void;
};

export class PipelineClosedError extends Error {
  constructor() {
    super("the listening pipeline is closed");
  }
}

/** Creates the pipeline over services (or a database handle). */
export function createListeningPipeline(target: Services | Database | Db, options: ListeningPipelineOptions = {}): ListeningPipeline {
  const db: Db = "database" in target ? target.database.db : "kind" in target && "db" in target ? target.db : (target as Db);
  const log = options.log ?? ("log" in target ? (target as Services).log : undefined);
  const maxQueued = options.maxQueued ?? 20_000;
  const maxWritePosts = options.maxWritePosts ?? 5_000;
  const workers = options.workers ?? DEFAULT_WORKERS;
  const analyser =
    workers > 0
      ? new WorkerPool(workers, undefined, (err) => log?.error({ err }, "listening pipeline: worker threads cannot start; the CPU stage runs in the main thread"))
      : inProcessAnalyser();
  const catalog = new StreamCatalog(db, options.refreshMs ?? 2_000);
  const duplicates = new NearDuplicates(options.duplicateWindowMs ?? 30 * 60_000, options.duplicateCapacity ?? 200_000);

  const queue: Job[] = [];
  /** Per workspace: the last stream check, so checks and the changes they bring happen in batch order. */
  const ready = new Map<string, Promise<void>>();
  let queued = 0;
  let shedTotal = 0;
  let writing = false;
  let closed = false;
  let idle: (() => void) | null = null;
  let drained: Promise<void> | null = null;

  function prepare(workspaceId: string): Promise<void> {
    const next = (ready.get(workspaceId) ?? Promise.resolve()).then(async () => {
      const changes = await catalog.changes(workspaceId);
      if (changes) analyser.apply(changes);
    });
    ready.set(workspaceId, next.catch(() => undefined));
    return next;
  }

  async function analyseJob(job: Job) {
    try {
      await prepare(job.batch.workspaceId);
      if (job.accepted.length) {
        const inputs: PostInput[] = job.accepted.map(({ network, post }) => ({ text: post.text, lang: post.lang, network, author: post.author.handle }));
        job.analysed = await analyser.analyse(job.batch.workspaceId, inputs);
      } else job.analysed = [];
    } catch (err) {
      job.failed = err;
    }
    job.done = true;
    void pump();
  }

  /** Writes finished batches from the head of the queue, in order, several at a time. */
  async function pump(): Promise<void> {
    if (writing) return;
    writing = true;
    try {
      while (queue.length && queue[0].done) {
        const head = queue[0];
        if (head.failed !== undefined) {
          queue.shift();
          queued -= head.accepted.length;
          head.reject(head.failed);
          continue;
        }
        const jobs: Job[] = [];
        let posts = 0;
        while (queue.length && queue[0].done && queue[0].failed === undefined && (jobs.length === 0 || posts + queue[0].analysed!.length <= maxWritePosts)) {
          const job = queue.shift()!;
          posts += job.analysed!.length;
          jobs.push(job);
        }
        await write(jobs);
        // Back-to-back PGlite queries never yield to the event loop (they answer through promises only): without this,
        // this thread's timers — the impostor scan's request, pg-boss's polling — wait until a burst is stored.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      writing = false;
      if (queue.length === 0 && idle) idle();
    }
  }

  async function write(jobs: Job[]) {
    const matched: MatchedPost[] = [];
    const owners: Array<{ job: Job; posts: MatchedPost[] }> = [];
    const seen = new Set<string>();
    const positions: SourcePosition[] = [];
    const shedBySource = new Map<string, number>();
    for (const job of jobs) {
      const { batch } = job;
      const mine: MatchedPost[] = [];
      for (const a of job.analysed!) {
        const incoming = job.accepted[a.index];
        const { post } = incoming;
        const key = `${batch.workspaceId} ${incoming.network} ${post.networkPostId}`;
        if (seen.has(key)) continue; // the same post twice in what is written together: once
        seen.add(key);
        const postedAt = new Date(post.createdAt);
        const m: MatchedPost = {
          workspaceId: batch.workspaceId,
          sourceId: batch.sourceId,
          network: incoming.network,
          networkPostId: post.networkPostId,
          url: post.url,
          authorHandle: post.author.handle,
          authorName: post.author.displayName || null,
          text: post.text,
          lang: a.lang,
          langSource: a.langSource,
          sentiment: a.sentiment,
          sentimentScore: a.sentimentScore,
          fingerprint: a.fingerprint,
          nearDuplicate: duplicates.check(batch.workspaceId, a.fingerprint, a.fingerprintWords, key, incoming.receivedAt),
          postedAt: Number.isNaN(postedAt.getTime()) ? incoming.receivedAt : postedAt,
          receivedAt: incoming.receivedAt,
          streamIds: a.streamIds,
        };
        matched.push(m);
        mine.push(m);
      }
      owners.push({ job, posts: mine });
      if (batch.position) positions.push({ sourceId: batch.sourceId, ...batch.position });
      if (job.shed) shedBySource.set(batch.sourceId, (shedBySource.get(batch.sourceId) ?? 0) + job.shed);
    }
    try {
      const started = performance.now();
      let result: Awaited<ReturnType<typeof storeMatches>>;
      if (shedBySource.size === 0) result = await storeMatches(db, matched, positions);
      else
        result = await db.transaction(async (tx) => {
          const stored = await storeMatches(tx, matched, positions);
          for (const [sourceId, n] of shedBySource) await tx.execute(sql`update listening_sources set shed_count = shed_count + ${n} where id = ${sourceId}`);
          return stored;
        });
      options.onWrite?.({ ms: performance.now() - started, batches: jobs.length, posts: result.stored, matches: result.matches });
      const storedIn = new Set<string>();
      for (const { job, posts } of owners) {
        queued -= job.accepted.length;
        const stored = posts.filter((p) => result.storedPosts.has(p)).length;
        if (stored) storedIn.add(job.batch.workspaceId);
        job.resolve({ received: job.batch.posts.length, matched: job.analysed!.length, stored, shed: job.shed });
      }
      if (storedIn.size && options.onStored) {
        try {
          options.onStored(storedIn);
        } catch (err) {
          log?.warn({ err }, "listening pipeline: a listener of stored mentions failed");
        }
      }
    } catch (err) {
      log?.warn({ err, batches: jobs.length }, "listening pipeline: storing a batch failed");
      for (const { job } of owners) {
        queued -= job.accepted.length;
        job.reject(err);
      }
    }
  }

  return {
    submit(batch: SourceBatch): Promise<BatchOutcome> {
      if (closed) return Promise.reject(new PipelineClosedError());
      const room = Math.max(0, maxQueued - queued);
      const accepted = batch.posts.length <= room ? batch.posts : batch.posts.slice(0, room);
      const shed = batch.posts.length - accepted.length;
      if (shed) {
        shedTotal += shed;
        log?.warn({ sourceId: batch.sourceId, shed, queued, maxQueued }, "listening pipeline overloaded: posts shed");
      }
      queued += accepted.length;
      return new Promise<BatchOutcome>((resolve, reject) => {
        const job: Job = { batch, accepted, shed, done: false, resolve, reject };
        queue.push(job);
        void analyseJob(job);
      });
    },
    load: () => ({ queued, shed: shedTotal, maxQueued }),
    close() {
      closed = true;
      drained ??= (async () => {
        if (queue.length || writing) await new Promise<void>((resolve) => (idle = resolve));
        await analyser.close();
      })();
      return drained;
    },
  };
}
