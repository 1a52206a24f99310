import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, like } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { inTransaction, unsafeSystemCtx } from "./context";
import { createSession, createUser, findUserByEmail } from "./domains/identity";
import { sessions, users } from "./domains/identity/identity.schema";
import { memberships, workspaces } from "./domains/workspaces/workspaces.schema";
import { AppError } from "./errors";
import { createLogger } from "./log";
import { startParapet, type RunningParapet } from "./main";
import { openServices } from "./services";
import { describeEachDatabase, type DatabaseKind } from "../../test/support/databases";
import { emptyPostgresDatabase } from "../../test/support/empty-postgres";
import { JOBS } from "./jobs/catalog";

const DAY = 86_400_000;
const DEMO = { PARAPET_DEMO_EMAIL: "owner@ember.example.test", PARAPET_DEMO_PASSWORD: "demo-password-123" };

describeEachDatabase("startParapet", (kind: DatabaseKind) => {
  let dataDir: string;
  let env: Record<string, string>;
  let postgres: Awaited<ReturnType<typeof emptyPostgresDatabase>> | null = null;
  const running: RunningParapet[] = [];

  const config = (extra: Record<string, string> = {}) =>
    loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PORT: "0", HOST: "127.0.0.1", PARAPET_SERVICES: "web", ...env, ...extra });
  async function start(options: Partial<Parameters<typeof startParapet>[1]> = {}, extra: Record<string, string> = {}) {
    const instance = await startParapet(config(extra), { migrate: true, demo: true, log: createLogger("silent"), ...options });
    running.push(instance);
    return instance;
  }
  async function stop(instance: RunningParapet) {
    await instance.stop();
    running.splice(running.indexOf(instance), 1);
  }
  const demoCounts = async (instance: RunningParapet) => {
    const db = instance.services.database.db;
    return {
      demoWorkspaces: (await db.select().from(workspaces).where(eq(workspaces.isDemo, true))).length,
      demoPeople: (await db.select().from(users).where(like(users.email, "%@ember.example.test"))).length,
      memberships: (await db.select().from(memberships)).length,
    };
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parapet-main-${kind}-`));
    env = { PARAPET_DATA_DIR: dataDir, ...DEMO };
    if (kind === "postgres") {
      postgres = await emptyPostgresDatabase();
      env.DATABASE_URL = postgres.url;
    }
  });
  afterEach(async () => {
    // A failed assertion must not leave a server holding the database for the next test.
    for (const instance of [...running]) await stop(instance);
  });
  afterAll(async () => {
    await postgres?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("serve (without migrating) refuses an unmigrated database with migrations_pending, and lets go of it", async () => {
    if (kind === "pglite") {
      // A lock left by a crashed process (its PID is gone) does not stand in the way.
      const gone = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
      await new Promise((resolve) => gone.on("exit", resolve));
      fs.writeFileSync(path.join(dataDir, "pglite.lock"), String(gone.pid));
    }
    const refused = await startParapet(config(), { migrate: false, demo: false, services: ["web"], log: createLogger("silent") }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("migrations_pending");
    expect((refused as AppError).message).toContain("parapet migrate");
    if (kind === "pglite") expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
  });

  it("on first start migrates, creates the demo workspace and serves /healthz over real HTTP", async () => {
    const instance = await start();
    expect(instance.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(instance.url).not.toMatch(/:0$/);
    expect(instance.demo).toMatchObject({ created: true, email: DEMO.PARAPET_DEMO_EMAIL, password: DEMO.PARAPET_DEMO_PASSWORD });

    const health = await fetch(`${instance.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${instance.url}/readyz`);
    expect(await ready.json()).toEqual({ status: "ready", database: kind });
    // Links in mail point at the port really in use, not at ":0".
    expect(instance.services.config.publicUrl).toBe(instance.url);

    const signIn = await fetch(`${instance.url}/api/v1/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": "csrf-token-1", cookie: "parapet_csrf=csrf-token-1" },
      body: JSON.stringify({ email: DEMO.PARAPET_DEMO_EMAIL, password: DEMO.PARAPET_DEMO_PASSWORD }),
    });
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    expect(await demoCounts(instance)).toEqual({ demoWorkspaces: 1, demoPeople: 8, memberships: 8 });

    // Nothing else may open the embedded database while this runs, not even a second start in the same process.
    // (Other processes are refused too: see cli.test.ts.)
    if (kind === "pglite") {
      const second = await openServices(config(), { log: createLogger("silent") }).catch((err: unknown) => err);
      expect(second).toMatchObject({ code: "database_in_use" });
      expect(fs.readFileSync(path.join(dataDir, "pglite.lock"), "utf8")).toBe(String(process.pid));
    }
  });

  it("keeps its data across a restart and does not seed the demo again", async () => {
    const first = await start();
    const before = await demoCounts(first);
    await inTransaction(unsafeSystemCtx(first.services, "test"), (tx) =>
      createUser(tx, { email: "between-restarts@example.test", name: "Between Restarts", password: "between-restarts-1" }),
    );
    await stop(first);

    const second = await start();
    expect(second.demo).toMatchObject({ created: false, email: DEMO.PARAPET_DEMO_EMAIL });
    expect(await findUserByEmail(second.services.database.db, "between-restarts@example.test")).toMatchObject({ name: "Between Restarts" });
    expect(await demoCounts(second)).toEqual(before);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
  });

  it("runs the worker's jobs: identity.prune-expired removes sessions that ended more than 30 days ago", async () => {
    const now = new Date("2027-03-01T12:00:00Z");
    const instance = await start({ services: ["worker"], demo: false, clock: () => now });
    expect(instance.worker).not.toBeNull();
    const { services } = instance;
    const user = await inTransaction(unsafeSystemCtx(services, "test"), (tx) =>
      createUser(tx, { email: "sessions@example.test", name: "Session Keeper", password: "session-keeper-1" }),
    );
    const make = async (label: string, fields: Partial<typeof sessions.$inferInsert>) => {
      const { sessionId } = await inTransaction(unsafeSystemCtx(services, "test"), (tx) => createSession(tx, { userId: user.id, mfaVerified: true }));
      await services.database.db.update(sessions).set(fields).where(eq(sessions.id, sessionId));
      return [label, sessionId] as const;
    };
    const ids = Object.fromEntries([
      await make("expired 31 days ago", { expiresAt: new Date(now.getTime() - 31 * DAY) }),
      await make("expired 29 days ago", { expiresAt: new Date(now.getTime() - 29 * DAY) }),
      await make("revoked 31 days ago", { revokedAt: new Date(now.getTime() - 31 * DAY), expiresAt: new Date(now.getTime() + DAY) }),
      await make("revoked yesterday", { revokedAt: new Date(now.getTime() - DAY), expiresAt: new Date(now.getTime() + DAY) }),
      await make("live", { expiresAt: new Date(now.getTime() + DAY) }),
    ]);

    await instance.worker!.runNow("identity.prune-expired");

    const left = new Set((await services.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id))).map((s) => s.id));
    const kept = Object.entries(ids).filter(([, id]) => left.has(id)).map(([label]) => label);
    expect(kept.sort()).toEqual(["expired 29 days ago", "live", "revoked yesterday"]);
    await expect(instance.worker!.runNow("no.such-job")).rejects.toThrow(/no job/);

    // Every job is scheduled on the queue, to run without anyone calling runNow.
    const scheduled = await services.database.query<{ name: string }>("select name from pgboss.schedule order by name");
    expect(scheduled.map((s) => s.name)).toEqual(JOBS.map((job) => job.name).sort());
    expect(scheduled.length).toBeGreaterThanOrEqual(7);
  });
});

describe("the embedded database lock", () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parapet-lock-"));
    dirs.push(dir);
    return dir;
  };
  const configFor = (dir: string) => loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PARAPET_DATA_DIR: dir });
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a folder whose lock names a running process", async () => {
    const dir = dataDir();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      fs.writeFileSync(path.join(dir, "pglite.lock"), String(other.pid));
      const err = await openServices(configFor(dir), { log: createLogger("silent") }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "database_in_use", status: 409 });
      expect((err as AppError).message).toContain(`in use by process ${other.pid}`);
      expect(fs.readFileSync(path.join(dir, "pglite.lock"), "utf8")).toBe(String(other.pid)); // not taken over
    } finally {
      other.kill();
    }
  });

  it("treats a lock file still being written (no PID yet) as held", async () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, "pglite.lock"), "");
    const err = await openServices(configFor(dir), { log: createLogger("silent") }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "database_in_use" });
  });
});
