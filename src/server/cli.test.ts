import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig, testSettings } from "./config";
import { auditEvents } from "./audit/audit.schema";
import { users } from "./domains/identity/identity.schema";
import { memberships, workspaces } from "./domains/workspaces/workspaces.schema";
import { createLogger } from "./log";
import { startParapet } from "./main";
import { openServices } from "./services";
import { describeEachDatabase, type DatabaseKind } from "../../test/support/databases";
import { emptyPostgresDatabase } from "../../test/support/empty-postgres";

// Each case starts real CLI processes (each loads the server through tsx): on a busy two-core machine that takes a while.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

/**
 * The real `parapet` command, spawned as a user would run it. Each spawn costs one to two seconds of CPU (loading
 * the server's modules through tsx, which caches their compiled form, and opening the database), so the flow below
 * is one story per database: migrate, demo twice, an admin and their token, the token used against a running
 * server, and the audit log verified before and after tampering.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(ROOT, "bin/parapet.mjs");
const DEMO_PASSWORD = "demo-password-123";

type Run = { code: number; stdout: string; stderr: string };

function parapet(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...testSettings().childEnv, LOG_LEVEL: "silent", ...env }, timeout: 150_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe("parapet CLI: help", () => {
  const COMMANDS = [
    { args: [], mentions: ["start", "serve", "worker", "migrate", "demo", "admin", "audit", "DATABASE_URL", "PARAPET_DATA_DIR"] },
    { args: ["start"], mentions: ["migrate", "demo workspace"] },
    { args: ["serve"], mentions: ["migrated database"] },
    { args: ["worker"], mentions: ["background jobs"] },
    { args: ["migrate"], mentions: ["migrations"] },
    { args: ["demo"], mentions: ["demo workspace"] },
    { args: ["admin", "create"], mentions: ["--email <email>", "--password <password>", "--name <name>", "--workspace <name>"] },
    { args: ["admin", "token", "create"], mentions: ["--email <email>", "--scopes <list>", "--days <n>", "--workspace <slug>", "audit:read"] },
    { args: ["audit", "verify"], mentions: ["hash chain"] },
  ];

  it("explains every command with --help, and exits 0", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parapet-cli-help-"));
    try {
      const runs = await Promise.all(COMMANDS.map((c) => parapet([...c.args, "--help"], { PARAPET_DATA_DIR: dataDir })));
      runs.forEach((run, i) => {
        const { args, mentions } = COMMANDS[i];
        const label = `parapet ${args.join(" ")} --help`;
        expect(run.code, `${label}: ${run.stderr}`).toBe(0);
        const text = run.stdout.replace(/\s+/g, " "); // commander wraps lines at 80 columns
        expect(text, label).toContain(`Usage: parapet${args.length ? ` ${args.join(" ")}` : ""}`);
        for (const mention of mentions) expect(text, label).toContain(mention);
      });
      // Asking for help touches nothing: no database, no key file.
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describeEachDatabase("parapet CLI", (kind: DatabaseKind) => {
  let dataDir: string;
  let env: Record<string, string>;
  let postgres: Awaited<ReturnType<typeof emptyPostgresDatabase>> | null = null;
  const ADMIN = { email: "ops@cli.example.test", password: "cli-admin-password-1" };
  let token = "";

  /** Services on the CLI's database, opened in this process (after the CLI has exited). */
  const open = () => openServices(loadConfig({ ...env, NODE_ENV: "test" }), { log: createLogger("silent") });
  async function withDatabase<T>(fn: (services: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
    const services = await open();
    try {
      return await fn(services);
    } finally {
      await services.close();
    }
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parapet-cli-${kind}-`));
    env = { PARAPET_DATA_DIR: dataDir, PARAPET_DEMO_PASSWORD: DEMO_PASSWORD, PARAPET_DEMO_EMAIL: "owner@demo.example.test" };
    if (kind === "postgres") {
      postgres = await emptyPostgresDatabase();
      env.DATABASE_URL = postgres.url;
    }
  });
  afterAll(async () => {
    await postgres?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("migrate: brings an empty database up to date", async () => {
    const run = await parapet(["migrate"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Database migrated (${kind}).`);
    await withDatabase(async (s) => {
      const { migrationsApplied } = await import("./db/client");
      expect(await migrationsApplied(s.database)).toBe(true);
    });
  });

  it("demo: creates the demo workspace once; the second run says it exists and adds no one", async () => {
    const first = await parapet(["demo"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("Demo workspace created.");
    expect(first.stdout).toContain("Sign in: owner@demo.example.test");
    const count = () =>
      withDatabase(async (s) => ({
        demoWorkspaces: (await s.database.db.select().from(workspaces).where(eq(workspaces.isDemo, true))).length,
        people: (await s.database.db.select({ email: users.email }).from(users).where(like(users.email, "%@demo.example.test"))).map((u) => u.email).sort(),
        memberships: (await s.database.db.select().from(memberships)).length,
        seeded: (await s.database.db.select().from(auditEvents).where(eq(auditEvents.action, "demo.seeded"))).length,
      }));
    const afterFirst = await count();
    expect(afterFirst.demoWorkspaces).toBe(1);
    expect(afterFirst.people.length).toBe(8);
    expect(afterFirst.seeded).toBe(1);

    const second = await parapet(["demo"], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("Demo workspace already exists.");
    expect(second.stdout).toContain("Sign in: owner@demo.example.test");
    expect(await count()).toEqual(afterFirst);
  });

  it("admin create, then admin token create: the printed ppt_ token works as Bearer against a running server", async () => {
    const created = await parapet(["admin", "create", "--email", ADMIN.email, "--password", ADMIN.password, "--name", "Ops Person", "--workspace", "CLI Brand"], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created ${ADMIN.email}, owner of "CLI Brand".`);
    expect(created.stdout).not.toContain(ADMIN.password);

    if (kind === "pglite") {
      const again = await parapet(["admin", "create", "--email", ADMIN.email.toUpperCase(), "--password", ADMIN.password], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("Error (email_taken)");
    }

    const issued = await parapet(["admin", "token", "create", "--email", ADMIN.email], env);
    expect(issued.code, issued.stderr).toBe(0);
    token = issued.stdout.trim();
    expect(token).toMatch(/^ppt_[A-Za-z0-9_-]{20,}$/);

    const running = await startParapet(loadConfig({ ...env, NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1" }), {
      migrate: false, demo: false, services: ["web"], log: createLogger("silent"),
    });
    try {
      const get = (p: string, bearer = token) => fetch(`${running.url}${p}`, { headers: { authorization: `Bearer ${bearer}` } });
      const workspace = await get("/api/v1/workspace");
      expect(workspace.status).toBe(200);
      expect(await workspace.json()).toMatchObject({ name: "CLI Brand", isDemo: false });
      const members = (await (await get("/api/v1/workspace/members")).json()) as { members: Array<{ email: string; role: string }> };
      expect(members.members).toEqual([expect.objectContaining({ email: ADMIN.email, role: "owner" })]);
      // The default scopes read but do not write.
      const write = await fetch(`${running.url}/api/v1/workspace/teams`, {
        method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "Nope" }),
      });
      expect(write.status).toBe(403);
      expect((await get("/api/v1/workspace", "ppt_not-a-real-token-at-all")).status).toBe(401);
      // The audit log says the token came from the command line, not from the person's account page.
      const audit = (await (await get("/api/v1/audit?action=api_token.created")).json()) as { events: Array<{ data: { via?: string } }> };
      expect(audit.events.map((e) => e.data.via)).toEqual(["cli"]);

      if (kind === "pglite") {
        // While this process holds the embedded database, a second process must not open it.
        const blocked = await parapet(["audit", "verify"], env);
        expect(blocked.code, blocked.stdout + blocked.stderr).toBe(3);
        expect(blocked.stderr).toMatch(/in use/);
        expect(blocked.stderr).toContain("database_in_use");
      }
    } finally {
      await running.stop();
    }
  });

  it("audit verify: exits 0 on an intact log, and 1 naming the row after tampering", async () => {
    const intact = await parapet(["audit", "verify"], env);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/Audit log intact: \d+ events, chain verified\./);

    const seq = await withDatabase(async (s) => {
      const [row] = await s.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "user.created"), like(auditEvents.actorLabel, "cli"))).limit(1);
      await s.database.query("ALTER TABLE audit_events DISABLE TRIGGER USER");
      await s.database.query(`UPDATE audit_events SET data = jsonb_set(data, '{email}', '"someone-else@example.test"') WHERE seq = $1`, [row.seq]);
      await s.database.query("ALTER TABLE audit_events ENABLE TRIGGER USER");
      return row.seq;
    });
    const tampered = await parapet(["audit", "verify"], env);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain("AUDIT LOG TAMPERED");
    expect(tampered.stderr).toContain(`#${seq}`);
    expect(tampered.stderr).toContain("edited");
  });
});
