import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { buildWorkspace } from "../../../../../test/support/factories";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { listeningSources, listeningStreams, mentionMatches, mentions } from "../listening.schema";
import { createListeningPipeline } from "./pipeline";
import type { IncomingPost, SourceBatch } from "./types";

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s));

function incoming(id: string, text: string, options: { lang?: string | null; handle?: string; second?: number; network?: string } = {}): IncomingPost {
  const handle = options.handle ?? "someone.bsky.social";
  return {
    network: options.network ?? "sandbox",
    receivedAt: at((options.second ?? 0) + 1),
    post: {
      networkPostId: id,
      author: { networkAccountId: `did:${handle}`, handle, displayName: handle.split(".")[0] },
      text,
      lang: options.lang === undefined ? "en" : options.lang,
      createdAt: at(options.second ?? 0).toISOString(),
      url: `https://sandbox.test/p/${id}`,
    },
  };
}

describeEachDatabase("listening pipeline", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  let sourceId: string;
  const streams: Record<string, string> = {};

  beforeAll(async () => {
    services = await createTestServices(kind);
    ({ workspace: { id: workspaceId } } = await buildWorkspace(services));
    const db = services.database.db;
    [{ id: sourceId }] = await db.insert(listeningSources).values({ workspaceId, kind: "network_stream", name: "Sandbox" }).returning();
    const rows = await db
      .insert(listeningStreams)
      .values([
        { workspaceId, name: "Brand", query: "emberoak OR #emberoak" },
        { workspaceId, name: "Complaints", query: "emberoak (broken OR refund OR kaputt OR Rückerstattung)" },
        { workspaceId, name: "Persian", query: "امبراوک OR بانک" },
        { workspaceId, name: "German only", query: "emberoak lang:de" },
        { workspaceId, name: "Archived", query: "emberoak", archivedAt: new Date() },
      ])
      .returning();
    for (const row of rows) streams[row.name] = row.id;
  });
  afterAll(() => services.close());

  const batch = (posts: IncomingPost[], cursor: string | null, source = sourceId): SourceBatch => ({
    workspaceId,
    sourceId: source,
    posts,
    position: cursor ? { cursor, lastItemAt: posts.at(-1) ? new Date(posts.at(-1)!.post.createdAt) : null } : null,
  });

  async function stored(id: string) {
    const db = services.database.db;
    const [mention] = await db.select().from(mentions).where(and(eq(mentions.workspaceId, workspaceId), eq(mentions.networkPostId, id)));
    if (!mention) return null;
    const matches = await db.select().from(mentionMatches).where(eq(mentionMatches.mentionId, mention.id));
    const names = Object.fromEntries(Object.entries(streams).map(([name, sid]) => [sid, name]));
    return { ...mention, streams: matches.map((m) => names[m.streamId]).sort() };
  }

  async function cursor(id = sourceId) {
    const [source] = await services.database.db.select().from(listeningSources).where(eq(listeningSources.id, id));
    return source;
  }

  it("stores only matching posts with their streams, language and sentiment, marks near-duplicates, skips replays, and stores the cursor", async () => {
    const pipeline = createListeningPipeline(services, { workers: 0, refreshMs: 0 });
    const outcome = await pipeline.submit(
      batch(
        [
          incoming("p1", "My Emberoak order arrived broken, I want a refund now", { second: 1 }),
          incoming("p2", "Lovely weather in the park today", { second: 2 }),
          incoming("p3", "Win a FREE Emberoak gift card today!!! https://spam.example/a @friend1", { second: 3 }),
          incoming("p4", "win a free #emberoak gift card today https://spam.example/b @friend2", { second: 4 }),
          incoming("p5", "I love my new Emberoak coffee machine, thank you!", { second: 5, lang: null }),
        ],
        "c-5",
      ),
    );
    expect(outcome).toEqual({ received: 5, matched: 4, stored: 4, shed: 0 });

    const p1 = (await stored("p1"))!;
    expect(p1.streams).toEqual(["Brand", "Complaints"]);
    expect(p1).toMatchObject({ lang: "en", langSource: "declared", sentiment: "negative", nearDuplicate: false, sourceId, authorHandle: "someone.bsky.social" });
    expect(p1.postedAt.toISOString()).toBe(at(1).toISOString());
    expect(await stored("p2")).toBeNull();
    expect((await stored("p3"))!.nearDuplicate).toBe(false);
    const p4 = (await stored("p4"))!;
    expect(p4.nearDuplicate).toBe(true); // the same words as p3 apart from case, punctuation, the link and the handle
    expect(p4.fingerprint).toBe((await stored("p3"))!.fingerprint);
    const p5 = (await stored("p5"))!;
    expect(p5).toMatchObject({ lang: "en", langSource: "detected", sentiment: "positive" });
    expect((await cursor()).cursor).toBe("c-5");

    // A replay (the source restarted before its cursor was stored): nothing stored or counted twice, no near-duplicate.
    const replay = await pipeline.submit(batch([incoming("p1", "My Emberoak order arrived broken, I want a refund now", { second: 1 }), incoming("p6", "emberoak", { second: 6 })], "c-6"));
    expect(replay).toEqual({ received: 2, matched: 2, stored: 1, shed: 0 });
    const [{ n }] = await services.database.query<{ n: number }>("select count(*)::int as n from mention_matches where mention_id = $1", [p1.id]);
    expect(n).toBe(2);
    expect((await cursor()).cursor).toBe("c-6");
    await pipeline.close();
  });

  it("stores the cursor of a batch in which nothing matched, and of an empty one", async () => {
    const pipeline = createListeningPipeline(services.database, { workers: 0 });
    expect(await pipeline.submit(batch([incoming("n1", "nothing to see here")], "c-n1"))).toEqual({ received: 1, matched: 0, stored: 0, shed: 0 });
    expect((await cursor()).cursor).toBe("c-n1");
    expect(await pipeline.submit(batch([], "c-empty"))).toEqual({ received: 0, matched: 0, stored: 0, shed: 0 });
    expect((await cursor()).cursor).toBe("c-empty");
    await pipeline.close();
  });

  it("recompiles a stream edited between batches, and drops an archived one", async () => {
    const pipeline = createListeningPipeline(services, { workers: 0, refreshMs: 0 });
    const db = services.database.db;
    await pipeline.submit(batch([incoming("e1", "emberoak and the lighthouse", { second: 10 })], "c-e1"));
    expect((await stored("e1"))!.streams).toEqual(["Brand"]);

    await db
      .update(listeningStreams)
      .set({ query: "emberoak (broken OR lighthouse)", version: sql`${listeningStreams.version} + 1`, updatedAt: new Date() })
      .where(eq(listeningStreams.id, streams.Complaints));
    await db.update(listeningStreams).set({ archivedAt: new Date(), updatedAt: new Date() }).where(eq(listeningStreams.id, streams.Brand));
    await pipeline.submit(batch([incoming("e2", "emberoak and the lighthouse again", { second: 11 }), incoming("e3", "emberoak refund please", { second: 12 })], "c-e2"));
    expect((await stored("e2"))!.streams).toEqual(["Complaints"]);
    expect(await stored("e3")).toBeNull(); // "refund" is no longer in Complaints, and Brand is archived

    await db.update(listeningStreams).set({ archivedAt: null, updatedAt: new Date() }).where(eq(listeningStreams.id, streams.Brand));
    await pipeline.submit(batch([incoming("e4", "emberoak", { second: 13 })], "c-e4"));
    expect((await stored("e4"))!.streams).toEqual(["Brand"]);
    await pipeline.close();
    await db
      .update(listeningStreams)
      .set({ query: "emberoak (broken OR refund OR kaputt OR Rückerstattung)", version: sql`${listeningStreams.version} + 1`, updatedAt: new Date() })
      .where(eq(listeningStreams.id, streams.Complaints));
  });

  it("matches Persian and German posts, detecting the language where none is declared (also for lang: queries)", async () => {
    const pipeline = createListeningPipeline(services, { workers: 0 });
    const outcome = await pipeline.submit(
      batch(
        [
          incoming("fa1", "سفارش من از امبراوک هنوز نرسیده و خیلی ناراحتم", { lang: null, second: 20 }),
          incoming("fa2", "بانک‌ها امروز تعطیل هستند", { lang: "fa", second: 21 }),
          incoming("de1", "Meine Emberoak Bestellung ist kaputt angekommen, ich will eine Rückerstattung!", { lang: null, second: 22 }),
          incoming("de2", "Ich liebe Emberoak, super Service, vielen Dank!", { lang: "de-DE", second: 23 }),
          incoming("en9", "Emberoak is great today, thanks a lot for the quick help", { lang: null, second: 24 }),
        ],
        "c-lang",
      ),
    );
    expect(outcome).toMatchObject({ received: 5, matched: 5, stored: 5 });
    expect(await stored("fa1")).toMatchObject({ lang: "fa", langSource: "detected", streams: ["Persian"] });
    expect(await stored("fa2")).toMatchObject({ lang: "fa", langSource: "declared", streams: ["Persian"] }); // بانک in بانک‌ها
    expect(await stored("de1")).toMatchObject({ lang: "de", langSource: "detected", sentiment: "negative", streams: ["Brand", "Complaints", "German only"] });
    expect(await stored("de2")).toMatchObject({ lang: "de", langSource: "declared", sentiment: "positive", streams: ["Brand", "German only"] });
    expect(await stored("en9")).toMatchObject({ lang: "en", langSource: "detected", streams: ["Brand"] });
    await pipeline.close();
  });

  it("sheds posts beyond its queue limit, counts them per source and reports them, and drains on close", async () => {
    const db = services.database.db;
    const [{ id: busy }] = await db.insert(listeningSources).values({ workspaceId, kind: "network_stream", name: "Busy" }).returning();
    const pipeline = createListeningPipeline(services, { workers: 0, maxQueued: 10 });
    const posts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => incoming(`${prefix}${i}`, `emberoak number ${prefix}${i}`, { second: 30 }));
    // Submitted together, before any is stored: 8 fit, then 2 of the next 8, then none.
    const outcomes = [pipeline.submit(batch(posts("s", 8), "c-s1", busy)), pipeline.submit(batch(posts("t", 8), "c-s2", busy)), pipeline.submit(batch(posts("u", 8), "c-s3", busy))];
    expect(pipeline.load()).toMatchObject({ queued: 10, shed: 14 });
    await Promise.all([pipeline.close(), pipeline.close()]); // closing twice waits for the same drain
    expect(await Promise.all(outcomes)).toEqual([
      { received: 8, matched: 8, stored: 8, shed: 0 },
      { received: 8, matched: 2, stored: 2, shed: 6 },
      { received: 8, matched: 0, stored: 0, shed: 8 },
    ]);
    expect(pipeline.load()).toMatchObject({ queued: 0, shed: 14 });
    const source = await cursor(busy);
    expect(source.shedCount).toBe(14);
    expect(source.cursor).toBe("c-s3"); // shed posts are lost, reported, and the source moves on
    expect(await stored("t1")).not.toBeNull();
    expect(await stored("t2")).toBeNull();
    await expect(pipeline.submit(batch([], "c-late", busy))).rejects.toThrow(/closed/);
  });

  it("lets the process's timers run between its writes while it stores batch after batch (PGlite's queries alone never yield to them)", async () => {
    // The impostor scan's request and pg-boss's polling are timers of this thread: they must not wait for a burst to end.
    const pipeline = createListeningPipeline(services, { workers: 0, maxWritePosts: 1 });
    const order: string[] = [];
    setTimeout(() => order.push("timer"), 0);
    await Promise.all(Array.from({ length: 6 }, (_, b) => pipeline.submit(batch([incoming(`tick-${b}`, "emberoak refund please", { second: 70 + b })], `c-tick-${b}`)).then(() => order.push(`batch ${b}`))));
    await pipeline.close();
    expect(order.indexOf("timer")).toBeGreaterThanOrEqual(0);
    expect(order.indexOf("timer")).toBeLessThan(order.indexOf("batch 5"));
  });

  it("gives the same results in worker threads as in-process", async () => {
    const texts = [
      "Emberoak broken again, refund please",
      "nothing about brands here",
      "#Emberoak giveaway free today win now",
      "EMBEROAK GIVEAWAY free today, win now! https://x.example",
      "بانک امروز باز است",
      "Emberoak ist kaputt und ich warte seit Stunden",
      "Emberoak est vraiment génial, merci",
    ];
    const run = async (workers: number, prefix: string) => {
      const [{ id: source }] = await services.database.db.insert(listeningSources).values({ workspaceId, kind: "network_stream", name: prefix }).returning();
      const pipeline = createListeningPipeline(services, { workers });
      const outcomes = await Promise.all(
        [0, 1, 2].map((b) => pipeline.submit(batch(texts.map((t, i) => incoming(`${prefix}-${b}-${i}`, t, { lang: i % 2 ? null : "en", second: 40 + b })), `c-${b}`, source))),
      );
      await pipeline.close();
      const rows = await services.database.query<Record<string, unknown>>(
        `select substring(m.network_post_id from position('-' in m.network_post_id) + 1) as post, m.lang, m.lang_source, m.sentiment,
           round(m.sentiment_score::numeric, 4) as score, m.fingerprint::text as fingerprint, m.near_duplicate,
           array_agg(mm.stream_id::text order by mm.stream_id) as streams
         from mentions m join mention_matches mm on mm.mention_id = m.id
         where m.source_id = $1 group by m.id order by 1`,
        [source],
      );
      return { outcomes, rows, cursor: (await cursor(source)).cursor };
    };
    const inProcess = await run(0, "inproc");
    const threaded = await run(2, "threads");
    expect(inProcess.rows.length).toBeGreaterThan(10);
    expect(threaded).toEqual(inProcess);
    expect(threaded.cursor).toBe("c-2");
  });
});
