import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig, testSettings } from "../config";
import { auditEvents } from "../audit/audit.schema";
import { users } from "../domains/identity/identity.schema";
import { createLogger } from "../log";
import { openServices } from "../services";
import { SecretBox } from "../crypto/secrets";
import { describeEachDatabase, type DatabaseKind } from "../../../test/support/databases";
import { emptyPostgresDatabase } from "../../../test/support/empty-postgres";
import { SEALED_COLUMNS } from "./sealed-columns";

/**
 * `parapet keys …` spawned as an operator runs it, one story per database: the key-file deployment rotates with
 * --new-key, the environment deployment is told the steps, then follows them; a wrong key changes nothing.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const BIN = path.join(ROOT, "bin/parapet.mjs");
type Run = { code: number; stdout: string; stderr: string };
/** Several spawns per test, each a few seconds (more on a busy machine). */
const SPAWNS = { timeout: 240_000 };

function parapet(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...testSettings().childEnv, LOG_LEVEL: "silent", ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describeEachDatabase("parapet keys", (kind: DatabaseKind) => {
  let dataDir: string;
  let env: Record<string, string>;
  let postgres: Awaited<ReturnType<typeof emptyPostgresDatabase>> | null = null;
  const EMAIL = "ops@keys.example.test";
  const keyFile = () => path.join(dataDir, "secret.key");
  const previousFile = () => path.join(dataDir, "secret.key.previous");
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null);

  async function withDatabase<T>(extraEnv: Record<string, string>, fn: (services: Awaited<ReturnType<typeof openServices>>) => Promise<T>): Promise<T> {
    const services = await openServices(loadConfig({ ...env, ...extraEnv, NODE_ENV: "test" }), { log: createLogger("silent") });
    try {
      return await fn(services);
    } finally {
      await services.close();
    }
  }
  const sealedValues = () =>
    withDatabase({}, async (s) => {
      const all: string[] = [];
      for (const c of SEALED_COLUMNS) for (const row of await s.database.db.select({ v: c.value }).from(c.table)) if (row.v) all.push(row.v as string);
      return all.sort();
    });
  const expectOk = (run: Run) => expect(run.code, run.stdout + run.stderr).toBe(0);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parapet-keys-cli-${kind}-`));
    env = { PARAPET_DATA_DIR: dataDir };
    if (kind === "postgres") {
      postgres = await emptyPostgresDatabase();
      env.DATABASE_URL = postgres.url;
    }
    expectOk(await parapet(["admin", "create", "--email", EMAIL, "--password", "keys-admin-password-1"], env));
    // An MFA secret sealed with the key file's key, as enrolment does.
    await withDatabase({}, (s) => s.database.db.update(users).set({ mfaSecret: s.secrets.seal("JBSWY3DPEHPK3PXP") }).where(eq(users.email, EMAIL)));
  }, SPAWNS.timeout);
  afterAll(async () => {
    await postgres?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keys check: counts the sealed values per table; all on the current key", SPAWNS, async () => {
    const run = await parapet(["keys", "check"], env);
    expectOk(run);
    const keyId = new SecretBox(Buffer.from(read(keyFile())!.trim(), "base64")).keyId;
    expect(run.stdout).toContain(`Current key: ${keyId}. Previous keys: none.`);
    expect(run.stdout).toMatch(/users\.mfa_secret\s+1 current\s+0 on a previous key\s+0 unreadable/);
    expect(run.stdout).toMatch(/server_keys\.sealed\s+1 current/);
    expect(run.stdout).toContain("Every sealed value uses the current key.");
  });

  it("keys rotate --new-key (key file): new key file, old key kept as previous, everything re-sealed, audit log still verifies", SPAWNS, async () => {
    const oldKey = read(keyFile())!.trim();
    const oldId = new SecretBox(Buffer.from(oldKey, "base64")).keyId;
    const run = await parapet(["keys", "rotate", "--new-key", "--batch-size", "1"], env);
    expectOk(run);
    const newKey = read(keyFile())!.trim();
    const newId = new SecretBox(Buffer.from(newKey, "base64")).keyId;
    expect(newKey).not.toBe(oldKey);
    expect(run.stdout).not.toContain(newKey); // the key itself is never printed
    expect(read(previousFile())).toBe(`${oldKey}\n`);
    expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(run.stdout).toContain(`New key ${newId} written to`);
    expect(run.stdout).toContain(`the old key ${oldId} is kept in`);
    expect(run.stdout).toContain("users.mfa_secret: 1 re-sealed…"); // progress
    expect(run.stdout).toContain(`Re-sealed 2 value(s) with key ${newId}:`);
    expect(run.stdout).toMatch(/users\.mfa_secret\s+1\n/);
    expect(run.stdout).toContain("the previous key(s) are no longer needed");

    const values = await sealedValues();
    expect(values).toHaveLength(2);
    for (const v of values) expect(v.startsWith(`v2:${newId}:`)).toBe(true);
    const verify = await parapet(["audit", "verify"], env);
    expectOk(verify);
    expect(verify.stdout).toContain("Audit log intact");
    const [row] = await withDatabase({}, (s) => s.database.db.select().from(auditEvents).where(eq(auditEvents.action, "keys.rotated")));
    expect(row).toMatchObject({ actorType: "system", actorLabel: "cli", data: { keyId: newId, newKey: true, total: 2 } });

    const check = await parapet(["keys", "check"], env);
    expectOk(check);
    expect(check.stdout).toContain(`Current key: ${newId}. Previous keys: ${oldId}.`);
    expect(check.stdout).toContain("no longer needed");
  });

  it("a key from the environment: --new-key prints the steps and changes nothing; following them works", SPAWNS, async () => {
    const fileKey = read(keyFile())!.trim();
    const valuesBefore = await sealedValues();
    const told = await parapet(["keys", "rotate", "--new-key"], { ...env, PARAPET_SECRET_KEY: fileKey });
    expect(told.code).toBe(1);
    expect(told.stderr).toContain("Error (secret_key_in_environment)");
    for (const step of ["openssl rand -base64 32", "PARAPET_PREVIOUS_SECRET_KEYS", "Restart every process", "parapet keys rotate", "parapet keys check"])
      expect(told.stderr).toContain(step);
    expect(read(keyFile())!.trim()).toBe(fileKey);
    expect(await sealedValues()).toEqual(valuesBefore);

    // The steps: new key in PARAPET_SECRET_KEY, the old one in PARAPET_PREVIOUS_SECRET_KEYS, rotate.
    const next = randomBytes(32).toString("base64");
    const rotated = await parapet(["keys", "rotate"], { ...env, PARAPET_SECRET_KEY: next, PARAPET_PREVIOUS_SECRET_KEYS: fileKey });
    expectOk(rotated);
    expect(rotated.stdout).toContain("Re-sealed 2 value(s)");
    // Then without the previous key (the data folder's secret.key.previous holds only the first key, no longer used).
    const verify = await parapet(["audit", "verify"], { ...env, PARAPET_SECRET_KEY: next });
    expectOk(verify);
    const check = await parapet(["keys", "check"], { ...env, PARAPET_SECRET_KEY: next });
    expectOk(check);
    expect(check.stdout).toMatch(/users\.mfa_secret\s+1 current\s+0 on a previous key/);
  });

  it("a wrong key: keys rotate refuses with secret_key_unknown and changes nothing; keys check exits 1", SPAWNS, async () => {
    const valuesBefore = await sealedValues();
    const wrong = { ...env, PARAPET_SECRET_KEY: randomBytes(32).toString("base64"), PARAPET_PREVIOUS_SECRET_KEYS: randomBytes(32).toString("base64") };
    const refused = await parapet(["keys", "rotate"], wrong);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Error (secret_key_unknown)");
    expect(refused.stderr).toContain("Nothing was changed.");
    expect(await sealedValues()).toEqual(valuesBefore);
    const check = await parapet(["keys", "check"], wrong);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/users\.mfa_secret\s+0 current\s+0 on a previous key\s+1 unreadable/);
    expect(check.stderr).toContain("Error (secret_key_unknown)");
  });

  it("explains itself with --help", SPAWNS, async () => {
    const [keys, rotate] = await Promise.all([parapet(["keys", "--help"], env), parapet(["keys", "rotate", "--help"], env)]);
    expectOk(keys);
    expect(keys.stdout).toContain("check");
    expect(rotate.stdout.replace(/\s+/g, " ")).toContain("--new-key");
    expect(rotate.stdout.replace(/\s+/g, " ")).toContain("--batch-size <n>");
  });
});
