import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createListeningPipeline } from "../domains/listening/pipeline";
import { listeningSources, listeningStreams, mentionMatches, mentions } from "../domains/listening/listening.schema";
import { startSourceRunner } from "../domains/listening/sources";
import { runScenarioTick, SANDBOX_SCENARIOS } from "../networks/sandbox/scenarios";
import { describeEachDatabase } from "../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../test/support/services";
import { seedDemo } from "./seed-demo";
import { DEMO_STREAMS } from "./demo-listening";

describeEachDatabase("demo listening", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  beforeAll(async () => {
    services = await createTestServices(kind);
    ({ workspaceId } = await seedDemo(services));
  });
  afterAll(() => services.close());

  it("listens to the Sandbox through the brand's channel: a scenario's posts arrive in the brand, German/Persian and complaint streams", async () => {
    const db = services.database.db;
    const sources = await db.select().from(listeningSources).where(eq(listeningSources.workspaceId, workspaceId));
    expect(sources).toMatchObject([{ kind: "network_stream", name: "Sandbox · @emberoak", state: "running" }]);
    const streams = await db.select().from(listeningStreams).where(eq(listeningStreams.workspaceId, workspaceId));
    expect(streams.map((s) => s.name).sort()).toEqual(DEMO_STREAMS.map((s) => s.name).sort());
    const id = (name: string) => streams.find((s) => s.name === name)!.id;

    const pipeline = createListeningPipeline(services, { workers: 0, refreshMs: 0 });
    const runner = startSourceRunner(services, { pipeline, claimEveryMs: 100, batchMs: 50 });
    try {
      await new Promise((r) => setTimeout(r, 1000)); // connected (and backfilled) before the scenario plays
      for (let tick = 0; tick < 4; tick++) await runScenarioTick(db, SANDBOX_SCENARIOS.viral_complaint, new Date());
      const texts = async (stream: string) =>
        (await db.select({ text: mentions.text, lang: mentions.lang }).from(mentionMatches).innerJoin(mentions, eq(mentions.id, mentionMatches.mentionId)).where(eq(mentionMatches.streamId, id(stream))));
      const until = Date.now() + 15_000;
      while (Date.now() < until && !(await texts("Complaints")).some((m) => m.text.includes("Schimmel"))) await new Promise((r) => setTimeout(r, 100));
      expect((await texts("Ember & Oak")).some((m) => m.text.includes("MOULDY"))).toBe(true);
      const complaints = await texts("Complaints");
      expect(complaints.some((m) => m.text.includes("MOULDY"))).toBe(true);
      expect(complaints.some((m) => m.text.includes("Schimmel"))).toBe(true);
      const langs = new Set((await texts("Deutsch · فارسی")).map((m) => m.lang));
      expect([...langs].sort()).toEqual(["de", "fa"]);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(listeningSources).where(sql`${listeningSources.workspaceId} = ${workspaceId} and ${listeningSources.cursor} is not null`);
      expect(n).toBe(1);
    } finally {
      await runner.stop();
      await pipeline.close();
    }
  });
});
