import { and, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { insertBrandAccount, listeningTestWorkspace } from "../../../../../test/support/listening-fixtures";
import type { TestServices } from "../../../../../test/support/services";
import { waitFor } from "../../../../../test/support/wait";
import { SCAN_SOON_SECONDS, scanImpostors } from "../../../jobs/catalog";
import { startWorker, type Worker } from "../../../jobs/worker";
import { impostorAccounts, listeningSources, listeningStreams } from "../listening.schema";
import { storeMatches } from "../pipeline/store-matches";
import type { IncomingPost } from "../pipeline/types";

/** A scan runs as a pg-boss job after the pipeline stored the post: longer than waitFor's default, for a busy machine. */
const SCAN_WAIT_MS = 20_000;

// The worker as `parapet worker` runs it (pg-boss, the listening pipeline), with only the impostor scan in its
// catalog: an impostor's post stored by the pipeline is judged within seconds, not at the 5-minute schedule.
describeEachDatabase("impostors found when their posts arrive", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  let sourceId: string;
  let worker: Worker | null = null;
  let seq = 0;

  beforeAll(async () => {
    ({ services, workspaceId } = await listeningTestWorkspace(kind));
    await insertBrandAccount(services, workspaceId);
    const db = services.database.db;
    await db.insert(listeningStreams).values({ workspaceId, name: "Brand", query: "emberoak OR @emberoak" });
    // Stopped: this test submits the source's batches itself; the worker's source runner leaves it alone.
    [{ id: sourceId }] = await db.insert(listeningSources).values({ workspaceId, kind: "network_stream", name: "Sandbox", state: "stopped" }).returning();
  });
  afterAll(async () => {
    await worker?.stop();
    await services.close();
  });

  const incoming = (handle: string, text: string, displayName = handle): IncomingPost => {
    const id = `arrival-${++seq}`;
    return {
      network: "sandbox",
      receivedAt: new Date(),
      post: { networkPostId: id, author: { networkAccountId: handle, handle, displayName }, text, lang: "en", createdAt: new Date().toISOString(), url: null },
    };
  };
  const submit = (...posts: IncomingPost[]) => worker!.pipeline.submit({ workspaceId, sourceId, posts, position: null });
  const suspect = async (handle: string) =>
    (await services.database.db.select().from(impostorAccounts).where(and(eq(impostorAccounts.workspaceId, workspaceId), eq(impostorAccounts.handle, handle))))[0];
  /** The scans of this workspace the pipeline asked for (the schedule's runs carry no workspace). */
  const promptScans = async (since: Date) =>
    services.database.query<{ state: string; created_on: Date }>(
      "select state, created_on from pgboss.job where name = $1 and data->>'workspaceId' = $2 and created_on >= $3 order by created_on",
      [scanImpostors.name, workspaceId, since],
    );

  it("an impostor's giveaway stored by the pipeline is an impostor record within seconds, through a scan the pipeline asked for", async () => {
    const started = new Date(Date.now() - 1000);
    worker = await startWorker(services, [scanImpostors]);
    const outcome = await submit(incoming("emberoak_giveaway", "🎁 GIVEAWAY! @emberoak is giving 100 Copper Kettles away! Claim yours, DM us your card number", "Ember & Oak Coffee 🎁"));
    expect(outcome.stored).toBe(1);
    const stored = Date.now();
    const found = await waitFor("the impostor record", () => suspect("emberoak_giveaway"), SCAN_WAIT_MS);
    expect(Date.now() - stored).toBeLessThan(15_000);
    expect(found).toMatchObject({ status: "new", network: "sandbox" });
    const scans = await promptScans(started);
    expect(scans.length).toBe(1);
    expect(scans[0].state).toBe("completed");
  });

  it("a burst of batches gives one scan now and one when the debounce is up, and the burst's last impostor is found", async () => {
    await new Promise((r) => setTimeout(r, SCAN_SOON_SECONDS * 1000)); // out of the first test's debounce window
    const burst = new Date(Date.now() - 500);
    for (let i = 0; i < 20; i++) await submit(incoming(`fan_${i}`, `emberoak coffee number ${i}`));
    await submit(incoming("emberoak_support", "Emberoak support here: verify your account with your bank details"));
    await waitFor("the burst's impostor", () => suspect("emberoak_support"), SCAN_WAIT_MS);
    await new Promise((r) => setTimeout(r, (SCAN_SOON_SECONDS + 3) * 1000)); // any late request would be queued by now
    const scans = await promptScans(burst);
    expect(scans.length).toBeGreaterThanOrEqual(1);
    expect(scans.length).toBeLessThanOrEqual(2);
  });

  it("after a restart, the scan goes on from the workspace's mark: what was stored while the worker was down is judged", async () => {
    await worker!.stop();
    worker = null;
    // Stored meanwhile by another process (as `storeMatches` does), with no worker here to ask for a scan.
    const at = new Date();
    await storeMatches(services.database.db, [
      { workspaceId, sourceId, network: "sandbox", networkPostId: "while-down", url: null, authorHandle: "emberoak.help", authorName: null, text: "Free coffee for a year, send us your card number", lang: "en", langSource: "detected", sentiment: "neutral", sentimentScore: 0.5, fingerprint: 1, nearDuplicate: false, postedAt: at, receivedAt: at, streamIds: [] },
    ]);
    expect(await suspect("emberoak.help")).toBeUndefined();
    const restarted = new Date(Date.now() - 500);
    worker = await startWorker(services, [scanImpostors]);
    await submit(incoming("coffee_fan", "emberoak is my morning"));
    await waitFor("the impostor stored while the worker was down", () => suspect("emberoak.help"), SCAN_WAIT_MS);
    expect((await promptScans(restarted)).length).toBe(1);
    const [{ n }] = await services.database.query<{ n: number }>("select count(*)::int as n from impostor_accounts where workspace_id = $1", [workspaceId]);
    expect(n).toBe(3);
  });

  it.runIf(kind === "postgres")("while storing is behind, a prompt scan steps aside (no impostor judged), and runs once the pipeline caught up", async () => {
    await worker!.stop();
    // A small queue: four posts waiting to be stored are "behind" (more than a quarter of what may wait).
    worker = await startWorker(services, [scanImpostors], { pipeline: { maxQueued: 8, workers: 0 } });
    const blocker = new pg.Client({ connectionString: (services.database as { url?: string }).url });
    await blocker.connect();
    try {
      const asked = new Date(Date.now() - 500);
      expect((await submit(incoming("emberoak_official", "Official Emberoak giveaway: send your card number to claim"))).stored).toBe(1);
      // The next batch stores the source's cursor; while another transaction holds the source's row, it waits.
      await blocker.query("begin");
      await blocker.query("select * from listening_sources where id = $1 for update", [sourceId]);
      const held = worker!.pipeline.submit({ workspaceId, sourceId, posts: [1, 2, 3, 4].map((n) => incoming(`regular_${n}`, `emberoak flat white ${n}`)), position: { cursor: "c-held", lastItemAt: null } });
      await waitFor("a prompt scan that stepped aside", async () => (await promptScans(asked)).some((scan) => scan.state === "completed"), SCAN_WAIT_MS);
      await new Promise((r) => setTimeout(r, (SCAN_SOON_SECONDS + 2) * 1000)); // and asked again, and stepped aside again
      expect(worker!.pipeline.load().queued).toBe(4);
      expect(await suspect("emberoak_official")).toBeUndefined();
      await blocker.query("commit");
      expect((await held).stored).toBe(4);
      await waitFor("the impostor, once storing caught up", () => suspect("emberoak_official"), SCAN_WAIT_MS);
    } finally {
      await blocker.end();
    }
  });
});
