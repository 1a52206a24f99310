// The listening pipeline end to end: Jetstream-shaped JSON lines → parse → tokenise → match 10,000 active streams →
// language and sentiment of the matched posts → stored in PostgreSQL and in PGlite (mentions, stream matches,
// per-minute counts, the source's cursor), as fast as the pipeline takes them. Also, in the same run, the bare
// JSON.parse rate of the same lines. Then, on each database, the same stream once more through the real worker
// (`startWorker`: pg-boss, the prompt impostor scans the pipeline asks for after each write): what the scans cost the
// pipeline, how fast they judge mentions against how fast the pipeline stores them, and whether the pipeline sheds
// while they run. Last line: one JSON object.
//
// Run: npm run bench:listening [-- --posts 100000 --queries 10000 --workers N --batch 500 --inflight 8 --db both|postgres|pglite
//      --match-share 0.02|all --scans on|off --max-queued 20000]   (or BENCH_MATCH_SHARE=0.02|all: the share of posts that mention a brand, see below)
// PostgreSQL: PARAPET_BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the dev server postgres://parapet@127.0.0.1:55432/postgres;
// a throwaway database is created there and dropped afterwards. Skipped (and said so) when none answers.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { eq, sql } from "drizzle-orm";
import { generateCorpus, generateQueries, type JetstreamPost, type ListeningCorpus } from "./lib/listening-corpus";
import { createTestServicesOn } from "./support";
import { freshDatabase } from "../test/support/databases";
import { buildWorkspace } from "../test/support/factories";
import { openDatabase, rowsOf, type Database } from "../src/server/db/client";
import { channels } from "../src/server/domains/channels/channels.schema";
import { unsafeScanImpostors, unsafeScanNewMentions } from "../src/server/domains/listening/impostors/scan-impostors";
import { impostorAccounts, impostorScanMarks, listeningSources, listeningStreams } from "../src/server/domains/listening/listening.schema";
import { createListeningPipeline, DEFAULT_WORKERS } from "../src/server/domains/listening/pipeline";
import { CompiledStreams } from "../src/server/domains/listening/pipeline/analyse-posts";
import type { BatchOutcome, IncomingPost, ListeningPipeline } from "../src/server/domains/listening/pipeline";
import { scanImpostors } from "../src/server/jobs/catalog";
import type { JobDefinition } from "../src/server/jobs/define-job";
import { startWorker, type Worker } from "../src/server/jobs/worker";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const POSTS = Number(arg("posts", "100000"));
const QUERIES = Number(arg("queries", "10000"));
const WORKERS = Number(arg("workers", String(DEFAULT_WORKERS)));
const BATCH = Number(arg("batch", "500"));
const INFLIGHT = Number(arg("inflight", "8"));
// The pipeline's own default: a quarter of it (what prompt impostor scans step aside beyond) stays above the
// BATCH × INFLIGHT posts the source keeps in hand, as a real source (one batch at a time) stays below it.
const MAX_QUEUED = Number(arg("max-queued", "20000"));
const DATABASES = arg("db", "both");
const SCANS = arg("scans", "on") !== "off";

// The share of posts that mention a brand (BENCH_MATCH_SHARE or --match-share; default 0.02, a firehose seen through
// brand streams: the rest is chatter that matches no stream), or "all": the matcher benchmark's corpus and queries,
// where 77% of posts match (3.8 streams each) — the worst case for storage and sentiment.
const MATCH_SHARE_ARG = arg("match-share", process.env.BENCH_MATCH_SHARE || "0.02");
const MATCH_SHARE = MATCH_SHARE_ARG === "all" ? undefined : Number(MATCH_SHARE_ARG);
if (MATCH_SHARE !== undefined && !(MATCH_SHARE >= 0 && MATCH_SHARE <= 1)) throw new Error(`BENCH_MATCH_SHARE must be a number from 0 to 1, or "all"; got ${MATCH_SHARE_ARG}`);

