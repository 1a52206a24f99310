// The publisher's throughput and the pause command's latency, as ratios and counts measured in one run.
// Run: npm run bench:publishing [-- pglite|postgres]   (postgres needs TEST_DATABASE_URL)
import { and, count, eq, gt, inArray } from "drizzle-orm";
import { freshDatabase, type DatabaseKind } from "../test/support/databases";
import { buildWorkspace } from "../test/support/factories";
import { unsafeSystemCtx } from "../src/server/context";
import { connectChannel } from "../src/server/domains/channels";
import { createPost, pausePublishing, startPublisher } from "../src/server/domains/publishing";
import { postTargets, publishingPauses } from "../src/server/domains/publishing/publishing.schema";
import { seedSandboxNetwork } from "../src/server/networks/sandbox/seed";
import type { Connector } from "../src/server/networks/types";
import { createTestServicesOn } from "./support";

const kind = (process.argv[2] ?? "pglite") as DatabaseKind;
const POSTS = 200;
const LATENCY_MS = 50;
const CONCURRENCY = 8;

const database = await freshDatabase(kind);
const services = await createTestServicesOn(database);
// The real Sandbox behind a network's round trip: every publish takes LATENCY_MS before the network answers.
const real = services.networks.connectorFor("sandbox");
const slow: Connector = { ...real, publish: async (c, p) => (await new Promise((r) => setTimeout(r, LATENCY_MS)), real.publish!(c, p)) };
services.networks.register(slow);
await seedSandboxNetwork(database.db, services.clock());
const { workspace } = await buildWorkspace(services, "Bench");
const ctx = unsafeSystemCtx(services, "bench", workspace.id);
const channel = await connectChannel(ctx, { network: "sandbox", input: { kind: "sandbox", handle: "emberoak" } });

async function duePosts(label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < POSTS; i++) ids.push((await createPost(ctx, { text: `${label} ${i}`, channels: [{ channelId: channel.id }], scheduledAt: new Date().toISOString() })).id);
  return ids;
}
const published = async (ids: string[]) =>
  (await database.db.select({ n: count() }).from(postTargets).where(and(inArray(postTargets.postId, ids), eq(postTargets.status, "published"))))[0].n;

// 1. Throughput: one publisher, CONCURRENCY posts in flight, until every post is out.
const batch = await duePosts("Throughput");
const started = performance.now();
const publisher = startPublisher(services, { concurrency: CONCURRENCY, pollMs: 5 });
while ((await published(batch)) < POSTS) await new Promise((r) => setTimeout(r, 5));
const elapsedMs = performance.now() - started;
await publisher.stop();
const idealMs = (POSTS * LATENCY_MS) / CONCURRENCY;

// 2. Pause under load: three publishers at work, pause in the middle.
const second = await duePosts("Pause");
const publishers = [0, 1, 2].map(() => startPublisher(services, { concurrency: CONCURRENCY, pollMs: 5 }));
while ((await published(second)) < POSTS / 4) await new Promise((r) => setTimeout(r, 2));
const pauseStart = performance.now();
const { pause } = await pausePublishing(ctx, { reason: "bench" });
const pauseLatencyMs = performance.now() - pauseStart;
await new Promise((r) => setTimeout(r, 500)); // the publishers keep looking: they must start nothing
await Promise.all(publishers.map((p) => p.stop()));
const [{ claimMark }] = await database.db.select({ claimMark: publishingPauses.claimMark }).from(publishingPauses).where(eq(publishingPauses.id, pause.id));
const startedAfterPause = (await database.db.select({ n: count() }).from(postTargets).where(and(inArray(postTargets.postId, second), gt(postTargets.claimSeq, claimMark))))[0].n;
const publishedBeforePause = await published(second);

const result = {
  database: kind,
  posts: POSTS,
  latency_ms: LATENCY_MS,
  concurrency: CONCURRENCY,
  throughput_per_s: Number(((POSTS / elapsedMs) * 1000).toFixed(1)),
  throughput_ratio: Number((idealMs / elapsedMs).toFixed(3)),
  pause_latency_ms: Number(pauseLatencyMs.toFixed(1)),
  published_before_pause: publishedBeforePause,
  started_after_pause: startedAfterPause,
};
console.log(`publishing on ${kind}: ${POSTS} posts, ${LATENCY_MS} ms network latency, ${CONCURRENCY} in flight`);
console.log(`  throughput: ${result.throughput_per_s}/s; ideal (posts × latency / concurrency) ${idealMs.toFixed(0)} ms, took ${elapsedMs.toFixed(0)} ms: ratio ${result.throughput_ratio}`);
console.log(`  pause with three publishers at work: returned in ${result.pause_latency_ms} ms; ${publishedBeforePause} of ${POSTS} had gone out; posts started after it returned: ${startedAfterPause}`);
console.log(JSON.stringify(result));
await services.close();
await database.close();
