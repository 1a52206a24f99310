import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsafeSystemCtx } from "../../../context";
import { createBlueskyConnector } from "../../../networks/bluesky/connector";
import { blueskyRequired, ensurePeerInstalled, missingPostgres, startPeer, type BlueskyTestPeer, type PeerAccount } from "../../../networks/bluesky/test-peer";
import { connectChannel } from "../../channels";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { buildWorkspace } from "../../../../../test/support/factories";
import { waitFor } from "../../../../../test/support/wait";
import { createListeningPipeline } from "../pipeline";
import { listeningSources, listeningStreams, mentions } from "../listening.schema";
import { addSource, startSourceRunner, type SourceRunner } from ".";

/** A Bluesky listening source against the real Bluesky servers of the local test peer (see connector.bluesky.test.ts). */
const cannotRun = missingPostgres() ?? ensurePeerInstalled();
if (cannotRun && blueskyRequired()) throw new Error(cannotRun);
if (cannotRun) console.warn(`[bluesky] SKIPPED: the Bluesky test peer cannot run here (${cannotRun}). See docs/testing.md.`);

/** The peer's firehose and AppView take their time (longer than waitFor's default). */
const PEER_WAIT_MS = 30_000;

describe.skipIf(cannotRun !== null)("a Bluesky listening source (local test peer)", () => {
  let peer: BlueskyTestPeer;
  let services: TestServices;
  let fan: PeerAccount;
  let workspaceId: string;
  let sourceId: string;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    peer = await startPeer();
    services = await createTestServices("pglite");
    services.clock.set(new Date()); // the real Bluesky servers issue tokens that expire in real time
    services.networks.register(createBlueskyConnector({ chatService: peer.chatService, timeoutMs: 10_000 }));
    ({ workspace: { id: workspaceId } } = await buildWorkspace(services));
    const ctx = unsafeSystemCtx(services, "test", workspaceId);
    const brand = await peer.createAccount({ prefix: "brand", displayName: "Ember Brand" });
    fan = await peer.createAccount({ prefix: "fan", displayName: "Fan" });
    const channel = await connectChannel(ctx, { network: "bluesky", input: { kind: "app_password", identifier: brand.handle, password: brand.appPassword, serviceUrl: peer.pds } });
    await services.database.db.insert(listeningStreams).values({ workspaceId, name: "Brand", query: "emberblue" });
    sourceId = (await addSource(ctx, { kind: "network_stream", channelId: channel.id })).id;
  }, 180_000);
  afterAll(async () => {
    for (const close of closers) await close().catch(() => {});
    await services?.close();
    await peer?.stop();
  });

  const runner = (): SourceRunner => {
    const pipeline = createListeningPipeline(services, { workers: 0, refreshMs: 0 });
    const started = startSourceRunner(services, { pipeline, claimEveryMs: 100, batchMs: 50 });
    closers.push(() => started.stop(), () => pipeline.close());
    return started;
  };
  const stored = async (ids: string[]) =>
    (await services.database.db.select({ id: mentions.networkPostId }).from(mentions).where(and(eq(mentions.workspaceId, workspaceId), eq(mentions.network, "bluesky"), inArray(mentions.networkPostId, ids)))).map((r) => r.id);
  const source = async () => (await services.database.db.select().from(listeningSources).where(eq(listeningSources.id, sourceId)))[0]!;

  it("reads the firehose into mentions with its cursor, and resumes after a restart from it", async () => {
    const first = runner();
    await waitFor("the stream to open", async () => first.running().includes(sourceId) && (await source()).state === "running", PEER_WAIT_MS);
    await new Promise((r) => setTimeout(r, 1000));
    const live = (await peer.post(fan.did, "Emberblue live from the firehose")).uri;
    const unrelated = (await peer.post(fan.did, "Nothing about coffee")).uri;
    await waitFor("the live post", async () => (await stored([live])).length === 1, PEER_WAIT_MS).catch(async (err) => {
      throw new Error(`${err.message}: ${JSON.stringify(await source())}`);
    });
    expect(await stored([unrelated])).toEqual([]);
    await waitFor("its cursor", async () => (await source()).cursor !== null, PEER_WAIT_MS);
    await first.stop();

    const meanwhile = (await peer.post(fan.did, "Emberblue while nobody listened")).uri;
    const second = runner();
    await waitFor("the post made while stopped", async () => (await stored([meanwhile])).length === 1, PEER_WAIT_MS);
    expect(await stored([live, meanwhile])).toHaveLength(2);
    expect((await source()).state).toBe("running");
    await second.stop();
  }, 120_000);
});
