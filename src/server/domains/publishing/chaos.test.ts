import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { testSettings } from "../../config";
import { createApp } from "../../http/app";
import { findSandboxAccount, injectSandboxFault } from "../../networks/sandbox/network";
import { sandboxPosts } from "../../networks/sandbox/sandbox.schema";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { postTargets } from "./publishing.schema";
import { createTestServices, testClock, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const WORKER = path.join(ROOT, "test/support/chaos-publisher.ts");
const POSTS = 60;
const WORKERS = 3;
const KILLS = 8;

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

/**
 * Issue 5's chaos test: many posts due at once, the network failing in every way it can (timeouts after it accepted
 * a post, server errors, rate limits) and not recognising repeats, while publisher processes are killed with SIGKILL
 * and restarted at random. Afterwards every post is on the network exactly once and every record agrees with it.
 * Worker processes share one database, so this runs on PostgreSQL only (CI starts one).
 */
describe.skipIf(!testSettings().databaseUrl)("publishing chaos [postgres]", () => {
  let services: TestServices;
  const workers = new Set<ChildProcess>();
  let env: Record<string, string>;
  let accountId: string;

  const ready = new Set<ChildProcess>();
  /** Starts a worker process; resolves once it publishes (tsx takes a few seconds to start one). */
  function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, accountId], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
    workers.add(child);
    child.once("exit", () => {
      workers.delete(child);
      ready.delete(child);
    });
    return new Promise((resolve, reject) => {
      child.stdout!.once("data", () => {
        ready.add(child);
        resolve(child);
      });
      child.once("error", reject);
    });
  }

  beforeAll(async () => {
    // The workers run on the real clock: so do the posts.
    services = await createTestServices("postgres", { LOGIN_RATE_PER_MINUTE: "1000" }, testClock(new Date()));
    env = {
      ...testSettings().childEnv,
      DATABASE_URL: (services.database as { url?: string }).url!,
      PARAPET_SECRET_KEY: services.config.secretKey!,
      PARAPET_DATA_DIR: services.config.dataDir,
      LOG_LEVEL: "silent",
    };
  });
  afterAll(async () => {
    for (const child of workers) child.kill("SIGKILL");
    await services?.close();
  });

  it("every post is on the network exactly once, and every record agrees with it", async () => {
    const app = createApp(services);
    const { people } = await buildWorkspace(services);
    const admin = await signedInClient(app, people.admin);
    await seedSandboxNetwork(services.database.db, services.clock());
    const channelId = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" })).body.id;
    accountId = (await findSandboxAccount(services.database.db, "emberoak"))!.id;
    // The workers first (starting one takes seconds), then the work.
    await Promise.all(Array.from({ length: WORKERS }, () => startWorker()));
    const postIds: string[] = [];
    for (let i = 0; i < POSTS; i++) {
      const res = await admin.post("/api/v1/posts", { text: `Chaos post ${i}`, channels: [{ channelId }], scheduledAt: new Date().toISOString() });
      expect(res.status, res.text).toBe(200);
      postIds.push(res.body.id);
    }
    const db = services.database.db;
    await injectSandboxFault(db, accountId, { kind: "timeout_after_accept", count: 10 }, services.clock());
    await injectSandboxFault(db, accountId, { kind: "server_error", count: 8 }, services.clock());
    await injectSandboxFault(db, accountId, { kind: "rate_limited", retryAfterSeconds: 1, count: 5 }, services.clock());

    const targets = () => db.select().from(postTargets).where(inArray(postTargets.postId, postIds));
    const allPublished = async () => (await targets()).every((t) => t.status === "published");
    let kills = 0;
    const deadline = Date.now() + 120_000;
    while (kills < KILLS && Date.now() < deadline && !(await allPublished())) {
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 500));
      // Kill a worker that is publishing (not one still starting), and start another in its place.
      const victims = [...ready];
      if (!victims.length) continue;
      const victim = victims[Math.floor(Math.random() * victims.length)];
      victim.kill("SIGKILL");
      ready.delete(victim);
      kills++;
      void startWorker();
    }
    if (!ready.size) await startWorker();
    // No more killing: the survivors finish (stale claims are reconciled after their lease).
    for (let waited = 0; waited < 90_000; waited += 250) {
      if ((await targets()).every((t) => t.status === "published")) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const child of workers) child.kill("SIGKILL");

    const records = await targets();
    expect(kills).toBe(KILLS);
    expect(records.filter((t) => t.status !== "published").map((t) => [t.status, t.failureKind, t.failureMessage])).toEqual([]);
    const live = await db
      .select({ id: sandboxPosts.id, text: sandboxPosts.text })
      .from(sandboxPosts)
      .where(and(eq(sandboxPosts.accountId, accountId), isNull(sandboxPosts.deletedAt), sql`${sandboxPosts.text} like 'Chaos post %'`));
    // Zero lost, zero duplicates.
    expect(live.length).toBe(POSTS);
    expect(new Set(live.map((p) => p.text)).size).toBe(POSTS);
    // Every record names the post that is on the network.
    const byId = new Map(live.map((p) => [p.id, p.text]));
    const posts = await db.execute(sql`select p.id, p.text from posts p where p.id in ${postIds}`);
    const textOf = new Map(((Array.isArray(posts) ? posts : (posts as { rows: Array<{ id: string; text: string }> }).rows) as Array<{ id: string; text: string }>).map((p) => [p.id, p.text]));
    for (const target of records) expect(byId.get(target.networkPostId!), target.id).toBe(textOf.get(target.postId));
    // The faults happened: some attempts needed a second look.
    expect(records.some((t) => t.attempts > 1)).toBe(true);
  });
});
