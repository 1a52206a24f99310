import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { createApp } from "../../http/app";
import { findSandboxAccount } from "../../networks/sandbox/network";
import { sandboxPosts } from "../../networks/sandbox/sandbox.schema";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import type { Connector } from "../../networks/types";
import { startPublisher, type Publisher } from "./index";
import { postTargets, publishingPauses } from "./publishing.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";

const POSTS = 60;
const LATENCY_MS = 25;

/** Invariant 5, under load: posts are being claimed and published by three workers when the pause comes. */
describeEachDatabase("pause under load", (kind) => {
  let services: TestServices;
  let publishers: Publisher[] = [];

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    // The real Sandbox, with a network's latency on every publish.
    const real = services.networks.connectorFor("sandbox");
    const slow: Connector = { ...real, publish: async (c, p) => (await new Promise((r) => setTimeout(r, LATENCY_MS)), real.publish!(c, p)) };
    services.networks.register(slow);
  });
  afterAll(async () => {
    await Promise.all(publishers.map((p) => p.stop()));
    await services.close();
  });

  it("no post starts after the pause command returns; none is lost or sent twice", async () => {
    const app = createApp(services);
    const { people } = await buildWorkspace(services);
    const admin = await signedInClient(app, people.admin);
    await seedSandboxNetwork(services.database.db, services.clock());
    const channelId = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" })).body.id;
    const accountId = (await findSandboxAccount(services.database.db, "emberoak"))!.id;
    const postIds: string[] = [];
    for (let i = 0; i < POSTS; i++) {
      const res = await admin.post("/api/v1/posts", { text: `Load post ${i}`, channels: [{ channelId }], scheduledAt: services.clock().toISOString() });
      expect(res.status, res.text).toBe(200);
      postIds.push(res.body.id);
    }
    const targets = () => services.database.db.select().from(postTargets).where(inArray(postTargets.postId, postIds));
    publishers = [0, 1, 2].map(() => startPublisher(services, { concurrency: 4, pollMs: 20 }));
    // Let them get going, then pause while posts are being claimed and published.
    for (let i = 0; i < 200 && (await targets()).filter((t) => t.status === "published").length < 10; i++) await new Promise((r) => setTimeout(r, 20));
    const paused = await admin.post("/api/v1/publishing/pauses", { reason: "Load test" });
    expect(paused.status, paused.text).toBe(200);
    const [pause] = await services.database.db.select().from(publishingPauses).where(eq(publishingPauses.id, paused.body.pause.id));
    // Keep the workers running a while: they must start nothing new.
    await new Promise((r) => setTimeout(r, 400));
    await Promise.all(publishers.map((p) => p.stop()));
    publishers = [];

    const after = await targets();
    const startedAfterPause = after.filter((t) => t.claimSeq !== null && t.claimSeq > pause.claimMark);
    expect(startedAfterPause).toEqual([]);
    const held = after.filter((t) => t.status === "held");
    const published = after.filter((t) => t.status === "published").length;
    expect(published).toBeGreaterThanOrEqual(10);
    expect(published).toBeLessThan(POSTS); // the pause came while there was work left
    expect(published + held.length).toBe(POSTS);
    expect(held.every((t) => t.heldReason === "paused")).toBe(true);
    // Every published post is on the network once, and nothing else of the batch is.
    const onNetwork = await services.database.db
      .select({ text: sandboxPosts.text, n: sql<number>`count(*)::int` })
      .from(sandboxPosts)
      .where(and(eq(sandboxPosts.accountId, accountId), sql`${sandboxPosts.text} like 'Load post %'`))
      .groupBy(sandboxPosts.text);
    expect(onNetwork.every((row) => Number(row.n) === 1)).toBe(true);
    expect(onNetwork.length).toBe(published);
    expect(await services.database.db.select().from(postTargets).where(and(inArray(postTargets.postId, postIds), gt(postTargets.attempts, 1)))).toEqual([]);
  });
});
