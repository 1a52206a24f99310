import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { inTransaction, unsafeSystemCtx } from "../../../context";
import { createMastodonConnector } from "../../../networks/mastodon/connector";
import { storeConnection } from "../../channels/connection";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { buildWorkspace } from "../../../../../test/support/factories";
import { waitFor } from "../../../../../test/support/wait";
import { startMastodonTestPeer, type MastodonTestPeer } from "../../../../../test/peers/mastodon/peer";
import { createListeningPipeline } from "../pipeline";
import { listeningSources, listeningStreams, mentions } from "../listening.schema";
import { addSource, startSourceRunner, type SourceRunner } from ".";

const REDIRECT_URI = "http://127.0.0.1:9/channels/oauth/callback";

describeEachDatabase("a Mastodon listening source (local test peer)", (kind) => {
  let services: TestServices;
  let peer: MastodonTestPeer;
  let workspaceId: string;
  let sourceId: string;
  let earlier: { id: string };
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    peer = await startMastodonTestPeer();
    peer.addAccount({ username: "emberoak" });
    peer.addAccount({ username: "fan" });
    earlier = peer.post("fan", { text: "Emberoak beans arrived before anyone listened" });
    services = await createTestServices(kind);
    const connector = createMastodonConnector({ timeoutMs: 5_000 });
    services.networks.register(connector);
    ({ workspace: { id: workspaceId } } = await buildWorkspace(services));
    const ctx = unsafeSystemCtx(services, "test", workspaceId);
    // The OAuth flow as the channels domain runs it (the peer approves at once).
    peer.signIn("emberoak");
    const verifier = randomBytes(32).toString("base64url");
    const start = await connector.beginAuthorization!({ serviceUrl: peer.url, redirectUri: REDIRECT_URI, state: randomUUID(), codeChallenge: createHash("sha256").update(verifier).digest("base64url") });
    const callback = new URL((await fetch(start.authorizeUrl, { redirect: "manual" })).headers.get("location")!).searchParams;
    const connected = await connector.connect({ kind: "oauth2_callback", code: callback.get("code")!, codeVerifier: verifier, redirectUri: REDIRECT_URI, serviceUrl: peer.url, pending: start.pending });
    const channel = await inTransaction(ctx, (tx) => storeConnection(tx, { workspaceId, network: "mastodon", connected, via: "oauth", serviceUrl: peer.url }));
    await services.database.db.insert(listeningStreams).values({ workspaceId, name: "Brand", query: "emberoak OR @emberoak" });
    sourceId = (await addSource(ctx, { kind: "network_stream", channelId: channel.id })).id;
  });
  afterAll(async () => {
    for (const close of closers) await close().catch(() => {});
    await services.close();
    await peer.close();
  });

  const runner = (): SourceRunner => {
    const pipeline = createListeningPipeline(services, { workers: 0, refreshMs: 0 });
    const started = startSourceRunner(services, { pipeline, claimEveryMs: 100, batchMs: 50 });
    closers.push(() => started.stop(), () => pipeline.close());
    return started;
  };
  const stored = async (ids: string[]) =>
    (await services.database.db.select({ id: mentions.networkPostId }).from(mentions).where(and(eq(mentions.workspaceId, workspaceId), eq(mentions.network, "mastodon"), inArray(mentions.networkPostId, ids)))).map((r) => r.id);
  const source = async () => (await services.database.db.select().from(listeningSources).where(eq(listeningSources.id, sourceId)))[0]!;

  it("backfills from search, streams the public timeline into mentions with its cursor, and resumes after a restart from it", async () => {
    const first = runner();
    await waitFor("the stream to open", async () => first.running().includes(sourceId) && (await source()).state === "running");
    await new Promise((r) => setTimeout(r, 500));
    const live = peer.post("fan", { text: "Just tried Emberoak's new roast, lovely" });
    const unrelated = peer.post("fan", { text: "Nice weather today" });
    await waitFor("the live post", async () => (await stored([live.id])).length === 1);
    // Started without a cursor: the network's search brought the earlier post (backfill).
    await waitFor("the backfilled post", async () => (await stored([earlier.id])).length === 1);
    expect(await stored([unrelated.id])).toEqual([]);
    await waitFor("its cursor", async () => (await source()).cursor === live.id || (await source()).cursor === unrelated.id);
    await first.stop();

    const meanwhile = peer.post("fan", { text: "@emberoak my order is late" });
    const second = runner();
    await waitFor("the post made while stopped", async () => (await stored([meanwhile.id])).length === 1);
    expect(await stored([live.id, meanwhile.id])).toHaveLength(2);
    await second.stop();
  });
});
