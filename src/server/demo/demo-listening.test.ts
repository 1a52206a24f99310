import { and, eq, gte, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createListeningPipeline } from "../domains/listening/pipeline";
import { listeningAlerts, listeningSources, listeningStreams, mentionMatches, mentions, streamMinuteCounts } from "../domains/listening/listening.schema";
import { unsafeJudgeStreams } from "../domains/listening/alerts/judge-streams";
import { judgeWindow, historyStart } from "../domains/listening/alerts/spike-detection";
import { createSandboxPost, findSandboxAccount } from "../networks/sandbox/network";
import { startSourceRunner } from "../domains/listening/sources";
import { runScenarioTick, SANDBOX_SCENARIOS } from "../networks/sandbox/scenarios";
import { describeEachDatabase } from "../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../test/support/services";
import { seedDemo } from "./seed-demo";
import { DEMO_HISTORY_WEEKS, DEMO_STREAMS, demoHistory } from "./demo-listening";

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
      // Only what this scenario posts now counts: the demo's finished drill stored the same complaints 12 days ago.
      const started = new Date(Date.now() - 1000);
      for (let tick = 0; tick < 4; tick++) await runScenarioTick(db, SANDBOX_SCENARIOS.viral_complaint, new Date());
      const texts = async (stream: string) =>
        await db
          .select({ text: mentions.text, lang: mentions.lang })
          .from(mentionMatches)
          .innerJoin(mentions, eq(mentions.id, mentionMatches.mentionId))
          .where(and(eq(mentionMatches.streamId, id(stream)), gte(mentionMatches.postedAt, started)));
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

describeEachDatabase("demo listening history", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  beforeAll(async () => {
    services = await createTestServices(kind);
    ({ workspaceId } = await seedDemo(services));
  });
  afterAll(() => services.close());

  it("is deterministic, low and shaped by the hour of the week", () => {
    const now = new Date("2026-11-23T09:00:00Z");
    const rows = demoHistory(["a", "b", "c"], now);
    expect(demoHistory(["a", "b", "c"], now)).toEqual(rows);
    const brand = rows.filter((r) => r.streamId === "a");
    const weeks = DEMO_HISTORY_WEEKS;
    expect(rows.every((r) => r.minute < now && r.minute.getTime() >= now.getTime() - weeks * 7 * 86_400_000)).toBe(true);
    // A handful of mentions an hour: busier by day than by night, the other streams quieter than the brand's.
    expect(brand.length / (weeks * 7 * 24)).toBeGreaterThan(2);
    expect(brand.length / (weeks * 7 * 24)).toBeLessThan(6);
    const at = (from: number, to: number) => brand.filter((r) => r.minute.getUTCHours() >= from && r.minute.getUTCHours() < to).length;
    expect(at(9, 12)).toBeGreaterThan(5 * at(1, 4));
    expect(rows.filter((r) => r.streamId === "c").length).toBeLessThan(brand.length / 4);
    const negative = brand.filter((r) => r.negative).length / brand.length;
    expect(negative).toBeGreaterThan(0.05);
    expect(negative).toBeLessThan(0.2);
  });

  it("gives the demo's streams a baseline: the viral complaint's first tick, played through the source runner and pipeline, raises one spike alert on the brand stream at the next minute's judging", async () => {
    const db = services.database.db;
    const streams = await db.select().from(listeningStreams).where(eq(listeningStreams.workspaceId, workspaceId));
    const id = (name: string) => streams.find((s) => s.name === name)!.id;
    const brand = id("Ember & Oak");
    const [{ rows }] = await db.select({ rows: sql<number>`count(*)::int` }).from(streamMinuteCounts).where(eq(streamMinuteCounts.streamId, brand));
    expect(rows).toBeGreaterThan(1000);
    // Before anything happens, the history alone is judged ordinary.
    expect(await unsafeJudgeStreams(services)).toMatchObject({ raised: 0 });

    const started = services.clock();
    const pipeline = createListeningPipeline(services, { workers: 0, refreshMs: 0 });
    const runner = startSourceRunner(services, { pipeline, claimEveryMs: 100, batchMs: 50 });
    try {
      // Connected: a post that mentions no stream moves the source's cursor once the runner reads the live stream.
      const probeBy = (await findSandboxAccount(db, "maya_collins"))!.id;
      const connected = async () => (await db.select({ cursor: listeningSources.cursor }).from(listeningSources).where(eq(listeningSources.workspaceId, workspaceId)))[0]?.cursor != null;
      for (let probe = 0; !(await connected()); probe++) {
        expect(probe).toBeLessThan(60);
        await createSandboxPost(db, probeBy, { text: `just a walk in the park ${probe}`, lang: "en", createdAt: services.clock() });
        const until = Date.now() + 500;
        while (Date.now() < until && !(await connected())) await new Promise((r) => setTimeout(r, 50));
      }

      // The first tick alone: a person playing the scenario sees the spike soon after starting, not minutes later.
      const scenario = SANDBOX_SCENARIOS.viral_complaint;
      const posted = scenario.ticks[0].filter((b) => "post" in b).length;
      await runScenarioTick(db, scenario, services.clock(), { run: "history" });
      services.clock.advance(20_000);
      const brandMatches = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(mentionMatches).where(and(eq(mentionMatches.streamId, brand), sql`${mentionMatches.postedAt} >= ${started.toISOString()}`)))[0].n;
      const until = Date.now() + 30_000;
      while (Date.now() < until && (await brandMatches()) < posted) await new Promise((r) => setTimeout(r, 100));
      expect(await brandMatches()).toBe(posted);
    } finally {
      await runner.stop();
      await pipeline.close();
    }

    // The window is judged once its minutes are over: the judging job's next run (it runs every minute).
    services.clock.advance(60_000);
    const judged = await unsafeJudgeStreams(services);
    expect(judged.raised).toBeGreaterThanOrEqual(1);
    // Raised now (the demo's finished drill has its own, resolved spike alert from 12 days ago).
    const alerts = await db.select().from(listeningAlerts).where(and(eq(listeningAlerts.workspaceId, workspaceId), eq(listeningAlerts.kind, "spike"), gte(listeningAlerts.raisedAt, started)));
    expect(alerts.map((a) => a.streamId)).toEqual([brand]);
    const evidence = alerts[0].evidence as { facts: { evidence: { window: { total: number }; baseline: { kind: string; median: number }; ratio: number } }; firstPosts: Array<{ text: string }>; baselineSamples: number };
    expect(evidence.facts.evidence.baseline.kind).toBe("hour_of_week");
    expect(evidence.facts.evidence.window.total).toBeGreaterThanOrEqual(10);
    expect(evidence.facts.evidence.ratio).toBeGreaterThanOrEqual(2);
    expect(evidence.firstPosts[0].text).toContain("MOULDY");

    // The same verdict from the counts themselves: a spike against the hour-of-week baseline on the brand stream only.
    const now = services.clock();
    for (const stream of streams) {
      const counts = await db
        .select({ minute: streamMinuteCounts.minute, total: streamMinuteCounts.total, negative: streamMinuteCounts.negative })
        .from(streamMinuteCounts)
        .where(and(eq(streamMinuteCounts.streamId, stream.id), sql`${streamMinuteCounts.minute} >= ${historyStart(now).toISOString()} and ${streamMinuteCounts.minute} < ${now.toISOString()}`));
      const verdict = judgeWindow(counts, now, stream.spikeSensitivity as "low" | "medium" | "high");
      expect(verdict.baseline.kind).toBe("hour_of_week");
      expect(verdict.spike).toBe(stream.id === brand);
    }
  });
});
