import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { listeningTestWorkspace, matchedPost, storeMentionsAt } from "../../../../../test/support/listening-fixtures";
import type { TestServices } from "../../../../../test/support/services";
import { listeningAlerts, listeningStreams, streamMinuteCounts } from "../listening.schema";
import type { Sentiment } from "../pipeline/store-matches";
import { termMatcher, unsafeJudgeStreams } from "./judge-streams";

const NOW = new Date("2026-11-23T09:00:00Z");
const WEEK = 7 * 86_400_000;

describeEachDatabase("judging streams: spikes, turns to negative and critical terms from stored counts and mentions", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  let seq = 0;

  beforeAll(async () => {
    ({ services, workspaceId } = await listeningTestWorkspace(kind, NOW));
  });
  afterAll(async () => {
    await services.close();
  });

  const stream = async (values: Partial<typeof listeningStreams.$inferInsert>) =>
    (await services.database.db.insert(listeningStreams).values({ workspaceId, name: "Brand", query: "emberoak", ...values }).returning())[0].id;

  /** Recorded history: `perMinute` mentions a minute around this hour of the week in each of the last 4 weeks, none negative. */
  const history = async (streamId: string, perMinute: number) => {
    const rows = [];
    for (let week = 1; week <= 4; week++) {
      const centre = NOW.getTime() - week * WEEK;
      for (let m = -90; m <= 75; m++) rows.push({ streamId, minute: new Date(centre + m * 60_000), total: perMinute, neutral: perMinute });
    }
    await services.database.db.insert(streamMinuteCounts).values(rows);
  };

  /** Stores mentions as the pipeline does, received and stored at `at`. */
  const store = (streamId: string, posts: Array<{ text: string; sentiment?: Sentiment; lang?: string; at: Date; author?: string }>) =>
    storeMentionsAt(
      services,
      posts.map((p) =>
        matchedPost(workspaceId, { networkPostId: `post-${++seq}`, authorHandle: p.author ?? `customer${seq}`, text: p.text, lang: p.lang ?? "en", sentiment: p.sentiment ?? "neutral", fingerprint: hash(p.text), postedAt: p.at, streamIds: [streamId] }),
      ),
    );
  const alertsOf = (streamId: string) => services.database.db.select().from(listeningAlerts).where(eq(listeningAlerts.streamId, streamId)).orderBy(asc(listeningAlerts.raisedAt));
  const minutesAgo = (n: number) => new Date(services.clock().getTime() - n * 60_000);

  it("raises a spike once, with evidence from the stored mentions, and not again within the cooldown", async () => {
    const id = await stream({ name: "Spike", negativeAlerts: false, spikeSensitivity: "medium" });
    await history(id, 1);
    const wave = [];
    for (let i = 0; i < 90; i++) {
      const text = i % 3 === 0 ? "Emberoak charged me twice, where is my refund?" : i % 3 === 1 ? `Emberoak refund refused again #${i}` : "Emberoak Erstattung verweigert, auch der Kundenservice schweigt";
      wave.push({ text, sentiment: (i % 2 ? "negative" : "neutral") as Sentiment, lang: i % 3 === 2 ? "de" : "en", at: minutesAgo(14 - (i % 14)) });
    }
    await store(id, wave);

    const result = await unsafeJudgeStreams(services);
    expect(result.raised).toBe(1);
    const [alert] = await alertsOf(id);
    expect(alert).toMatchObject({ kind: "spike", status: "open", title: "Spike on “Spike”" });
    expect(alert.windowStart).toEqual(minutesAgo(15));
    expect(alert.windowEnd).toEqual(NOW);
    const evidence = alert.evidence as Record<string, any>;
    expect(evidence.facts.evidence.window.total).toBe(90);
    expect(evidence.facts.evidence.baseline).toMatchObject({ kind: "hour_of_week", median: 15 });
    expect(evidence.facts.evidence.topTerms[0]).toEqual({ term: "refund", count: 60 });
    expect(evidence.facts.evidence.topTerms.map((t: { term: string }) => t.term)).not.toContain("emberoak"); // the stream's own query
    // Stop words of every language are left out ("where", and German "auch", "der").
    for (const word of ["where", "auch", "der"]) expect(evidence.facts.evidence.topTerms.map((t: { term: string }) => t.term)).not.toContain(word);
    expect(evidence.sentiment).toEqual({ negative: 45, neutral: 45, positive: 0 });
    expect(evidence.languages).toEqual([{ lang: "en", count: 60 }, { lang: "de", count: 30 }]);
    expect(evidence.topPosts[0]).toMatchObject({ copies: 30 });
    expect(evidence.firstPosts).toHaveLength(5);
    expect(new Date(evidence.firstPosts[0].postedAt)).toEqual(minutesAgo(14));
    expect(evidence.volume).toHaveLength(8);
    expect(evidence.volume.at(-1)).toEqual({ start: minutesAgo(15).toISOString(), total: 90 });

    // A minute later the spike still shows, but the cooldown holds a second alert back.
    services.clock.advance(60_000);
    expect((await unsafeJudgeStreams(services)).raised).toBe(0);
    expect(await alertsOf(id)).toHaveLength(1);
    services.clock.set(NOW);
  });

  it("two workers judging the same window at once raise one alert", async () => {
    const id = await stream({ name: "Twice", negativeAlerts: false });
    await history(id, 1);
    await store(id, Array.from({ length: 80 }, (_, i) => ({ text: `Emberoak outage ${i}`, at: minutesAgo(1 + (i % 10)) })));
    const runs = await Promise.all([unsafeJudgeStreams(services), unsafeJudgeStreams(services)]);
    expect(runs.map((r) => r.raised).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect((await alertsOf(id)).filter((a) => a.kind === "spike")).toHaveLength(1);
  });

  it("raises a turn to negative when the negative share jumps at the usual volume", async () => {
    const id = await stream({ name: "Mood", negativeAlerts: true, spikeSensitivity: "medium" });
    await history(id, 2);
    await store(id, Array.from({ length: 30 }, (_, i) => ({ text: `Emberoak delivery ${i % 2 ? "late again, awful" : "fine"}`, sentiment: (i % 3 ? "negative" : "neutral") as Sentiment, at: minutesAgo(1 + (i % 15)) })));
    await unsafeJudgeStreams(services);
    const alerts = await alertsOf(id);
    expect(alerts.map((a) => a.kind)).toEqual(["negative_turn"]);
    expect((alerts[0].evidence as any).facts.evidence).toMatchObject({ negativeShare: 0.667, baseline: { negativeShare: 0 } });
  });

  it("critical terms in Persian and German raise a keyword alert per term, with a cooldown per term", async () => {
    const id = await stream({ name: "Critical", spikeSensitivity: "off", cooldownMinutes: 30, criticalTerms: ["کلاهبرداری", "Rückerstattung", "#boycottemberoak"] });
    await store(id, [
      { text: "امبروک كلاهبرداري است", at: minutesAgo(3), lang: "fa", author: "tehran_user" }, // Arabic kaf and yeh: the same word
      { text: "Emberoak Rückerstattungen dauern ewig", at: minutesAgo(2), lang: "de" }, // another word: no
      { text: "Emberoak: keine RUCKERSTATTUNG!", at: minutesAgo(1), lang: "de", author: "berlin" },
    ]);
    await unsafeJudgeStreams(services);
    let alerts = await alertsOf(id);
    expect(alerts.map((a) => (a.evidence as any).facts.evidence.term).sort()).toEqual(["Rückerstattung", "کلاهبرداری"].sort());
    const german = alerts.find((a) => (a.evidence as any).facts.evidence.term === "Rückerstattung")!;
    expect((german.evidence as any).facts.evidence).toMatchObject({ author: "berlin", excerpt: "Emberoak: keine RUCKERSTATTUNG!" });
    expect(german.title).toBe("Critical term “Rückerstattung” on “Critical”");

    // Judging again changes nothing; a new Persian mention within the cooldown neither; after it, a new alert.
    services.clock.advance(60_000);
    await unsafeJudgeStreams(services);
    expect(await alertsOf(id)).toHaveLength(2);
    await store(id, [{ text: "این کلاهبرداری است", at: minutesAgo(0.5), lang: "fa" }]);
    await unsafeJudgeStreams(services);
    expect(await alertsOf(id)).toHaveLength(2);
    services.clock.advance(30 * 60_000);
    await store(id, [{ text: "#BoycottEmberoak کلاهبرداری", at: minutesAgo(0.5), lang: "fa" }]);
    await unsafeJudgeStreams(services);
    alerts = await alertsOf(id);
    expect(alerts.map((a) => (a.evidence as any).facts.evidence.term).sort()).toEqual(["#boycottemberoak", "Rückerstattung", "کلاهبرداری", "کلاهبرداری"].sort());
    services.clock.set(NOW);
  });

  it("matches critical terms as whole words after the query module's normalisation", () => {
    expect(termMatcher("refund")!("Where is my REFUND?")).toBe(true);
    expect(termMatcher("refund")!("refunds pending")).toBe(false);
    expect(termMatcher("Rückerstattung")!("rueckerstattung")).toBe(false);
    expect(termMatcher("Rückerstattung")!("Ruckerstattung jetzt")).toBe(true);
    expect(termMatcher("money back")!("I want my money back now")).toBe(true);
    expect(termMatcher("money back")!("back my money")).toBe(false);
    expect(termMatcher("می‌خواهم")!("من میخواهم")).toBe(true);
    expect(termMatcher("#boycott")!("join the #Boycott today")).toBe(true);
    expect(termMatcher("#boycott")!("boycott")).toBe(false);
    expect(termMatcher("  ")).toBeNull();
  });

});

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}
