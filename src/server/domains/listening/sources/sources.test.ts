import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../http/app";
import { unsafeSystemCtx, withActor, type Ctx } from "../../../context";
import { createSandboxPost, findSandboxAccount, injectSandboxFault } from "../../../networks/sandbox/network";
import { runScenarioTick, SANDBOX_SCENARIOS } from "../../../networks/sandbox/scenarios";
import { seedSandboxNetwork } from "../../../networks/sandbox/seed";
import { channels } from "../../channels/channels.schema";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../../test/support/factories";
import { auditSince, lastAuditSeq } from "../../../../../test/support/audit";
import type { HttpClient } from "../../../../../test/support/http";
import { waitFor } from "../../../../../test/support/wait";
import { createListeningPipeline } from "../pipeline";
import { listeningSources, listeningStreams, mentionMatches, mentions, streamMinuteCounts } from "../listening.schema";
import { addSource, listSources, removeSource, restartSource, startSourceRunner, type SourceRunner, type SourceRunnerOptions } from ".";

describeEachDatabase("listening sources", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  let manager: Ctx;
  let member: Ctx;
  let admin: HttpClient;
  let channelId: string;
  let sourceId: string;
  let brandStreamId: string;
  const runners: SourceRunner[] = [];
  const pipelines: { close(): Promise<void> }[] = [];

  const runner = (options: Partial<SourceRunnerOptions> = {}) => {
    const pipeline = createListeningPipeline(services, { workers: 0, refreshMs: 0 });
    pipelines.push(pipeline);
    const started = startSourceRunner(services, { pipeline, claimEveryMs: 100, batchMs: 50, backoffMs: 200, maxBackoffMs: 1_000, ...options });
    runners.push(started);
    return started;
  };
  const source = async (id = sourceId) => (await services.database.db.select().from(listeningSources).where(eq(listeningSources.id, id)))[0]!;
  const storedIds = async (ids: string[]) =>
    services.database.db.select({ id: mentions.networkPostId, sourceId: mentions.sourceId }).from(mentions).where(and(eq(mentions.workspaceId, workspaceId), inArray(mentions.networkPostId, ids)));
  const post = async (handle: string, text: string) => {
    const account = (await findSandboxAccount(services.database.db, handle))!;
    return (await createSandboxPost(services.database.db, account.id, { text, lang: "en", createdAt: new Date() })).post;
  };

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    const app = createApp(services);
    const built = await buildWorkspace(services);
    workspaceId = built.workspace.id;
    const asUser = (role: "manager" | "member") =>
      withActor(unsafeSystemCtx(services, "test", workspaceId), { type: "user", userId: built.people[role].id, email: built.people[role].email, name: role, role, via: "session" });
    manager = asUser("manager");
    member = asUser("member");
    admin = await signedInClient(app, built.people.admin);
    await seedSandboxNetwork(services.database.db, new Date());
    const channel = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" });
    expect(channel.status, channel.text).toBe(200);
    channelId = channel.body.id;
    const [stream] = await services.database.db
      .insert(listeningStreams)
      .values([{ workspaceId, name: "Brand", query: "emberoak OR @emberoak OR #emberoak" }])
      .returning();
    brandStreamId = stream.id;
  });
  afterAll(async () => {
    for (const r of runners) await r.stop().catch(() => {});
    for (const p of pipelines) await p.close().catch(() => {});
    await services.close();
  });

  describe("managing sources", () => {
    it("adds a channel's live stream (audited), refuses a member, a duplicate, a foreign channel and a bad feed address", async () => {
      const seq = await lastAuditSeq(services);
      await expect(addSource(member, { kind: "network_stream", channelId })).rejects.toMatchObject({ code: "forbidden" });
      const added = await addSource(manager, { kind: "network_stream", channelId });
      expect(added).toMatchObject({ kind: "network_stream", channelId, network: "sandbox", state: "running", lastError: null, lagSeconds: null, claimed: false });
      sourceId = added.id;
      const audit = await auditSince(services, seq, { action: "listening.source_added" });
      expect(audit).toHaveLength(1);
      expect(audit[0].data).toMatchObject({ sourceId, kind: "network_stream", channelId });
      await expect(addSource(manager, { kind: "network_stream", channelId })).rejects.toMatchObject({ code: "listening_source_exists", status: 409 });
      await expect(addSource(manager, { kind: "network_stream", channelId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "listening_source_channel_invalid", status: 422 });
      await expect(addSource(manager, { kind: "feed", url: "ftp://example.test/feed" })).rejects.toMatchObject({ code: "listening_source_feed_invalid" });
      await expect(addSource(manager, { kind: "feed", url: "not a url" })).rejects.toMatchObject({ code: "listening_source_feed_invalid" });
      expect((await listSources(member)).map((s) => s.id)).toEqual([sourceId]);
    });
  });

  describe("the Sandbox stream", () => {
    it("backfills from search, then stores what a scenario posts with the source's cursor", async () => {
      const first = runner();
      // Started without a cursor: the seeded posts that mention the brand arrive through the network's search.
      await waitFor("backfill", async () => (await services.database.db.select({ n: sql<number>`count(*)::int` }).from(mentions).where(eq(mentions.workspaceId, workspaceId)))[0].n > 0);
      expect((await source()).cursor).toBeNull(); // a backfill moves no cursor
      await runScenarioTick(services.database.db, SANDBOX_SCENARIOS.viral_complaint, new Date());
      const mould = await waitFor("the scenario's post", async () => {
        const [row] = await services.database.db.select().from(mentions).where(and(eq(mentions.workspaceId, workspaceId), sql`${mentions.text} like '%MOULDY%'`));
        return row;
      });
      expect(mould).toMatchObject({ network: "sandbox", sourceId, authorHandle: "dan_reviews" });
      const [match] = await services.database.db.select().from(mentionMatches).where(eq(mentionMatches.mentionId, mould.id));
      expect(match.streamId).toBe(brandStreamId);
      const stored = await waitFor("the cursor", async () => ((await source()).cursor ? source() : null));
      expect(stored).toMatchObject({ state: "running", lastError: null });
      expect(stored.lastItemAt).not.toBeNull();
      expect(stored.leaseOwner).not.toBeNull();
      const [listed] = await listSources(member);
      expect(listed).toMatchObject({ id: sourceId, state: "running", claimed: true, behind: false });
      expect(listed.lagSeconds).toEqual(expect.any(Number));
      await first.stop();
      expect((await source()).leaseOwner).toBeNull(); // a clean stop lets the lease go
    });

    it("resumes after a restart from the stored cursor: posts made meanwhile arrive once, none lost, none counted twice", async () => {
      const before = await source();
      const made: { id: string }[] = [];
      for (let i = 0; i < 6; i++) made.push(await post("maya_collins", `Emberoak restart check ${i}`));
      const second = runner();
      await waitFor("the posts made while stopped", async () => (await storedIds(made.map((p) => p.id))).length === 6);
      // More while it runs, in batches of 2 (size bound).
      await second.stop();
      const third = runner({ batchSize: 2 });
      const more: { id: string }[] = [];
      for (let i = 0; i < 5; i++) more.push(await post("jake_on_trails", `Emberoak live ${i}`));
      await waitFor("live posts", async () => (await storedIds(more.map((p) => p.id))).length === 5);
      const rows = await storedIds([...made, ...more].map((p) => p.id));
      expect(rows).toHaveLength(11);
      expect(rows.every((r) => r.sourceId === sourceId)).toBe(true);
      const after = await source();
      expect(after.cursor).not.toBe(before.cursor);
      // Every stored mention is counted once in the per-minute counts.
      const [{ matched }] = await services.database.db.select({ matched: sql<number>`count(*)::int` }).from(mentionMatches).where(eq(mentionMatches.streamId, brandStreamId));
      const [{ counted }] = await services.database.db.select({ counted: sql<number>`coalesce(sum(${streamMinuteCounts.total}), 0)::int` }).from(streamMinuteCounts).where(eq(streamMinuteCounts.streamId, brandStreamId));
      expect(counted).toBe(matched);
      await third.stop();
    });

    it("searches for a stream created while no worker ran: a post older than the cursor is found for it", async () => {
      // Made while the source runs and no stream matches it, so the cursor passes it without a mention.
      const worker = runner();
      const old = await post("maya_collins", "The kestrel lantern is bright");
      const marker = await post("jake_on_trails", "Emberoak marker after the kestrel post");
      await waitFor("the cursor passes the kestrel post", async () => (await storedIds([marker.id])).length === 1);
      await worker.stop();
      const [kestrel] = await services.database.db.insert(listeningStreams).values({ workspaceId, name: "Kestrel", query: "kestrel" }).returning();
      expect(kestrel.backfilledAt).toBeNull();
      const next = runner();
      try {
        const found = await waitFor("the kestrel post through search", async () => {
          const [row] = await services.database.db
            .select({ streamId: mentionMatches.streamId })
            .from(mentionMatches)
            .innerJoin(mentions, eq(mentions.id, mentionMatches.mentionId))
            .where(and(eq(mentions.networkPostId, old.id), eq(mentionMatches.streamId, kestrel.id)));
          return row;
        });
        expect(found.streamId).toBe(kestrel.id);
        const [marked] = await services.database.db.select().from(listeningStreams).where(eq(listeningStreams.id, kestrel.id));
        expect(marked.backfilledAt).not.toBeNull();
      } finally {
        await next.stop();
      }
      await services.database.db.update(listeningStreams).set({ archivedAt: new Date() }).where(eq(listeningStreams.id, kestrel.id));
    });

    it("is taken over by another worker once a crashed worker's lease lapses", async () => {
      const crashed = runner({ owner: "worker-a", leaseMs: 1_000 });
      await waitFor("worker-a runs it", async () => crashed.running().includes(sourceId));
      await crashed.stop({ abandon: true }); // as a crash: the lease stays until it lapses
      expect((await source()).leaseOwner).toBe("worker-a");
      const other = runner({ owner: "worker-b", leaseMs: 1_000 });
      await other.claim();
      expect(other.running()).not.toContain(sourceId); // the lease still holds
      const late = await post("maya_collins", "Emberoak after the crash");
      await waitFor("worker-b takes over", async () => (await source()).leaseOwner === "worker-b");
      await waitFor("the post made after the crash", async () => (await storedIds([late.id])).length === 1);
      await other.stop();
    });

    it("reports a rate limit and an expired token as stable codes (and in plain words for managers), retries, and runs again once the channel is reconnected", async () => {
      const account = (await findSandboxAccount(services.database.db, "emberoak"))!;
      await injectSandboxFault(services.database.db, account.id, { kind: "rate_limited", retryAfterSeconds: 1, count: 1 }, services.clock());
      const worker = runner();
      const limited = await waitFor("rate limited", async () => ((await source()).state === "failing" ? source() : null));
      // The reason is the code (the web app words it and the retry); the detail keeps only what the network said.
      expect(limited.lastError).toBe("Sandbox rate limit: retry after 1 s");
      expect([limited.lastErrorCode, limited.lastErrorParams]).toEqual(["source_rate_limited", { retryInSeconds: 1 }]);
      await waitFor("running again", async () => (await source()).state === "running");
      const after = await post("maya_collins", "Emberoak after the rate limit");
      await waitFor("the post after the rate limit", async () => (await storedIds([after.id])).length === 1);

      await injectSandboxFault(services.database.db, account.id, { kind: "auth_expired", count: 1 }, services.clock());
      await restartSource(manager, { sourceId }); // reopens the stream, which meets the expired token
      const expired = await waitFor("token expired", async () => ((await source()).state === "failing" ? source() : null));
      expect(expired.lastError).toBe("the Sandbox token has expired");
      expect(expired.lastErrorCode).toBe("source_access_expired");
      expect(expired.lastErrorParams).toEqual({ retryInSeconds: expect.any(Number) });
      const [channel] = await services.database.db.select().from(channels).where(eq(channels.id, channelId));
      expect(channel.status).toBe("needs_reconnect");
      const missed = await post("maya_collins", "Emberoak while the channel was disconnected");
      // Still failing on retries: the channel must be reconnected first.
      await new Promise((r) => setTimeout(r, 600));
      expect((await source()).state).toBe("failing");
      // Everyone who reads listening sees the code and its parameters (the web app says it in their language); only
      // those who manage sources get the network's own words.
      const [asMember] = await listSources(member);
      expect(asMember).toMatchObject({ state: "failing", lastErrorCode: "source_access_expired", lastErrorParams: { retryInSeconds: expect.any(Number) }, lastError: null });
      expect((await listSources(manager))[0]).toMatchObject({ lastErrorCode: "source_access_expired", lastError: expect.stringMatching(/^the (Sandbox token has expired|channel needs reconnecting)$/) }); // the retries meet the channel's state

      const reconnected = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" });
      expect(reconnected.status, reconnected.text).toBe(200);
      const seq = await lastAuditSeq(services);
      expect(await restartSource(manager, { sourceId })).toMatchObject({ state: "running", lastError: null, lastErrorCode: null, lastErrorParams: null });
      expect((await auditSince(services, seq, { action: "listening.source_restarted" }))[0].data).toMatchObject({ sourceId, stateBefore: "failing" });
      // Resumed from its cursor: the post made while it failed arrives.
      await waitFor("the post missed while failing", async () => (await storedIds([missed.id])).length === 1);
      expect((await source()).state).toBe("running");
      await worker.stop();
    });
  });

  describe("a feed", () => {
    let server: http.Server;
    let items: string[];
    const rss = () =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Coffee News</title><link>http://news.test/</link>${items.join("")}</channel></rss>`;
    const item = (n: number, text: string) =>
      `<item><guid>news-${n}</guid><link>http://news.test/${n}</link><title>${text}</title><pubDate>${new Date(Date.UTC(2026, 10, 23, 8, n)).toUTCString()}</pubDate></item>`;
    beforeAll(async () => {
      items = [item(1, "Emberoak opens a roastery in Leipzig"), item(2, "Rain expected tomorrow")];
      server = http.createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/rss+xml" });
        res.end(rss());
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("reads new items every poll, stores the matching ones once with its cursor, and can be removed", async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
      const feed = await addSource(manager, { kind: "feed", url });
      expect(feed).toMatchObject({ kind: "feed", network: "web", name: `127.0.0.1:${(server.address() as AddressInfo).port}` });
      const worker = runner({ feedEveryMs: 200, feedAllowedHosts: ["127.0.0.1"] });
      const feedMentions = () => services.database.db.select().from(mentions).where(and(eq(mentions.workspaceId, workspaceId), eq(mentions.network, "web")));
      await waitFor("the first item", async () => (await feedMentions()).length === 1);
      items.push(item(3, "Emberoak recalls batch HB-0923"));
      await waitFor("the new item", async () => (await feedMentions()).length === 2);
      await new Promise((r) => setTimeout(r, 500)); // more polls: nothing twice
      const stored = await feedMentions();
      expect(stored.map((m) => m.networkPostId).sort()).toEqual(["news-1", "news-3"]);
      expect(stored[0]).toMatchObject({ authorHandle: "Coffee News", sourceId: feed.id });
      const row = await source(feed.id);
      expect(JSON.parse(row.cursor!).seen).toEqual(expect.arrayContaining(["news-1", "news-2", "news-3"]));
      expect(row.state).toBe("running");

      const seq = await lastAuditSeq(services);
      await removeSource(manager, { sourceId: feed.id });
      expect(await auditSince(services, seq, { action: "listening.source_removed" })).toHaveLength(1);
      await waitFor("the worker lets it go", async () => !worker.running().includes(feed.id));
      await expect(removeSource(manager, { sourceId: feed.id })).rejects.toMatchObject({ code: "listening_source_not_found", status: 404 });
      await worker.stop();
    });

    it("says why a feed fails: an address the fetch guard refuses", async () => {
      const blocked = await addSource(manager, { kind: "feed", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/other.xml` });
      const worker = runner({ feedAllowedHosts: [] });
      const row = await waitFor("failing", async () => ((await source(blocked.id)).state === "failing" ? source(blocked.id) : null));
      expect(row.lastError).toBe("127.0.0.1 is not a public address"); // the fetch guard's own words only
      expect(row.lastErrorCode).toBe("feed_blocked");
      await worker.stop();
      await removeSource(manager, { sourceId: blocked.id });
    });
  });
});
