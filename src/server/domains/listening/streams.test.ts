import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { storeMatches, type MatchedPost } from "./pipeline/store-matches";
import { mentions, streamMinuteCounts } from "./listening.schema";

const NOW = new Date("2026-11-23T12:00:00Z");
const minutesAgo = (n: number) => new Date(NOW.getTime() - n * 60_000);

describeEachDatabase("listening streams and mentions", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let workspaceId: string;
  let people: Record<Role, { id: string; email: string; name?: string }>;
  let admin: HttpClient;
  let manager: HttpClient;
  let member: HttpClient;
  let coffee: { id: string; version: number };
  let refunds: { id: string };
  let sandboxChannelId: string;

  const post = (n: number, over: Partial<MatchedPost>): MatchedPost => ({
    workspaceId, sourceId: null, network: "sandbox", networkPostId: `p${n}`, url: `http://sandbox.test/p${n}`, authorHandle: `user${n}`, authorName: `User ${n}`,
    text: `post ${n}`, lang: "en", langSource: "detected", sentiment: "neutral", sentimentScore: 0.6, fingerprint: n, nearDuplicate: false,
    postedAt: minutesAgo(n), receivedAt: NOW, streamIds: [], ...over,
  });

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    services.clock.set(NOW);
    app = createApp(services);
    const built = await buildWorkspace(services);
    workspaceId = built.workspace.id;
    people = built.people;
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    member = await signedInClient(app, people.member);
    await seedSandboxNetwork(services.database.db, services.clock());
    const channel = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" });
    expect(channel.status, channel.text).toBe(200);
    sandboxChannelId = channel.body.id;
  });
  afterAll(() => services.close());

  describe("streams", () => {
    it("lets a manager create a stream, audited; a member is refused", async () => {
      const seq = await lastAuditSeq(services);
      const created = await manager.post("/api/v1/listening/streams", { name: "Coffee", query: '(coffee OR café) -decaf lang:en', criticalTerms: ["recall", " recall "] });
      expect(created.status, created.text).toBe(200);
      expect(created.body).toMatchObject({ name: "Coffee", version: 1, position: 0, criticalTerms: ["recall"], archivedAt: null });
      expect(created.body.explanation).toMatch(/coffee/);
      expect(created.body.volume).toMatchObject({ last24h: 0, lastHour: 0, negativeShare: 0 });
      coffee = created.body;
      const [event] = await auditSince(services, seq, { action: "listening.stream_created" });
      expect(event.data).toEqual({ streamId: coffee.id, name: "Coffee", query: '(coffee OR café) -decaf lang:en' });

      const refused = await member.post("/api/v1/listening/streams", { name: "Mine", query: "coffee" });
      expect([refused.status, refused.body.error.code]).toEqual([403, "forbidden"]);

      const second = await manager.post("/api/v1/listening/streams", { name: "Refunds", query: "refund* OR #refund" });
      expect(second.body.position).toBe(1);
      refunds = second.body;
    });

    it("refuses a query that does not parse with query_invalid and each error's code, message and span", async () => {
      const query = "coffee AND (beans OR";
      const res = await manager.post("/api/v1/listening/streams", { name: "Broken", query });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.code).toBe("query_invalid");
      expect(res.body.error.errors).toHaveLength(1);
      const [error] = res.body.error.errors;
      expect(error.code).toMatch(/^query_/);
      expect(error.message).toEqual(expect.any(String));
      expect(error.start).toBeGreaterThanOrEqual(0);
      expect(error.end).toBeGreaterThan(error.start);
      expect(error.end).toBeLessThanOrEqual(query.length + 1);

      const unknownField = await manager.post("/api/v1/listening/streams", { name: "Broken", query: "coffee colour:red" });
      expect(unknownField.body.error.errors[0]).toMatchObject({ code: "query_unknown_field", start: 7 });
      expect((await manager.get("/api/v1/listening/streams")).body.streams.map((s: { name: string }) => s.name)).toEqual(["Coffee", "Refunds"]);
    });

    it("updates a stream only from the version it was read at, audited with before and after", async () => {
      const seq = await lastAuditSeq(services);
      const updated = await manager.patch(`/api/v1/listening/streams/${coffee.id}`, { version: 1, query: "coffee OR café OR kaffee", spikeSensitivity: "high" });
      expect(updated.status, updated.text).toBe(200);
      expect(updated.body).toMatchObject({ version: 2, query: "coffee OR café OR kaffee", spikeSensitivity: "high" });
      const [event] = await auditSince(services, seq, { action: "listening.stream_updated" });
      expect(event.data).toEqual({
        streamId: coffee.id, version: 2,
        before: { query: "(coffee OR café) -decaf lang:en", spikeSensitivity: "medium" },
        after: { query: "coffee OR café OR kaffee", spikeSensitivity: "high" },
      });

      const stale = await admin.patch(`/api/v1/listening/streams/${coffee.id}`, { version: 1, name: "Old view" });
      expect([stale.status, stale.body.error.code, stale.body.error.currentVersion]).toEqual([409, "stream_version_conflict", 2]);
      const bad = await manager.patch(`/api/v1/listening/streams/${coffee.id}`, { version: 2, query: "-coffee" });
      expect([bad.status, bad.body.error.code, bad.body.error.errors[0].code]).toEqual([400, "query_invalid", "query_only_negative"]);
      expect((await manager.get(`/api/v1/listening/streams/${coffee.id}`)).body.version).toBe(2);
      const byMember = await member.patch(`/api/v1/listening/streams/${coffee.id}`, { version: 2, name: "x" });
      expect(byMember.status).toBe(403);
    });

    it("reorders the board and archives a stream (kept, off the board)", async () => {
      const order = await manager.put("/api/v1/listening/streams/order", { streamIds: [refunds.id, coffee.id] });
      expect(order.status, order.text).toBe(200);
      expect(order.body.streams.map((s: { id: string }) => s.id)).toEqual([refunds.id, coffee.id]);
      const partial = await manager.put("/api/v1/listening/streams/order", { streamIds: [coffee.id] });
      expect([partial.status, partial.body.error.code]).toEqual([409, "stream_order_mismatch"]);

      const temp = (await manager.post("/api/v1/listening/streams", { name: "Temp", query: "tea" })).body;
      const seq = await lastAuditSeq(services);
      const archived = await manager.post(`/api/v1/listening/streams/${temp.id}/archive`, {});
      expect(archived.status, archived.text).toBe(200);
      expect(archived.body.archivedAt).toBe(NOW.toISOString());
      expect((await auditSince(services, seq, { action: "listening.stream_archived" }))[0].data).toEqual({ streamId: temp.id, name: "Temp" });
      expect((await manager.get("/api/v1/listening/streams")).body.streams.map((s: { id: string }) => s.id)).toEqual([refunds.id, coffee.id]);
      expect((await manager.get("/api/v1/listening/streams?archived=true")).body.streams.map((s: { id: string }) => s.id)).toEqual([temp.id]);
      expect((await manager.post(`/api/v1/listening/streams/${temp.id}/archive`, {})).body.error.code).toBe("stream_not_found");
    });

    it("honours API token scopes: listening:read lists, listening:write manages", async () => {
      const token = async (scopes: string[]) => (await admin.post("/api/v1/me/api-tokens", { name: scopes.join(" "), scopes, expiresInDays: 1 })).body.token as string;
      const reader = httpClient(app, { bearer: await token(["listening:read"]) });
      const writer = httpClient(app, { bearer: await token(["listening:read", "listening:write"]) });
      const other = httpClient(app, { bearer: await token(["posts:read"]) });
      expect((await reader.get("/api/v1/listening/streams")).status).toBe(200);
      expect((await reader.get("/api/v1/listening/mentions")).status).toBe(200);
      expect((await reader.post("/api/v1/listening/streams", { name: "By token", query: "beans" })).status).toBe(403);
      expect((await other.get("/api/v1/listening/streams")).status).toBe(403);
      const made = await writer.post("/api/v1/listening/streams", { name: "By token", query: "beans" });
      expect(made.status, made.text).toBe(200);
      expect((await writer.post(`/api/v1/listening/streams/${made.body.id}/archive`, {})).status).toBe(200);
    });
  });

  describe("mentions", () => {
    beforeAll(async () => {
      const batch: MatchedPost[] = [
        post(1, { text: "Your coffee arrived cold and late", sentiment: "negative", streamIds: [coffee.id] }),
        post(2, { text: "Der Kaffee ist großartig", lang: "de", sentiment: "positive", streamIds: [coffee.id] }),
        post(3, { text: "I want a refund for this coffee", sentiment: "negative", streamIds: [coffee.id, refunds.id], network: "bluesky" }),
        post(4, { text: "I want a refund for this coffee", sentiment: "negative", streamIds: [coffee.id, refunds.id], network: "bluesky", fingerprint: 3, nearDuplicate: true }),
        post(5, { text: "Coffee o'clock", streamIds: [coffee.id] }),
        post(90, { text: "Morning coffee, two hours ago", sentiment: "positive", streamIds: [coffee.id] }),
      ];
      await storeMatches(services.database.db, batch);
    });

    it("lists a stream's mentions newest first, a page at a time, near-duplicates folded unless asked for", async () => {
      const first = await member.get(`/api/v1/listening/streams/${coffee.id}/mentions?limit=2`);
      expect(first.status, first.text).toBe(200);
      expect(first.body.mentions.map((m: { networkPostId: string }) => m.networkPostId)).toEqual(["p1", "p2"]);
      expect(first.body.next).toEqual(expect.any(String));
      const second = await member.get(`/api/v1/listening/streams/${coffee.id}/mentions?limit=2&cursor=${first.body.next}`);
      expect(second.body.mentions.map((m: { networkPostId: string }) => m.networkPostId)).toEqual(["p3", "p5"]);
      const third = await member.get(`/api/v1/listening/streams/${coffee.id}/mentions?limit=2&cursor=${second.body.next}`);
      expect(third.body.mentions.map((m: { networkPostId: string }) => m.networkPostId)).toEqual(["p90"]);
      expect(third.body.next).toBeNull();

      const all = await member.get(`/api/v1/listening/streams/${coffee.id}/mentions?duplicates=true`);
      expect(all.body.mentions.map((m: { networkPostId: string }) => m.networkPostId)).toEqual(["p1", "p2", "p3", "p4", "p5", "p90"]);
      expect(all.body.mentions[3]).toMatchObject({ nearDuplicate: true, streamIds: [coffee.id, refunds.id].sort(), authorHandle: "user4", url: "http://sandbox.test/p4" });

      const bad = await member.get(`/api/v1/listening/mentions?cursor=nonsense`);
      expect([bad.status, bad.body.error.code]).toEqual([400, "invalid_input"]);
      const unknown = await member.get(`/api/v1/listening/streams/00000000-0000-4000-8000-000000000000/mentions`);
      expect([unknown.status, unknown.body.error.code]).toEqual([404, "stream_not_found"]);
    });

    it("filters the workspace's mentions by stream, sentiment, language, network and words", async () => {
      const ids = async (query: string) => {
        const res = await member.get(`/api/v1/listening/mentions?${query}`);
        expect(res.status, res.text).toBe(200);
        return res.body.mentions.map((m: { networkPostId: string }) => m.networkPostId);
      };
      expect(await ids(`stream=${refunds.id}`)).toEqual(["p3"]);
      expect(await ids(`sentiment=negative`)).toEqual(["p1", "p3"]);
      expect(await ids(`sentiment=positive,neutral`)).toEqual(["p2", "p5", "p90"]);
      expect(await ids(`lang=de`)).toEqual(["p2"]);
      expect(await ids(`network=bluesky&duplicates=true`)).toEqual(["p3", "p4"]);
      expect(await ids(`q=${encodeURIComponent("COLD and")}`)).toEqual(["p1"]);
      expect(await ids(`q=${encodeURIComponent("100%")}`)).toEqual([]);
      expect((await member.get(`/api/v1/listening/mentions?sentiment=angry`)).body.error.code).toBe("invalid_input");
    });

    it("shows each stream's volume of the last 24 hours and hour, and its negative share", async () => {
      const { streams } = (await member.get("/api/v1/listening/streams")).body;
      const c = streams.find((s: { id: string }) => s.id === coffee.id);
      // p1–p5 in the last hour, p90 an hour and a half ago; p1, p3, p4 negative.
      expect(c.volume).toMatchObject({ last24h: 6, lastHour: 5, negative24h: 3, negativeShare: 0.5 });
      expect(c.volume.hourly).toHaveLength(24);
      expect(c.volume.hourly.slice(-2)).toEqual([1, 5]);
    });

    it("lets anyone correct a mention's sentiment and language: kept, counts moved, audited", async () => {
      const [p1] = (await member.get(`/api/v1/listening/mentions?q=arrived`)).body.mentions;
      const seq = await lastAuditSeq(services);
      const corrected = await member.patch(`/api/v1/listening/mentions/${p1.id}`, { sentiment: "neutral", lang: "de" });
      expect(corrected.status, corrected.text).toBe(200);
      expect(corrected.body).toMatchObject({ sentiment: "neutral", sentimentCorrected: true, lang: "de", langSource: "corrected", correctedBy: { id: people.member.id } });
      const [event] = await auditSince(services, seq, { action: "listening.mention_corrected" });
      expect(event.data).toEqual({ mentionId: p1.id, before: { lang: "en", sentiment: "negative" }, after: { lang: "de", sentiment: "neutral" } });

      const minute = new Date(Math.floor(minutesAgo(1).getTime() / 60_000) * 60_000);
      const [count] = await services.database.db
        .select()
        .from(streamMinuteCounts)
        .where(and(eq(streamMinuteCounts.streamId, coffee.id), eq(streamMinuteCounts.minute, minute)));
      expect(count).toMatchObject({ total: 1, negative: 0, neutral: 1 });
      const c = (await member.get(`/api/v1/listening/streams/${coffee.id}`)).body;
      expect(c.volume).toMatchObject({ last24h: 6, negative24h: 2 });

      // A replayed batch (a source restarting) does not overwrite the correction nor count the post again.
      const replay = await storeMatches(services.database.db, [post(1, { text: "Your coffee arrived cold and late", sentiment: "negative", streamIds: [coffee.id] })]);
      expect(replay).toMatchObject({ stored: 0, alreadyStored: 1 });
      const [row] = await services.database.db.select().from(mentions).where(eq(mentions.id, Number(p1.id)));
      expect(row).toMatchObject({ sentiment: "neutral", sentimentCorrected: true, lang: "de", langSource: "corrected" });
      expect((await member.get(`/api/v1/listening/streams/${coffee.id}`)).body.volume.negative24h).toBe(2);

      const empty = await member.patch(`/api/v1/listening/mentions/${p1.id}`, {});
      expect([empty.status, empty.body.error.code]).toEqual([400, "invalid_input"]);
      const missing = await member.patch(`/api/v1/listening/mentions/999999`, { sentiment: "positive" });
      expect([missing.status, missing.body.error.code]).toEqual([404, "mention_not_found"]);
    });

    it("keeps another workspace's mentions and streams out of reach", async () => {
      const other = await buildWorkspace(services);
      const stranger = await signedInClient(app, other.people.owner);
      expect((await stranger.get("/api/v1/listening/mentions")).body.mentions).toEqual([]);
      expect((await stranger.get(`/api/v1/listening/streams/${coffee.id}`)).status).toBe(404);
      const [p2] = (await member.get(`/api/v1/listening/mentions?lang=de&q=Kaffee`)).body.mentions;
      expect((await stranger.patch(`/api/v1/listening/mentions/${p2.id}`, { sentiment: "negative" })).status).toBe(404);
    });
  });

  describe("query preview", () => {
    it("answers a query's errors with their spans", async () => {
      const res = await manager.post("/api/v1/listening/streams/preview", { query: 'coffee "unfinished' });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ ok: false, posts: [], errors: [{ code: "query_unterminated_phrase", start: 7 }] });
    });

    it("finds matching stored mentions and posts from a network search, saying where each came from", async () => {
      const stored = await manager.post("/api/v1/listening/streams/preview", { query: "refund coffee" });
      expect(stored.body.ok).toBe(true);
      expect(stored.body.posts.filter((p: { from: string }) => p.from === "stored").map((p: { networkPostId: string }) => p.networkPostId)).toEqual(["p3", "p4"]);

      const searched = await manager.post("/api/v1/listening/streams/preview", { query: "hearth -@emberoak" });
      expect(searched.status, searched.text).toBe(200);
      expect(searched.body.searches).toEqual([{ channelId: sandboxChannelId, network: "sandbox", handle: "emberoak", found: expect.any(Number), error: null }]);
      const found = searched.body.posts.filter((p: { from: string }) => p.from === "search");
      expect(found.length).toBeGreaterThan(0);
      expect(found.length).toBe(searched.body.searches[0].found);
      for (const p of found) {
        expect(p.text.toLowerCase()).toContain("hearth");
        expect(p.text).not.toMatch(/@emberoak\b/i);
      }
      expect((await member.post("/api/v1/listening/streams/preview", { query: "hearth" })).status).toBe(403);
    });
  });

  describe("sources", () => {
    it("lets a manager add, restart and remove sources; everyone sees their state and lag", async () => {
      const seq = await lastAuditSeq(services);
      const added = await manager.post("/api/v1/listening/sources", { kind: "network_stream", channelId: sandboxChannelId });
      expect(added.status, added.text).toBe(200);
      expect(added.body).toMatchObject({ kind: "network_stream", channelId: sandboxChannelId, network: "sandbox", state: "running", lagSeconds: null, behind: false });
      expect(await auditSince(services, seq, { action: "listening.source_added" })).toHaveLength(1);
      const again = await manager.post("/api/v1/listening/sources", { kind: "network_stream", channelId: sandboxChannelId });
      expect([again.status, again.body.error.code]).toEqual([409, "listening_source_exists"]);
      const ftp = await manager.post("/api/v1/listening/sources", { kind: "feed", url: "ftp://news.example/feed" });
      expect([ftp.status, ftp.body.error.code]).toEqual([422, "listening_source_feed_invalid"]);
      const feed = await manager.post("/api/v1/listening/sources", { kind: "feed", url: "https://news.example/feed.xml", name: "Trade news" });
      expect(feed.body).toMatchObject({ kind: "feed", name: "Trade news", url: "https://news.example/feed.xml" });

      const listed = await member.get("/api/v1/listening/sources");
      expect(listed.status, listed.text).toBe(200);
      expect(listed.body.sources.map((s: { id: string }) => s.id)).toEqual([added.body.id, feed.body.id]);
      expect((await member.post("/api/v1/listening/sources", { kind: "feed", url: "https://blog.example/rss" })).status).toBe(403);
      expect((await member.post(`/api/v1/listening/sources/${feed.body.id}/restart`, {})).status).toBe(403);

      const restarted = await manager.post(`/api/v1/listening/sources/${feed.body.id}/restart`, {});
      expect([restarted.status, restarted.body.state]).toEqual([200, "running"]);
      expect((await manager.delete(`/api/v1/listening/sources/${feed.body.id}`)).status).toBe(204);
      const gone = await manager.delete(`/api/v1/listening/sources/${feed.body.id}`);
      expect([gone.status, gone.body.error.code]).toEqual([404, "listening_source_not_found"]);
      expect((await member.get("/api/v1/listening/sources")).body.sources).toHaveLength(1);
    });
  });
});
