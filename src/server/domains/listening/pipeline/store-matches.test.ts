import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { buildWorkspace } from "../../../../../test/support/factories";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { listeningSources, listeningStreams, mentionMatches, mentions, streamMinuteCounts } from "../listening.schema";
import { storeMatches, type MatchedPost } from "./store-matches";

describeEachDatabase("storing matched mentions", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  let sourceId: string;
  let brand: string;
  let complaints: string;

  beforeAll(async () => {
    services = await createTestServices(kind);
    ({ workspace: { id: workspaceId } } = await buildWorkspace(services));
    const db = services.database.db;
    [{ id: sourceId }] = await db.insert(listeningSources).values({ workspaceId, kind: "network_stream", name: "Sandbox" }).returning();
    [{ id: brand }, { id: complaints }] = await db
      .insert(listeningStreams)
      .values([
        { workspaceId, name: "Brand", query: "emberoak" },
        { workspaceId, name: "Complaints", query: "emberoak AND (broken OR refund)" },
      ])
      .returning();
  });
  afterAll(() => services.close());

  const post = (id: string, overrides: Partial<MatchedPost> = {}): MatchedPost => ({
    workspaceId,
    sourceId,
    network: "sandbox",
    networkPostId: id,
    url: `https://sandbox.test/p/${id}`,
    authorHandle: "someone",
    authorName: "Some One",
    text: `Emberoak post ${id}`,
    lang: "en",
    langSource: "declared",
    sentiment: "neutral",
    sentimentScore: 0.5,
    fingerprint: Number.parseInt(id.replace(/\D/g, "") || "0", 10),
    nearDuplicate: false,
    postedAt: new Date("2026-11-23T10:00:30Z"),
    receivedAt: new Date("2026-11-23T10:00:31Z"),
    streamIds: [brand],
    ...overrides,
  });

  it("stores a post once however many streams it matched, with each match and the minute's counts, and the source's cursor", async () => {
    const result = await storeMatches(
      services.database.db,
      [post("a1", { streamIds: [brand, complaints], sentiment: "negative" }), post("a2", { sentiment: "positive", nearDuplicate: true }), post("a3", { postedAt: new Date("2026-11-23T10:01:05Z") })],
      [{ sourceId, cursor: "cursor-3", lastItemAt: new Date("2026-11-23T10:01:05Z") }],
    );
    expect(result).toMatchObject({ stored: 3, alreadyStored: 0, matches: 4 });
    const db = services.database.db;
    const rows = await db.select().from(mentions).where(eq(mentions.workspaceId, workspaceId));
    expect(rows.map((r) => r.networkPostId).sort()).toEqual(["a1", "a2", "a3"]);
    const a1 = rows.find((r) => r.networkPostId === "a1")!;
    expect(await db.select().from(mentionMatches).where(eq(mentionMatches.mentionId, a1.id))).toHaveLength(2);
    const brandCounts = await db.select().from(streamMinuteCounts).where(eq(streamMinuteCounts.streamId, brand)).orderBy(streamMinuteCounts.minute);
    expect(brandCounts.map((c) => [c.minute.toISOString(), c.total, c.negative, c.neutral, c.positive, c.nearDuplicates])).toEqual([
      ["2026-11-23T10:00:00.000Z", 2, 1, 0, 1, 1],
      ["2026-11-23T10:01:00.000Z", 1, 0, 1, 0, 0],
    ]);
    const [source] = await db.select().from(listeningSources).where(eq(listeningSources.id, sourceId));
    expect(source.cursor).toBe("cursor-3");
    expect(source.lastItemAt?.toISOString()).toBe("2026-11-23T10:01:05.000Z");
  });

  it("replaying a batch after a crash stores and counts nothing twice", async () => {
    const result = await storeMatches(services.database.db, [post("a1", { streamIds: [brand, complaints], sentiment: "negative" }), post("a4")]);
    expect(result).toMatchObject({ stored: 1, alreadyStored: 1, matches: 1 });
    const [minute] = await services.database.db
      .select()
      .from(streamMinuteCounts)
      .where(eq(streamMinuteCounts.streamId, complaints));
    expect(minute.total).toBe(1);
  });

  it("drops the matches of a stream deleted while the batch was on its way, and keeps the rest", async () => {
    const db = services.database.db;
    const [{ id: gone }] = await db.insert(listeningStreams).values({ workspaceId, name: "Short-lived", query: "x" }).returning();
    await db.delete(listeningStreams).where(eq(listeningStreams.id, gone));
    const result = await storeMatches(db, [post("b1", { streamIds: [gone, brand] })]);
    expect(result).toMatchObject({ stored: 1, alreadyStored: 0, matches: 1 });
    expect(await db.select().from(streamMinuteCounts).where(eq(streamMinuteCounts.streamId, gone))).toEqual([]);
  });

  it("a batch that fails stores nothing and leaves the cursor where it was", async () => {
    const db = services.database.db;
    const unknownWorkspace = "00000000-0000-4000-8000-000000000000";
    await expect(
      storeMatches(db, [post("c1"), post("c2", { workspaceId: unknownWorkspace })], [{ sourceId, cursor: "cursor-after-c2", lastItemAt: null }]),
    ).rejects.toThrow();
    expect(await db.select().from(mentions).where(eq(mentions.networkPostId, "c1"))).toEqual([]);
    const [source] = await db.select().from(listeningSources).where(eq(listeningSources.id, sourceId));
    expect(source.cursor).toBe("cursor-3");
  });
  it("several batches of one source written together store its last cursor and the last known time of its newest item", async () => {
    const db = services.database.db;
    const [{ id: other }] = await db.insert(listeningSources).values({ workspaceId, kind: "network_stream", name: "Firehose" }).returning();
    await storeMatches(db, [], [
      { sourceId: other, cursor: "f-1", lastItemAt: new Date("2026-11-23T11:00:00Z") },
      { sourceId: other, cursor: "f-2", lastItemAt: new Date("2026-11-23T11:00:05Z") },
      { sourceId: other, cursor: "f-3", lastItemAt: null },
      { sourceId, cursor: "cursor-4", lastItemAt: null },
    ]);
    const [firehose] = await db.select().from(listeningSources).where(eq(listeningSources.id, other));
    expect(firehose.cursor).toBe("f-3");
    expect(firehose.lastItemAt?.toISOString()).toBe("2026-11-23T11:00:05.000Z");
    const [source] = await db.select().from(listeningSources).where(eq(listeningSources.id, sourceId));
    expect(source.cursor).toBe("cursor-4");
    expect(source.lastItemAt?.toISOString()).toBe("2026-11-23T10:01:05.000Z");
  });
});
