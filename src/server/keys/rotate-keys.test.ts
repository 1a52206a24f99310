import { createCipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config";
import { unsafeSystemCtx, type Services } from "../context";
import type { Database } from "../db/client";
import { AppError } from "../errors";
import { createLogger } from "../log";
import { openServices } from "../services";
import { SecretBox } from "../crypto/secrets";
import { serverKeys } from "../crypto/server-keys.schema";
import { AUDIT_CHAIN_KEY, auditChainKey } from "../audit/chain";
import { auditEvents } from "../audit/audit.schema";
import { verifyAuditChain } from "../audit/verify";
import { createApp } from "../http/app";
import { channelAuthorizations, channels } from "../domains/channels/channels.schema";
import { users } from "../domains/identity/identity.schema";
import { ssoProviders, ssoSignIns } from "../domains/sso/sso.schema";
import { alertDestinations } from "../domains/listening/listening.schema";
import { totpCode } from "../domains/identity";
import { seedSandboxNetwork } from "../networks/sandbox/seed";
import { describeEachDatabase, freshDatabase, type DatabaseKind } from "../../../test/support/databases";
import { buildWorkspace, signedInClient } from "../../../test/support/factories";
import { testClock } from "../../../test/support/services";
import { SEALED_COLUMNS } from "./sealed-columns";
import { checkSealedValues } from "./check-sealed-values";
import { rotateKeys } from "./rotate-keys";

const newKey = () => randomBytes(32).toString("base64");

/** A value in the format Parapet wrote before key ids ("v1:" + base64(iv | tag | ciphertext)). */
function sealV1(key: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(key, "base64"), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

/** Every sealed value in the database, by "table.column" and primary key. */
async function sealedValues(database: Database): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const column of SEALED_COLUMNS) {
    const rows = await database.db.select({ key: column.key, value: column.value }).from(column.table);
    for (const row of rows) if (row.value) all.set(`${column.name}/${String(row.key)}`, row.value as string);
  }
  return all;
}

const errorCode = async (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (err: unknown) => (err instanceof AppError ? err.code : `not an AppError: ${String(err)}`),
  );