const loadAtStart = os.loadavg()[0];
const corpus = generateCorpus(POSTS, { matchShare: MATCH_SHARE });
const lines = corpus.posts.map((p) => JSON.stringify(p));
const megabytes = lines.reduce((n, l) => n + l.length, 0) / 1e6;
const queryTexts = generateQueries(QUERIES, { brands: corpus.brands, brandOnly: MATCH_SHARE !== undefined });
const warmup = generateCorpus(Math.max(WORKERS, 1) * 50, { seed: 99 });

// 1. The bare JSON.parse rate of the same lines (wall clock, one thread, warmed up).
let sink = 0;
for (let i = 0; i < Math.min(5_000, lines.length); i++) sink += (JSON.parse(lines[i]) as JetstreamPost).commit.record.text.length;
const parseStart = performance.now();
for (const line of lines) sink += (JSON.parse(line) as JetstreamPost).commit.record.text.length;
const parsePerS = (lines.length / (performance.now() - parseStart)) * 1000;

// 2. The CPU stage alone (tokenise, match, and language + sentiment of matched posts) on this thread, on a slice:
//    what one core can do before any database is involved.
const STAGE_POSTS = Math.min(20_000, lines.length);
const stage = new CompiledStreams();
stage.apply({ workspaceId: "bench", upsert: queryTexts.map((query, i) => ({ id: `q${i}`, query })), remove: [] });
const stageInputs = corpus.posts.slice(0, STAGE_POSTS).map((p) => ({ text: p.commit.record.text, lang: p.commit.record.langs?.[0] ?? null, network: "bluesky", author: corpus.handles.get(p.did) ?? p.did }));
stage.analyse("bench", stageInputs.slice(0, 2_000)); // warm-up, and the matcher learns its words' frequencies
const stageStart = performance.now();
const stageMatched = stage.analyse("bench", stageInputs).length;
const stagePerS = (STAGE_POSTS / (performance.now() - stageStart)) * 1000;

/** What a Jetstream source hands to the pipeline for one line. */
function toIncoming(c: ListeningCorpus, line: string, receivedAt: Date, idPrefix = ""): IncomingPost {
  const event = JSON.parse(line) as JetstreamPost;
  const handle = c.handles.get(event.did) ?? event.did;
  const record = event.commit.record;
  return {
    network: "bluesky",
    receivedAt,
    post: {
      networkPostId: `${idPrefix}at://${event.did}/app.bsky.feed.post/${event.commit.rkey}`,
      author: { networkAccountId: event.did, handle, displayName: handle.split(".")[0] },
      text: record.text,
      lang: record.langs?.[0] ?? null,
      createdAt: record.createdAt,
      url: `https://bsky.app/profile/${handle}/post/${event.commit.rkey}`,
    },
  };
}