/** Processes on one database with the given keys (each its own services, as after a restart). */
function keyedServices(kind: DatabaseKind) {
  const opened: Array<{ close(): Promise<void> }> = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parapet-keys-${kind}-`));
  const clock = testClock();
  let database: Database;
  return {
    clock,
    async init() {
      database = await freshDatabase(kind);
    },
    get database() {
      return database;
    },
    async open(current: string, previous: string[] = []): Promise<Services> {
      const config = loadConfig({
        NODE_ENV: "test",
        PARAPET_DATA_DIR: dataDir,
        PARAPET_SECRET_KEY: current,
        PARAPET_PREVIOUS_SECRET_KEYS: previous.join(","),
        LOGIN_RATE_PER_MINUTE: "1000",
        LOG_LEVEL: "silent",
      });
      const services = await openServices(config, { database, clock, log: createLogger("silent") });
      opened.push(services);
      return services;
    },
    async close() {
      for (const s of opened) await s.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describeEachDatabase("parapet keys rotate", (kind) => {
  const processes = keyedServices(kind);
  const OLD = newKey();
  const NEW = newKey();
  let before: Services;
  let people: Awaited<ReturnType<typeof buildWorkspace>>["people"];
  let channelId = "";
  let mfaSecret = "";
  let chainKeyBefore: Buffer;
  let valuesBefore: Map<string, string>;

  beforeAll(async () => {
    await processes.init();
    before = await processes.open(OLD);
    ({ people } = await buildWorkspace(before));
    const app = createApp(before);
    // A Sandbox channel, connected as an admin does it.
    await seedSandboxNetwork(before.database.db, processes.clock());
    const admin = await signedInClient(app, people.admin);
    const connected = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" });
    expect(connected.status, connected.text).toBe(200);
    channelId = connected.body.id;
    // MFA enrolled by the member; the manager started enrolling and stopped (a pending secret).
    const member = await signedInClient(app, people.member);
    const setup = await member.post("/api/v1/me/mfa/setup");
    mfaSecret = setup.body.secret;
    expect((await member.post("/api/v1/me/mfa/confirm", { code: totpCode(mfaSecret, processes.clock()) })).status).toBe(200);
    const manager = await signedInClient(app, people.manager);
    expect((await manager.post("/api/v1/me/mfa/setup")).status).toBe(200);
    // An OAuth connect under way, and a value left in the older v1 format (before key ids).
    await before.database.db.insert(channelAuthorizations).values({
      workspaceId: (await before.database.db.select().from(channels).where(eq(channels.id, channelId)))[0].workspaceId,
      network: "sandbox",
      stateHash: randomBytes(16).toString("hex"),
      secrets: before.secrets.seal(JSON.stringify({ codeVerifier: "verifier-1", pending: {} })),
      redirectUri: "http://localhost/callback",
      createdAt: processes.clock(),
      expiresAt: new Date(processes.clock().getTime() + 15 * 60_000),
    });
    await before.database.db.update(users).set({ mfaPendingSecret: sealV1(OLD, "LEGACYSECRET") }).where(eq(users.id, people.owner.id));
    // A workspace's single sign-on client secret, and an SSO sign-in under way.
    const [provider] = await before.database.db
      .insert(ssoProviders)
      .values({
        workspaceId: (await before.database.db.select().from(channels).where(eq(channels.id, channelId)))[0].workspaceId,
        issuer: "https://login.example.test",
        clientId: "parapet",
        clientSecret: before.secrets.seal("client-secret-1"),
        allowedDomains: ["example.test"],
        defaultRole: "member",
      })
      .returning();
    await before.database.db.insert(ssoSignIns).values({
      providerId: provider.id,
      stateHash: randomBytes(16).toString("hex"),
      browserHash: randomBytes(16).toString("hex"),
      secrets: before.secrets.seal(JSON.stringify({ codeVerifier: "verifier-2", nonce: "nonce-2" })),
      expiresAt: new Date(processes.clock().getTime() + 10 * 60_000),
    });
    // A signed webhook for listening alerts: its URL and signing secret.
    await before.database.db.insert(alertDestinations).values({
      workspaceId: provider.workspaceId,
      kind: "webhook",
      name: "Alerts",
      target: before.secrets.seal("https://hooks.example.test/parapet"),
      signingSecret: before.secrets.seal("whsec_c2VjcmV0"),
    });
    chainKeyBefore = before.secrets.deriveKey(AUDIT_CHAIN_KEY);
    valuesBefore = await sealedValues(before.database);
  });
  afterAll(() => processes.close());

  it("knows every column that holds sealed values (a sealed value anywhere else would be left behind)", async () => {
    const columns = await before.database.query<{ table_name: string; column_name: string }>(
      "select table_name, column_name from information_schema.columns where table_schema = 'public' and data_type = 'text'",
    );
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      const [row] = await before.database.query<{ n: number }>(
        `select count(*)::int as n from "${table_name}" where "${column_name}" ~ '^v[12]:'`,
      );
      if (row.n > 0) found.push(`${table_name}.${column_name}`);
    }
    expect(found.sort()).toEqual(SEALED_COLUMNS.map((c) => c.name).sort());
    expect(valuesBefore.size).toBe(10); // credentials, authorization, MFA secret, two pending secrets, SSO client secret and sign-in, alert webhook URL and secret, audit chain key
  });

  it("refuses, changing nothing, when a previous key is wrong or missing (secret_key_unknown)", async () => {
    const auditRows = (await before.database.db.select().from(auditEvents)).length;
    const wrongPrevious = await processes.open(NEW, [newKey()]);
    expect(await errorCode(rotateKeys(unsafeSystemCtx(wrongPrevious, "test")))).toBe("secret_key_unknown");
    const noPrevious = await processes.open(NEW);
    const refused = await rotateKeys(unsafeSystemCtx(noPrevious, "test")).catch((err: AppError) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toContain("Nothing was changed");
    expect((refused as AppError).message).toContain(new SecretBox(Buffer.from(OLD, "base64")).keyId); // names the key it needs
    expect(await sealedValues(before.database)).toEqual(valuesBefore);
    expect((await before.database.db.select().from(auditEvents)).length).toBe(auditRows);
  });

  it("a run stopped half-way leaves everything readable; a second run finishes; then the old key alone opens nothing", async () => {
    const rotating = await processes.open(NEW, [OLD]);
    expect((await checkSealedValues(rotating.database.db, rotating.secrets)).totals).toEqual({ current: 0, previous: 10, unknown: 0 });

    // The process dies after its second batch of one value each.
    let batches = 0;
    const crash = new Error("killed between batches");
    const stopped = rotateKeys(unsafeSystemCtx(rotating, "test"), {
      batchSize: 1,
      onProgress: () => {
        if (++batches === 2) throw crash;
      },
    });
    await expect(stopped).rejects.toBe(crash);
    const half = await checkSealedValues(rotating.database.db, rotating.secrets);
    expect(half.totals).toEqual({ current: 2, previous: 8, unknown: 0 });
    for (const value of (await sealedValues(rotating.database)).values()) expect(() => rotating.secrets.open(value)).not.toThrow();
    expect(await verifyAuditChain(rotating.database.db, await auditChainKey(rotating.database.db, rotating.secrets))).toMatchObject({ ok: true });

    const progress: string[] = [];
    const done = await rotateKeys(unsafeSystemCtx(rotating, "test"), { batchSize: 2, onProgress: (p) => void progress.push(`${p.column}:${p.resealed}`) });
    expect(done.total).toBe(8);
    expect(done.after.totals).toEqual({ current: 10, previous: 0, unknown: 0 });
    expect(progress.length).toBeGreaterThan(0);
    expect(Object.keys(done.resealed)).toEqual(SEALED_COLUMNS.map((c) => c.name));

    // The same plain values, each sealed anew with the new key; the old key alone opens none of them.
    const after = await sealedValues(rotating.database);
    expect([...after.keys()].sort()).toEqual([...valuesBefore.keys()].sort());
    const oldOnly = new SecretBox(Buffer.from(OLD, "base64"));
    for (const [where, value] of after) {
      expect(value.startsWith(`v2:${rotating.secrets.keyId}:`), where).toBe(true);
      expect(rotating.secrets.open(value), where).toBe(rotating.secrets.open(valuesBefore.get(where)!));
      expect(() => oldOnly.open(value), where).toThrow(/sealed with a key this server was not given/);
    }
    // The server_keys row says when it was re-sealed.
    const [chainRow] = await rotating.database.db.select().from(serverKeys).where(eq(serverKeys.purpose, AUDIT_CHAIN_KEY));
    expect(chainRow.resealedAt).not.toBeNull();

    // Running it again changes nothing (but is recorded).
    const again = await rotateKeys(unsafeSystemCtx(rotating, "test"));
    expect(again.total).toBe(0);
    expect(await sealedValues(rotating.database)).toEqual(after);
  });

  it("with only the new key: the channel still verifies, MFA sign-in works, the audit log verifies and records the rotation", async () => {
    const restarted = await processes.open(NEW); // the previous key removed
    const app = createApp(restarted);
    const admin = await signedInClient(app, people.admin);
    const verified = await admin.post(`/api/v1/channels/${channelId}/verify`);
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.outcome).toEqual({ ok: true });

    processes.clock.advance(30_000); // a fresh TOTP step: the enrolment's code was used
    const member = await signedInClient(app, people.member, { mfaSecret, services: restarted });
    expect((await member.get("/api/v1/me")).status).toBe(200);

    // The chain key is the one the log was written with, though the server key changed.
    const chainKey = await auditChainKey(restarted.database.db, restarted.secrets);
    expect(chainKey.equals(chainKeyBefore)).toBe(true);
    expect(chainKey.equals(restarted.secrets.deriveKey(AUDIT_CHAIN_KEY))).toBe(false);
    expect(await verifyAuditChain(restarted.database.db, chainKey)).toMatchObject({ ok: true });
    const rotations = await restarted.database.db.select().from(auditEvents).where(eq(auditEvents.action, "keys.rotated"));
    expect(rotations.map((r) => (r.data as { total: number }).total)).toEqual([8, 0]);
    expect(rotations[0]).toMatchObject({ actorType: "system", workspaceId: null });
    expect(rotations[0].data).toMatchObject({ keyId: restarted.secrets.keyId, newKey: false, resealed: { "users.mfa_secret": 1 } });
  });
});

describeEachDatabase("the audit chain key", (kind) => {
  const processes = keyedServices(kind);
  const NEW_KEY = newKey();
  beforeAll(() => processes.init());
  afterAll(() => processes.close());

  it("is created once, from the key the log was written with, even when the server key changed first", async () => {
    const OLD = newKey();
    const first = await processes.open(OLD);
    await buildWorkspace(first); // audit rows, hashed with the key derived from OLD
    // A database from before server_keys: the row is not there yet.
    await first.database.db.delete(serverKeys);

    // The operator already switched to a new key (old one kept as previous) when this version first starts.
    const a = await processes.open(NEW_KEY, [OLD]);
    const b = await processes.open(NEW_KEY, [OLD]);
    const [keyA, keyB] = await Promise.all([auditChainKey(a.database.db, a.secrets), auditChainKey(b.database.db, b.secrets)]);
    expect(keyA.equals(first.secrets.deriveKey(AUDIT_CHAIN_KEY))).toBe(true);
    expect(keyB.equals(keyA)).toBe(true);
    expect(await a.database.db.select().from(serverKeys)).toHaveLength(1);
    expect(await verifyAuditChain(a.database.db, keyA)).toMatchObject({ ok: true });

    // A process given neither key cannot open it (startParapet and every audited command stop there), and makes no other.
    const stranger = await processes.open(newKey());
    expect(await errorCode(auditChainKey(stranger.database.db, stranger.secrets))).toBe("secret_key_unknown");
    expect(await a.database.db.select().from(serverKeys)).toHaveLength(1);
  });
});

describe("PARAPET_PREVIOUS_SECRET_KEYS", () => {
  it("takes comma-separated base64 keys, and refuses anything else without echoing it", () => {
    const [a, b] = [newKey(), newKey()];
    expect(loadConfig({ PARAPET_PREVIOUS_SECRET_KEYS: `${a}, ${b}` }).previousSecretKeys).toEqual([a, b]);
    expect(loadConfig({}).previousSecretKeys).toEqual([]);
    let problem = "";
    try {
      loadConfig({ PARAPET_PREVIOUS_SECRET_KEYS: `${a},short-and-secret` });
    } catch (err) {
      problem = (err as ConfigError).problems.join("\n");
    }
    expect(problem).toContain("PARAPET_PREVIOUS_SECRET_KEYS=(value hidden): must be comma-separated keys of 32 bytes each");
    expect(problem).not.toContain("short-and-secret");
  });
});