async function postgresUrl(): Promise<string | null> {
  const url = process.env.PARAPET_BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://parapet@127.0.0.1:55432/postgres";
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return url;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

type Run = {
  database: "postgres" | "pglite";
  posts_per_s: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  matched_posts: number;
  stored_mentions: number;
  stored_matches: number;
  shed: number;
  cpu_s: number;
  seconds: number;
  /** Share of the run the writer spent in storing transactions, and the rows it wrote per second of that time. */
  writer_busy: number;
  write_rows_per_s: number;
  /** Storing transactions (each with the cursor; consecutive finished batches are written together). */
  writes: number;
  /** Most posts waiting in the pipeline at once (sampled at each submit), and the limit beyond which it sheds. */
  max_queued: number;
  max_queued_allowed: number;
  /**
   * The longest gap (ms) between two runs of a 100 ms JavaScript interval on the main thread during the run (or from
   * the last one to the run's end): how late a JS timer — the prompt scan's debounced request, pg-boss's polling — can
   * be while the pipeline stores. (Node's event-loop delay monitor does not show it: on PGlite it stayed at 15–30 ms
   * while JS timers waited for the whole run.)
   */
  timer_gap_max_ms: number;
  /** With the worker's prompt impostor scans running beside the pipeline (the second run on each database). */
  scans?: ScanFigures;
};

type ScanFigures = {
  /** Prompt scans that ran while the stream was read, and those that stepped aside because storing was behind. */
  prompt_scans: number;
  stepped_aside: number;
  /** The schedule's safety-net runs in the same time (every 5 minutes: usually none). */
  scheduled_scans: number;
  mentions_judged: number;
  /** Time in scans (wall clock, sharing the main thread with the pipeline's writes), and mentions judged per second of it. */
  scan_seconds: number;
  judged_per_s: number;
  /** Mentions the pipeline stored per second of the run: what the scans have to keep up with. */
  stored_per_s: number;
  /** From the last batch stored to every stored mention judged. */
  all_judged_after_s: number;
  /** One prompt scan over every stored mention afterwards, with nothing else running (the mark reset). */
  alone_judged_per_s: number;
  suspects: number;
};

/** The impostor scan as the catalog runs it, timed: a run with a workspace is a prompt scan, one without the schedule's. */
function timedScanJob(figures: { prompt: { ms: number; mentions: number }[]; scheduled: number }): JobDefinition {
  return {
    ...scanImpostors,
    run: async (services, request) => {
      if (typeof request?.workspaceId !== "string") {
        figures.scheduled++;
        return unsafeScanImpostors(services);
      }
      const started = performance.now();
      const result = await unsafeScanNewMentions(services, request.workspaceId);
      figures.prompt.push({ ms: performance.now() - started, mentions: result.mentions });
    },
  };
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000) {
  for (const until = Date.now() + timeoutMs; !(await probe()); ) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function run(kind: "postgres" | "pglite", withScans: boolean): Promise<Run> {
  let database: Database & { url?: string };
  let dataDir: string | null = null;
  if (kind === "postgres") database = await freshDatabase("postgres");
  else {
    // On disk: PGlite's in-memory store slows down as it grows (../shared/notes/listening-performance.md).
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parapet-bench-listening-"));
    database = await openDatabase({ dataDir });
    await database.migrate();
  }
  // On PostgreSQL the worker's pg-boss gets its own connections, as `parapet worker` does.
  const services = await createTestServicesOn(database, database.url ? { DATABASE_URL: database.url } : {});
  const { workspace } = await buildWorkspace(services, "Bench");
  const db = database.db;
  for (let i = 0; i < queryTexts.length; i += 1_000)
    await db.insert(listeningStreams).values(queryTexts.slice(i, i + 1_000).map((query, k) => ({ workspaceId: workspace.id, name: `Stream ${i + k}`, query })));
  // Stopped: the benchmark is the source; the worker's source runner leaves it alone.
  const [{ id: sourceId }] = await db.insert(listeningSources).values({ workspaceId: workspace.id, kind: "network_stream", name: "Jetstream", state: "stopped" }).returning();
  // The brand's own accounts, which the impostor scan judges every author against: five of the corpus's brand
  // accounts (every 50th author posts as a brand), among them the most mentioned brand.
  const own = [...corpus.handles].filter(([, handle]) => !handle.startsWith("user")).slice(0, 5);
  await db.insert(channels).values(own.map(([did, handle]) => ({ workspaceId: workspace.id, network: "bluesky", networkAccountId: did, handle, displayName: handle.split(".")[0], credentials: services.secrets.seal("{}") })));

  let writeMs = 0;
  let writeRows = 0;
  let writes = 0;
  let timing = false;
  const pipelineOptions = {
    workers: WORKERS,
    maxQueued: MAX_QUEUED,
    refreshMs: 60_000,
    onWrite: (w: { ms: number; posts: number; matches: number }) => {
      if (!timing) return;
      writeMs += w.ms;
      writes += 1;
      writeRows += w.posts + w.matches;
    },
  };
  const scanFigures = { prompt: [] as { ms: number; mentions: number }[], scheduled: 0 };
  let worker: Worker | null = null;
  let pipeline: ListeningPipeline;
  if (withScans) {
    worker = await startWorker(services, [timedScanJob(scanFigures)], { pipeline: pipelineOptions });
    pipeline = worker.pipeline;
  } else pipeline = createListeningPipeline(services, pipelineOptions);
  // Warm-up (not timed): every worker compiles the 10,000 streams before the first timed batch.
  const warmLines = warmup.posts.map((p) => JSON.stringify(p));
  const per = Math.ceil(warmLines.length / Math.max(WORKERS, 1));
  await Promise.all(
    Array.from({ length: Math.max(WORKERS, 1) }, (_, w) =>
      pipeline.submit({ workspaceId: workspace.id, sourceId, posts: warmLines.slice(w * per, (w + 1) * per).map((l) => toIncoming(warmup, l, new Date(), "warmup:")), position: null }),
    ),
  );
  if (withScans) await waitUntil("the warm-up's scan", async () => scanFigures.prompt.length > 0);
  const scansBefore = { runs: scanFigures.prompt.length, jobs: withScans ? await promptScanJobs(database, workspace.id) : 0 };

  // 2. The source: parses each line as it "arrives", submits batches of BATCH, keeps INFLIGHT batches in hand.
  const latencies = new Float64Array(lines.length);
  let matched = 0;
  let shed = 0;
  let maxQueued = 0;
  const inflight: Promise<void>[] = [];
  timing = true;
  let lastTick = performance.now();
  let timerGap = 0;
  const ticker = setInterval(() => {
    timerGap = Math.max(timerGap, performance.now() - lastTick);
    lastTick = performance.now();
  }, 100);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < lines.length; i += BATCH) {
    const arrivals: number[] = [];
    const posts: IncomingPost[] = [];
    for (let j = i; j < Math.min(i + BATCH, lines.length); j++) {
      arrivals.push(performance.now());
      posts.push(toIncoming(corpus, lines[j], new Date()));
    }
    const last = JSON.parse(lines[Math.min(i + BATCH, lines.length) - 1]) as JetstreamPost;
    const first = i;
    inflight.push(
      pipeline
        .submit({ workspaceId: workspace.id, sourceId, posts, position: { cursor: String(last.time_us), lastItemAt: new Date(last.time_us / 1000) } })
        .then((outcome: BatchOutcome) => {
          const done = performance.now();
          for (let k = 0; k < arrivals.length; k++) latencies[first + k] = done - arrivals[k];
          matched += outcome.matched;
          shed += outcome.shed;
        }),
    );
    maxQueued = Math.max(maxQueued, pipeline.load().queued);
    if (inflight.length >= INFLIGHT) await inflight.shift();
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(ticker);
  timerGap = Math.max(timerGap, performance.now() - lastTick);
  const allStored = performance.now();

  let scans: ScanFigures | undefined;
  if (worker) {
    // The last batches' scan comes when the debounce is up; then every stored mention has been judged once.
    const [{ total }] = rowsOf<{ total: number }>(await db.execute(sql`select count(*)::int as total from mentions where workspace_id = ${workspace.id}`));
    const judgedSoFar = () => scanFigures.prompt.reduce((n, scan) => n + scan.mentions, 0);
    await waitUntil("every stored mention judged", async () => judgedSoFar() >= total);
    const allJudged = performance.now();
    const during = scanFigures.prompt.slice(scansBefore.runs);
    const jobs = (await promptScanJobs(database, workspace.id)) - scansBefore.jobs;
    await worker.stop();
    const scanSeconds = during.reduce((n, scan) => n + scan.ms, 0) / 1000;
    const judged = during.reduce((n, scan) => n + scan.mentions, 0);
    // Alone: the workspace's mark reset, one prompt scan judges every mention stored (all within its first 15 minutes).
    await db.delete(impostorScanMarks).where(eq(impostorScanMarks.workspaceId, workspace.id));
    const aloneStarted = performance.now();
    const alone = await unsafeScanNewMentions(services, workspace.id);
    const aloneSeconds = (performance.now() - aloneStarted) / 1000;
    if (alone.mentions !== total) throw new Error(`the scan alone judged ${alone.mentions} mentions, not the ${total} stored`);
    const suspects = await db.$count(impostorAccounts, eq(impostorAccounts.workspaceId, workspace.id));
    const [{ storedInRun }] = rowsOf<{ storedInRun: number }>(
      await db.execute(sql`select count(*)::int as "storedInRun" from mentions where workspace_id = ${workspace.id} and network_post_id not like 'warmup:%'`),
    );
    scans = {
      prompt_scans: during.length,
      stepped_aside: Math.max(0, jobs - during.length),
      scheduled_scans: scanFigures.scheduled,
      mentions_judged: judged,
      scan_seconds: Number(scanSeconds.toFixed(2)),
      judged_per_s: Math.round(judged / scanSeconds),
      stored_per_s: Math.round(storedInRun / seconds),
      all_judged_after_s: Number(((allJudged - allStored) / 1000).toFixed(1)),
      alone_judged_per_s: Math.round(alone.mentions / aloneSeconds),
      suspects,
    };
  } else await pipeline.close();

  const [counts] = rowsOf<{ mentions: number; matches: number; cursor: string }>(
    await db.execute(sql`select (select count(*)::int from mentions where network_post_id not like 'warmup:%') as mentions,
      (select count(*)::int from mention_matches mm join mentions m on m.id = mm.mention_id where m.network_post_id not like 'warmup:%') as matches,
      (select cursor from listening_sources where id = ${sourceId}) as cursor`),
  );
  if (counts.cursor !== String((JSON.parse(lines[lines.length - 1]) as JetstreamPost).time_us)) throw new Error(`the source's cursor is ${counts.cursor}, not the last post's`);
  await services.close();
  await database.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });

  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1));
  return {
    database: kind,
    posts_per_s: Math.round(lines.length / seconds),
    p50_ms: q(0.5),
    p99_ms: q(0.99),
    max_ms: Number(sorted[sorted.length - 1].toFixed(1)),
    matched_posts: matched,
    stored_mentions: counts.mentions,
    stored_matches: counts.matches,
    shed,
    cpu_s: Number(((used.user + used.system) / 1e6).toFixed(1)),
    seconds: Number(seconds.toFixed(2)),
    writer_busy: Number((writeMs / 1000 / seconds).toFixed(2)),
    write_rows_per_s: Math.round(writeRows / (writeMs / 1000)),
    writes,
    max_queued: maxQueued,
    max_queued_allowed: pipelineOptions.maxQueued,
    timer_gap_max_ms: Math.round(timerGap),
    ...(scans ? { scans } : {}),
  };
}

/** The prompt scans of a workspace the pipeline asked pg-boss for so far (each one ran or stepped aside). */
async function promptScanJobs(database: Database, workspaceId: string): Promise<number> {
  const [row] = await database.query<{ n: number }>("select count(*)::int as n from pgboss.job where name = $1 and data->>'workspaceId' = $2", [scanImpostors.name, workspaceId]);
  return row.n;
}

const runs: Run[] = [];
let skipped: string | null = null;
const measure = async (kind: "postgres" | "pglite") => {
  runs.push(await run(kind, false));
  if (SCANS) runs.push(await run(kind, true));
};
if (DATABASES === "both" || DATABASES === "postgres") {
  const url = await postgresUrl();
  if (url) {
    process.env.TEST_DATABASE_URL = url; // freshDatabase creates (and drops) a throwaway database there
    await measure("postgres");
  } else skipped = "PostgreSQL: no server answered (PARAPET_BENCH_DATABASE_URL, TEST_DATABASE_URL or 127.0.0.1:55432): skipped";
}
if (DATABASES === "both" || DATABASES === "pglite") await measure("pglite");

console.log(
  `listening pipeline: ${POSTS} Jetstream-shaped posts (${megabytes.toFixed(1)} MB, 10 languages), ${QUERIES} active streams, ` +
    `${MATCH_SHARE === undefined ? "all-matching corpus" : `${MATCH_SHARE * 100}% of posts mention a brand`}, ${WORKERS} worker thread(s) on ${os.availableParallelism()} cores, batches of ${BATCH}, ${INFLIGHT} in flight; machine load (1-minute average) ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end`,
);
console.log(`  JSON.parse alone: ${Math.round(parsePerS)} posts/s; the CPU stage alone on one thread: ${Math.round(stagePerS)} posts/s (${((stageMatched / STAGE_POSTS) * 100).toFixed(0)}% of posts match a stream)`);
for (const r of runs) {
  const plain = runs.find((other) => other.database === r.database && !other.scans)!;
  const s = r.scans;
  console.log(
    s
      ? `  ${r.database}, with the worker's prompt impostor scans: ${r.posts_per_s} posts/s end to end (${(r.posts_per_s / plain.posts_per_s).toFixed(2)} of the run without); p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms; ${r.shed} shed, ` +
          `at most ${r.max_queued} posts waiting (sheds beyond ${r.max_queued_allowed}, scans step aside beyond ${r.max_queued_allowed / 4}); a 100 ms JS timer waited up to ${r.timer_gap_max_ms} ms; ` +
          `${s.prompt_scans} prompt scans (${s.stepped_aside} stepped aside, ${s.scheduled_scans} scheduled) judged ${s.mentions_judged} mentions in ${s.scan_seconds} s: ${s.judged_per_s} mentions/s, ` +
          `${(s.judged_per_s / s.stored_per_s).toFixed(1)}× the pipeline's storing rate (${s.stored_per_s} mentions/s); every mention judged ${s.all_judged_after_s} s after the last was stored; ` +
          `one scan alone afterwards: ${s.alone_judged_per_s} mentions/s (${(s.alone_judged_per_s / s.stored_per_s).toFixed(1)}× the storing rate); ${s.suspects} suspects`
      : `  ${r.database}: ${r.posts_per_s} posts/s end to end (${r.seconds} s, ${r.cpu_s} s CPU in this process); arrival → stored p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms; ` +
          `${r.matched_posts} posts matched (${((r.matched_posts / POSTS) * 100).toFixed(1)}%), ${r.stored_mentions} mentions and ${r.stored_matches} stream matches stored; ${r.shed} shed; ` +
          `the writer was busy ${Math.round(r.writer_busy * 100)}% of the time (${r.writes} transactions, ${Math.round((r.writer_busy * r.seconds * 1000) / Math.max(r.writes, 1))} ms each), at ${r.write_rows_per_s} rows/s; ` +
          `a 100 ms JS timer waited up to ${r.timer_gap_max_ms} ms`,
  );
}
if (skipped) console.log(`  ${skipped}`);
// Every run must have stored exactly the same (the pipeline is deterministic for one corpus and one set of streams).
const differ = runs.some((r) => r.stored_mentions !== runs[0].stored_mentions || r.stored_matches !== runs[0].stored_matches);
if (differ) {
  console.log("  the runs stored different numbers of mentions or matches");
  process.exitCode = 1;
}
const main = runs.find((r) => r.database === "postgres" && !r.scans) ?? runs[0];
const result = {
  posts: POSTS,
  queries: QUERIES,
  workers: WORKERS,
  cores: os.availableParallelism(),
  posts_per_s: main?.posts_per_s ?? null,
  parse_posts_per_s: Math.round(parsePerS),
  stage_posts_per_s: Math.round(stagePerS),
  match_share: MATCH_SHARE ?? "all",
  matched_share: Number((stageMatched / STAGE_POSTS).toFixed(3)),
  p99_ms: main?.p99_ms ?? null,
  load: [Number(loadAtStart.toFixed(1)), Number(os.loadavg()[0].toFixed(1))],
  database: main?.database ?? null,
  postgres: runs.find((r) => r.database === "postgres" && !r.scans) ?? (skipped ? { skipped } : null),
  pglite: runs.find((r) => r.database === "pglite" && !r.scans) ?? null,
  postgres_with_scans: runs.find((r) => r.database === "postgres" && r.scans) ?? null,
  pglite_with_scans: runs.find((r) => r.database === "pglite" && r.scans) ?? null,
};
console.log(JSON.stringify(result));
if (sink < 0) console.log(sink);
