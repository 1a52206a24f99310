import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../contracts/roles";
import { createCtx, inTransaction, unsafeSystemCtx, type Ctx } from "../context";
import { openDatabase, type Database } from "../db/client";
import { createApp } from "../http/app";
import { createSession } from "../domains/identity";
import { sessions, users } from "../domains/identity/identity.schema";
import { mailOutbox } from "../mail/mail.schema";
import { hashToken } from "../crypto/secrets";
import {
  acceptInvitation,
  changeMemberRole,
  createTeam,
  createWorkspace,
  deleteTeam,
  inviteMember,
  removeMember,
  revokeInvitation,
  setTeamMembership,
  unsafeAddMemberDirectly,
  updateTeam,
  updateWorkspace,
} from "../domains/workspaces";
import { invitations, memberships, teamMembers, teams, workspaces } from "../domains/workspaces/workspaces.schema";
import { appendAuditEvent, type AuditMeta } from "./append";
import { auditChainHead, auditEvents } from "./audit.schema";
import { AUDIT_CHAIN_KEY, hashRow } from "./chain";
import { presentAuditEvent, toCsv } from "./query";
import { verifyAuditChain } from "./verify";
import { describeEachDatabase, freshDatabase, type DatabaseKind } from "../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../test/support/http";
import { actionsSince, auditSince, lastAuditSeq } from "../../../test/support/audit";

const HOUR = 3_600_000;

// The command and HTTP suites share one set of services per database kind (they use separate workspaces):
// a fresh embedded database costs about two seconds.
const opened = new Map<DatabaseKind, Promise<TestServices>>();
const servicesFor = (kind: DatabaseKind) => {
  if (!opened.has(kind)) opened.set(kind, createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" }));
  return opened.get(kind)!;
};
afterAll(async () => {
  for (const services of opened.values()) await (await services).close();
});

// ── 1. Each command writes exactly its event, in the transaction that makes its change ──────────────────

describeEachDatabase("audit: every workspace command writes exactly its event, in its own transaction", (kind) => {
  let services: TestServices;
  let workspace: { id: string };
  let people: Record<Role, { id: string; email: string; name: string }>;
  const fixtures = {} as { teamId: string; invitationId: string; acceptToken: string; targetId: string };

  const ownerCtx = () =>
    createCtx(services, {
      actor: { type: "user", userId: people.owner.id, email: people.owner.email, name: people.owner.name, role: "owner", via: "session" },
      workspaceId: workspace.id,
    });
  const anonymousCtx = () => createCtx(services, { actor: { type: "anonymous" }, workspaceId: null });
  const db = () => services.database.db;

  class Rollback extends Error {}
  /** Runs the command inside a transaction that is then rolled back, as a failure later in the same request would. */
  async function runAndRollBack(ctx: Ctx, run: (ctx: Ctx) => Promise<unknown>) {
    await expect(
      inTransaction(ctx, async (tx) => {
        await run(tx);
        throw new Rollback("roll back");
      }),
    ).rejects.toBeInstanceOf(Rollback);
  }

  beforeAll(async () => {
    services = await servicesFor(kind);
    const built = await buildWorkspace(services);
    workspace = built.workspace;
    people = built.people;
    const owner = ownerCtx();
    fixtures.teamId = (await createTeam(owner, { name: "Fixture team" })).id;
    fixtures.invitationId = (await inviteMember(owner, { email: "to-revoke@example.test", role: "member" })).invitation.id;
    fixtures.acceptToken = new URL((await inviteMember(owner, { email: "joiner@example.test", role: "manager" })).link).searchParams.get("token")!;
    const target = await buildUser(services);
    await inTransaction(unsafeSystemCtx(services, "test", workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: target.id, role: "member" }));
    await inTransaction(unsafeSystemCtx(services, "test"), (tx) => createSession(tx, { userId: target.id, mfaVerified: true }));
    fixtures.targetId = target.id;
  });

  type Case = { events: string[]; ctx?: () => Ctx; run: (ctx: Ctx) => Promise<unknown>; state: () => Promise<unknown> };
  const count = async (rows: Promise<unknown[]>) => (await rows).length;
  const CASES: Record<string, Case> = {
    createWorkspace: {
      events: ["workspace.created"],
      run: (ctx) => createWorkspace(ctx, { name: "Side brand" }),
      state: () => count(db().select().from(workspaces).where(eq(workspaces.name, "Side brand"))),
    },
    updateWorkspace: {
      events: ["workspace.updated"],
      run: (ctx) => updateWorkspace(ctx, { name: "Renamed brand", requireMfa: false }),
      state: async () => (await db().select().from(workspaces).where(eq(workspaces.id, workspace.id)))[0].name,
    },
    inviteMember: {
      events: ["invitation.created"],
      run: (ctx) => inviteMember(ctx, { email: "newcomer@example.test", role: "member", teamIds: [fixtures.teamId] }),
      state: async () => [
        await count(db().select().from(invitations).where(eq(invitations.email, "newcomer@example.test"))),
        await count(db().select().from(mailOutbox).where(eq(mailOutbox.toAddress, "newcomer@example.test"))),
      ],
    },
    revokeInvitation: {
      events: ["invitation.revoked"],
      run: (ctx) => revokeInvitation(ctx, { invitationId: fixtures.invitationId }),
      state: async () => (await db().select().from(invitations).where(eq(invitations.id, fixtures.invitationId)))[0].revokedAt,
    },
    acceptInvitation: {
      events: ["user.created", "invitation.accepted"],
      ctx: anonymousCtx,
      run: (ctx) => acceptInvitation(ctx, { token: fixtures.acceptToken, name: "Joiner", password: "joiner-password-1" }),
      state: async () => [
        await count(db().select().from(users).where(eq(users.email, "joiner@example.test"))),
        (await db().select().from(invitations).where(eq(invitations.tokenHash, hashToken(fixtures.acceptToken))))[0].acceptedAt,
        await count(db().select().from(memberships).where(eq(memberships.workspaceId, workspace.id))),
      ],
    },
    changeMemberRole: {
      events: ["member.role_changed"],
      run: (ctx) => changeMemberRole(ctx, { userId: fixtures.targetId, role: "manager" }),
      state: async () => (await db().select().from(memberships).where(and(eq(memberships.workspaceId, workspace.id), eq(memberships.userId, fixtures.targetId))))[0]?.role,
    },
    createTeam: {
      events: ["team.created"],
      run: (ctx) => createTeam(ctx, { name: "Escalations" }),
      state: () => count(db().select().from(teams).where(and(eq(teams.workspaceId, workspace.id), eq(teams.name, "Escalations")))),
    },
    updateTeam: {
      events: ["team.updated"],
      run: (ctx) => updateTeam(ctx, { teamId: fixtures.teamId, name: "Renamed team", description: "now with a description" }),
      state: async () => (await db().select().from(teams).where(eq(teams.id, fixtures.teamId)))[0],
    },
    addTeamMember: {
      events: ["team.member_added"],
      run: (ctx) => setTeamMembership(ctx, { teamId: fixtures.teamId, userId: fixtures.targetId, member: true }),
      state: () => count(db().select().from(teamMembers).where(eq(teamMembers.teamId, fixtures.teamId))),
    },
    removeTeamMember: {
      events: ["team.member_removed"],
      run: (ctx) => setTeamMembership(ctx, { teamId: fixtures.teamId, userId: fixtures.targetId, member: false }),
      state: () => count(db().select().from(teamMembers).where(eq(teamMembers.teamId, fixtures.teamId))),
    },
    removeMember: {
      events: ["member.removed"],
      run: (ctx) => removeMember(ctx, { userId: fixtures.targetId }),
      state: async () => [
        await count(db().select().from(memberships).where(and(eq(memberships.workspaceId, workspace.id), eq(memberships.userId, fixtures.targetId)))),
        (await db().select().from(sessions).where(eq(sessions.userId, fixtures.targetId))).map((s) => s.revokedAt),
      ],
    },
    deleteTeam: {
      events: ["team.deleted"],
      run: (ctx) => deleteTeam(ctx, { teamId: fixtures.teamId }),
      state: () => count(db().select().from(teams).where(eq(teams.id, fixtures.teamId))),
    },
  };

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: rolled back, leaves neither its change nor ${c.events.join(" / ")}; committed, writes exactly that`, async () => {
      const ctx = (c.ctx ?? ownerCtx)();
      const before = await c.state();
      const seq = await lastAuditSeq(services);
      await runAndRollBack(ctx, c.run);
      expect(await c.state()).toEqual(before);
      expect(await actionsSince(services, seq)).toEqual([]);
      expect(await lastAuditSeq(services)).toBe(seq);

      await c.run((c.ctx ?? ownerCtx)());
      expect(await actionsSince(services, seq)).toEqual(c.events);
      expect(await c.state()).not.toEqual(before);
    });
  }

  it("a command that fails half-way (after creating the user and the membership) leaves nothing behind", async () => {
    // An invitation whose role no longer exists (say, written by a newer version): the user, their membership and
    // `user.created` are written before `invitation.accepted` is refused by the typed audit union.
    const token = "corrupt-invitation-token-0001";
    await db().insert(invitations).values({
      workspaceId: workspace.id, email: "halfway@example.test", role: "superuser", tokenHash: hashToken(token),
      createdAt: services.clock(), expiresAt: new Date(services.clock().getTime() + 24 * HOUR),
    });
    const seq = await lastAuditSeq(services);
    const members = await count(db().select().from(memberships).where(eq(memberships.workspaceId, workspace.id)));
    await expect(acceptInvitation(anonymousCtx(), { token, name: "Half Way", password: "halfway-password-1" })).rejects.toThrow();
    expect(await count(db().select().from(users).where(eq(users.email, "halfway@example.test")))).toBe(0);
    expect(await count(db().select().from(memberships).where(eq(memberships.workspaceId, workspace.id)))).toBe(members);
    expect(await actionsSince(services, seq)).toEqual([]);
    expect((await db().select().from(invitations).where(eq(invitations.tokenHash, hashToken(token))))[0].acceptedAt).toBeNull();
  });

  it("leaves an intact chain after all of the above", async () => {
    const result = await verifyAuditChain(db(), services.secrets.deriveKey(AUDIT_CHAIN_KEY));
    expect(result).toMatchObject({ ok: true, lastSeq: await lastAuditSeq(services) });
  });
});

// ── 2. The hash chain: verification, tampering, append-only, concurrency ───────────────────────────────────

describeEachDatabase("audit: hash chain", (kind) => {
  const CHAIN_KEY = randomBytes(32);
  const meta = (i: number): AuditMeta => ({
    chainKey: CHAIN_KEY,
    workspaceId: null,
    actor: { type: "system", label: "test" },
    ip: "127.0.0.1",
    userAgent: "tests",
    now: new Date(Date.UTC(2026, 0, 1) + i * 1000),
  });

  /** Appends `n` varied events (one transaction, for speed). */
  async function appendMany(database: Database, n: number, from = 0) {
    await database.db.transaction(async (tx) => {
      for (let i = from; i < from + n; i++) {
        const event =
          i % 3 === 0
            ? ({ type: "team.created", data: { teamId: `team-${i}`, name: `Équipe ${i} “quoted” ✓` } } as const)
            : i % 3 === 1
              ? ({ type: "team.updated", data: { teamId: `team-${i}`, before: { name: "a", n: i, nested: { deep: [1, 2.5, null] } }, after: { name: "b", flag: true } } } as const)
              : ({ type: "audit.exported", data: { format: "csv", rows: i } } as const);
        await appendAuditEvent(tx as never, meta(i), event, { type: "team", id: `team-${i}` });
      }
    });
  }

  let shared: Database;
  beforeAll(async () => {
    shared = await freshDatabase(kind);
  });
  afterAll(() => shared.close());

  /**
   * A chain of `n` events, tampered with by `tamper` as the database owner with the triggers off, then verified.
   * (The suite's database is emptied and rebuilt for each case: much faster than a new database per case.)
   */
  async function tamperedChain(n: number, tamper: (database: Database) => Promise<unknown>) {
    await shared.query("ALTER TABLE audit_events DISABLE TRIGGER USER");
    await shared.query("DELETE FROM audit_events");
    await shared.query("UPDATE audit_chain_head SET last_seq = 0, last_hash = 'genesis'");
    await shared.query("ALTER TABLE audit_events ENABLE TRIGGER USER");
    await appendMany(shared, n);
    expect(await verifyAuditChain(shared.db, CHAIN_KEY)).toEqual({ ok: true, rows: n, lastSeq: n });
    await shared.query("ALTER TABLE audit_events DISABLE TRIGGER USER");
    try {
      await tamper(shared);
    } finally {
      await shared.query("ALTER TABLE audit_events ENABLE TRIGGER USER");
    }
    return verifyAuditChain(shared.db, CHAIN_KEY);
  }

  it("verifies a long chain of varied events, across more than one page of the walk", async () => {
    await appendMany(shared, 300);
    expect(await verifyAuditChain(shared.db, CHAIN_KEY)).toEqual({ ok: true, rows: 300, lastSeq: 300 });
    // Appending one by one is slow on PGlite; chain 900 more rows here, exactly as the appender does.
    await shared.db.transaction(async (tx) => {
      let [head] = await tx.select().from(auditChainHead).for("update");
      for (let chunk = 0; chunk < 3; chunk++) {
        const rows = [];
        for (let k = 0; k < 300; k++) {
          const seq = head.lastSeq + 1;
          const row = {
            seq, occurredAt: new Date(Date.UTC(2026, 1, 1) + seq * 1000).toISOString(), workspaceId: null, actorType: "system", actorId: null,
            actorLabel: "bulk", action: "audit.exported", targetType: null, targetId: null, data: { format: "csv", rows: seq }, ip: null, userAgent: null,
            prevHash: head.lastHash,
          };
          const hash = hashRow(row, CHAIN_KEY);
          rows.push({ ...row, hash });
          head = { ...head, lastSeq: seq, lastHash: hash };
        }
        await tx.insert(auditEvents).values(rows);
      }
      await tx.update(auditChainHead).set({ lastSeq: head.lastSeq, lastHash: head.lastHash });
    });
    await appendMany(shared, 10, 300);
    expect(await verifyAuditChain(shared.db, CHAIN_KEY)).toEqual({ ok: true, rows: 1210, lastSeq: 1210 });
  });

  it("refuses UPDATE, DELETE and TRUNCATE on audit_events while the triggers are on", async () => {
    await expect(shared.query("UPDATE audit_events SET action = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(shared.query("DELETE FROM audit_events WHERE seq = 2")).rejects.toThrow(/append-only/);
    await expect(shared.query("TRUNCATE audit_events")).rejects.toThrow(/append-only/);
    await expect(shared.db.update(auditEvents).set({ actorLabel: "someone else" }).where(eq(auditEvents.seq, 3))).rejects.toThrow();
    await expect(shared.db.delete(auditEvents)).rejects.toThrow();
    expect((await verifyAuditChain(shared.db, CHAIN_KEY)).ok).toBe(true);
  });

  it("concurrent appends through many transactions form one unbroken chain", async () => {
    const before = (await shared.db.select().from(auditChainHead))[0].lastSeq;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        shared.db.transaction(async (tx) => {
          // Some work before and after the append, so transactions really overlap.
          await tx.execute(sql`select pg_sleep(${(i % 4) * 0.005})`);
          await appendAuditEvent(tx as never, meta(5000 + i), { type: "audit.exported", data: { format: "csv", rows: i } });
          await tx.execute(sql`select pg_sleep(0.01)`);
        }),
      ),
    );
    const rows = await shared.db.select({ seq: auditEvents.seq }).from(auditEvents).where(sql`${auditEvents.seq} > ${before}`);
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
    expect(await verifyAuditChain(shared.db, CHAIN_KEY)).toMatchObject({ ok: true, rows: before + 20 });
  });

  if (kind === "postgres") {
    it("verifies from a connection in another time zone", async () => {
      const url = new URL((shared as Database & { url?: string }).url!);
      url.searchParams.set("options", "-c TimeZone=Asia/Kolkata");
      const elsewhere = await openDatabase({ databaseUrl: url.toString() });
      try {
        expect((await elsewhere.query<{ TimeZone: string }>("show timezone"))[0].TimeZone).toBe("Asia/Kolkata");
        expect((await verifyAuditChain(elsewhere.db, CHAIN_KEY)).ok).toBe(true);
        await appendMany(elsewhere, 5, 9000);
        expect((await verifyAuditChain(shared.db, CHAIN_KEY)).ok).toBe(true);
      } finally {
        await elsewhere.close();
      }
    });
  }

  it("names the edited row when a row's content was changed", async () => {
    const result = await tamperedChain(10, (d) => d.query(`UPDATE audit_events SET data = jsonb_set(data, '{rows}', '999') WHERE seq = 5`));
    expect(result).toMatchObject({ ok: false, problem: "edited", firstBadSeq: 5, rows: 4 });
    expect((result as { message: string }).message).toContain("#5");
    const label = await tamperedChain(6, (d) => d.query(`UPDATE audit_events SET actor_label = 'nobody' WHERE seq = 2`));
    expect(label).toMatchObject({ ok: false, problem: "edited", firstBadSeq: 2 });
    const time = await tamperedChain(6, (d) => d.query(`UPDATE audit_events SET occurred_at = occurred_at - interval '1 day' WHERE seq = 3`));
    expect(time).toMatchObject({ ok: false, problem: "edited", firstBadSeq: 3 });
  });

  it("catches an edited row even when its hash was recomputed to match", async () => {
    const result = await tamperedChain(8, async (d) => {
      const [row] = await d.db.select().from(auditEvents).where(eq(auditEvents.seq, 4));
      const { hash: _hash, id: _id, ...content } = row;
      const forged = { ...content, actorLabel: "someone-innocent" };
      await d.query(`UPDATE audit_events SET actor_label = $1, hash = $2 WHERE seq = 4`, [forged.actorLabel, hashRow(forged, CHAIN_KEY)]);
    });
    expect(result).toMatchObject({ ok: false, problem: "removed_or_reordered", firstBadSeq: 5 });
  });

  it("catches a chain rewritten consistently from an edited row on by someone without the server key", async () => {
    const result = await tamperedChain(8, async (d) => {
      const attackerKey = randomBytes(32); // whoever can write to the database, but does not hold the key
      const rows = await d.db.select().from(auditEvents).where(sql`${auditEvents.seq} >= 4`).orderBy(auditEvents.seq);
      let prevHash = rows[0].prevHash;
      for (const row of rows) {
        const { hash: _hash, id: _id, ...content } = row;
        const forged = { ...content, prevHash, actorLabel: row.seq === 4 ? "someone-innocent" : content.actorLabel };
        const hash = hashRow(forged, attackerKey);
        await d.query(`UPDATE audit_events SET actor_label = $1, prev_hash = $2, hash = $3 WHERE seq = $4`, [forged.actorLabel, prevHash, hash, row.seq]);
        prevHash = hash;
      }
      await d.query(`UPDATE audit_chain_head SET last_hash = $1`, [prevHash]);
    });
    expect(result).toMatchObject({ ok: false, problem: "edited", firstBadSeq: 4, rows: 3 });
  });

  it("names the row after a removed middle row", async () => {
    const result = await tamperedChain(10, (d) => d.query(`DELETE FROM audit_events WHERE seq = 5`));
    expect(result).toMatchObject({ ok: false, problem: "removed_or_reordered", firstBadSeq: 6, rows: 4 });
    expect((result as { message: string }).message).toContain("#6");
  });

  it("detects two rows whose contents were swapped", async () => {
    const columns = "occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, data, ip, user_agent, prev_hash, hash";
    const swap = (cols: string) => (d: Database) =>
      d.query(`UPDATE audit_events a SET (${cols}) = (SELECT ${cols} FROM audit_events b WHERE b.seq = CASE a.seq WHEN 3 THEN 4 ELSE 3 END) WHERE a.seq IN (3, 4)`);
    // Whole rows swapped (hashes travel with them): the chain no longer links.
    expect(await tamperedChain(8, swap(columns))).toMatchObject({ ok: false, problem: "removed_or_reordered", firstBadSeq: 3 });
    // Only what the rows say swapped, hashes left in place: the first one no longer matches its hash.
    expect(await tamperedChain(8, swap("action, target_id, data"))).toMatchObject({ ok: false, problem: "edited", firstBadSeq: 3 });
  });

  it("detects the newest rows being removed", async () => {
    const result = await tamperedChain(10, (d) => d.query(`DELETE FROM audit_events WHERE seq > 7`));
    expect(result).toMatchObject({ ok: false, problem: "tail_removed", firstBadSeq: 8, rows: 7 });
    const emptied = await tamperedChain(5, (d) => d.query(`DELETE FROM audit_events`));
    expect(emptied).toMatchObject({ ok: false, problem: "tail_removed", firstBadSeq: 1, rows: 0 });
    // Removing the chain head as well does not hide it.
    const headless = await tamperedChain(6, async (d) => {
      await d.query(`DELETE FROM audit_events WHERE seq > 4`);
      await d.query(`DELETE FROM audit_chain_head`);
    });
    expect(headless).toMatchObject({ ok: false, problem: "tail_removed", firstBadSeq: 5, rows: 4 });
    await shared.query("INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES ('head', 0, 'genesis')");
  });

});

// ── 3. Reading and exporting over HTTP ──────────────────────────────────────────────────────────────────

/** A strict RFC 4180 parser: throws on a stray quote or a bare line break outside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let i = 0;
  let quoted = false;
  let wasQuoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), (i += 2);
      else if (c === '"') {
        quoted = false;
        i++;
        if (i < text.length && text[i] !== "," && text.slice(i, i + 2) !== "\r\n") throw new Error(`text after closing quote at ${i}`);
      } else (cell += c), i++;
      continue;
    }
    if (c === '"') {
      if (cell !== "" || wasQuoted) throw new Error(`stray quote at ${i}`);
      quoted = wasQuoted = true;
      i++;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
      wasQuoted = false;
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      wasQuoted = false;
      i += 2;
    } else if (c === "\r" || c === "\n") throw new Error(`bare line break at ${i}`);
    else (cell += c), i++;
  }
  if (quoted) throw new Error("unterminated quoted cell");
  if (cell !== "" || row.length) throw new Error("last record does not end with CRLF");
  return rows;
}

const CSV_HEADER = ["seq", "occurredAt", "actorType", "actorLabel", "action", "targetType", "targetId", "data", "ip", "userAgent"];
const FORMULA_START = /^[=+\-@\t\r]/;

describe("audit: CSV", () => {
  const event = (overrides: Partial<ReturnType<typeof presentAuditEvent>>) => ({
    seq: 1, id: "00000000-0000-4000-8000-000000000001", occurredAt: "2026-11-23T09:00:00.000Z", actorType: "user", actorId: null,
    actorLabel: "a@example.test", action: "team.created", targetType: "team", targetId: "t1", data: { name: "x" }, ip: null, userAgent: null,
    ...overrides,
  });

  it("quotes cells with commas, quotes and line breaks so they read back unchanged", () => {
    const tricky = ['say "hi", twice', "line one\nline two", "carriage\r\nreturn", ",", '"'];
    const csv = toCsv(tricky.map((userAgent, i) => event({ seq: i + 1, userAgent })));
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(CSV_HEADER);
    expect(rows.slice(1).map((r) => r[9])).toEqual(tricky);
    expect(rows.slice(1).every((r) => r.length === CSV_HEADER.length)).toBe(true);
  });

  it("neutralizes every cell a spreadsheet would run as a formula", () => {
    const formulas = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("https://evil.example","x")', "=cmd|' /C calc'!A0"];
    const rows = parseCsv(toCsv(formulas.map((text, i) => event({ seq: i + 1, actorLabel: text, targetId: text, userAgent: text, ip: text }))));
    for (const [i, text] of formulas.entries()) {
      const r = rows[i + 1];
      for (const column of [3, 6, 8, 9]) {
        expect(r[column], `${CSV_HEADER[column]} of ${JSON.stringify(text)}`).toBe(`'${text}`);
        expect(FORMULA_START.test(r[column])).toBe(false);
      }
    }
  });
});

describeEachDatabase("audit: reading and exporting over HTTP", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let a: Awaited<ReturnType<typeof buildWorkspace>>;
  let b: Awaited<ReturnType<typeof buildWorkspace>>;
  let admin: HttpClient;
  let owner: HttpClient;
  let manager: HttpClient;
  let member: HttpClient;
  let t0: Date;

  type EventView = { seq: number; action: string; actorId: string | null; actorLabel: string; occurredAt: string; data: Record<string, unknown>; userAgent: string | null };
  const list = async (client: HttpClient, query = "") => {
    const res = await client.get(`/api/v1/audit?limit=500${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body.events as EventView[];
  };

  beforeAll(async () => {
    services = await servicesFor(kind);
    app = createApp(services);
    t0 = services.clock();
    a = await buildWorkspace(services, "Alpha brand");
    b = await buildWorkspace(services, "Bravo brand");
    admin = await signedInClient(app, a.people.admin);
    owner = await signedInClient(app, a.people.owner);
    manager = await signedInClient(app, a.people.manager);
    member = await signedInClient(app, a.people.member);
    const bOwner = await signedInClient(app, b.people.owner);
    expect((await admin.post("/api/v1/workspace/teams", { name: "Alpha 1" })).status).toBe(200);
    services.clock.advance(HOUR);
    expect((await owner.post("/api/v1/workspace/teams", { name: "Alpha 2" })).status).toBe(200);
    services.clock.advance(HOUR);
    expect((await admin.post("/api/v1/workspace/teams", { name: 'Alpha 3, "the quoted one"' })).status).toBe(200);
    expect((await bOwner.post("/api/v1/workspace/teams", { name: "Bravo 1" })).status).toBe(200);
  });

  it("shows the workspace's own events newest first, with its members' sign-ins, and nothing of another workspace", async () => {
    const events = await list(admin);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    const bPeople = Object.values(b.people).map((p) => p.id);
    expect(events.filter((e) => e.actorId && bPeople.includes(e.actorId))).toEqual([]);
    expect(JSON.stringify(events)).not.toContain("Bravo");
    expect(events.filter((e) => e.action === "team.created").map((e) => e.data.name)).toEqual(['Alpha 3, "the quoted one"', "Alpha 2", "Alpha 1"]);
    const signIns = events.filter((e) => e.action === "user.signed_in").map((e) => e.actorId);
    expect(signIns).toEqual(expect.arrayContaining([a.people.admin.id, a.people.owner.id, a.people.manager.id, a.people.member.id]));
    expect(signIns).not.toContain(b.people.owner.id);

    // Workspace B's events exist, and B sees them — but none of A's.
    const bRows = await services.database.db.select().from(auditEvents).where(eq(auditEvents.workspaceId, b.workspace.id));
    expect(bRows.map((r) => r.action)).toContain("team.created");
    const bEvents = await list(await signedInClient(app, b.people.owner));
    expect(JSON.stringify(bEvents)).not.toContain("Alpha");
    expect(bEvents.map((e) => e.actorId)).not.toContain(a.people.admin.id);
  });

  it("filters by action, by part of the actor's email, and by both", async () => {
    const created = await list(admin, "&action=team.created");
    expect(created.length).toBe(3);
    expect(created.every((e) => e.action === "team.created")).toBe(true);

    const part = a.people.admin.email.split("@")[0].toUpperCase(); // case-insensitive
    const byAdmin = await list(admin, `&actor=${encodeURIComponent(part)}`);
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((e) => e.actorLabel === a.people.admin.email)).toBe(true);

    const both = await list(admin, `&action=team.created&actor=${encodeURIComponent(part)}`);
    expect(both.map((e) => e.data.name)).toEqual(['Alpha 3, "the quoted one"', "Alpha 1"]);

    // LIKE wildcards in the filter are taken literally.
    expect(await list(admin, `&actor=${encodeURIComponent("%")}`)).toEqual([]);
    expect(await list(admin, `&actor=${encodeURIComponent("_")}`)).toEqual([]);
  });

  it("filters by a time window (from and to, inclusive)", async () => {
    const from = new Date(t0.getTime() + 30 * 60_000).toISOString();
    const to = new Date(t0.getTime() + 90 * 60_000).toISOString();
    const window = await list(admin, `&from=${from}&to=${to}`);
    expect(window.map((e) => e.data.name)).toEqual(["Alpha 2"]);
    const exact = new Date(t0.getTime() + HOUR).toISOString();
    expect((await list(admin, `&from=${exact}&to=${exact}`)).map((e) => e.action)).toEqual(["team.created"]);
    const later = await list(admin, `&from=${new Date(t0.getTime() + 2 * HOUR).toISOString()}`);
    expect(later.map((e) => e.data.name)).toEqual(['Alpha 3, "the quoted one"']);
    expect((await list(admin, `&to=${new Date(t0.getTime() - 1).toISOString()}`))).toEqual([]);
  });

  it("pages with the cursor through every event exactly once", async () => {
    const all = await list(admin);
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { events: EventView[]; nextCursor: number | null } } = await admin.get(`/api/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.events.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.events.map((e) => e.seq));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);
    expect(seen).toEqual(all.map((e) => e.seq));
    expect(pages).toBe(Math.ceil(all.length / 3) + (all.length % 3 === 0 ? 1 : 0) || 1);
  });

  it("refuses malformed filters with invalid_input, and members without audit access", async () => {
    for (const query of ["from=yesterday", "limit=1000", "cursor=0", "to=2026-13-45T00:00:00Z"]) {
      const res = await admin.get(`/api/v1/audit?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    }
    const res = await member.get("/api/v1/audit");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect((await manager.get("/api/v1/audit")).status).toBe(200);
  });

  it("exports valid CSV with formula cells neutralized; the export is itself audited", async () => {
    // User agents are what a caller controls most directly: sign in with a few nasty ones.
    const agents = ['=HYPERLINK("https://evil.example","click")', "+1+1", "-2+3", "@SUM(A1:A9)", 'Quote "me", please'];
    for (const userAgent of agents) {
      const client = httpClient(app, { userAgent });
      expect((await client.post("/api/v1/auth/sign-in", { email: a.people.member.email, password: "correct-horse-battery" })).status).toBe(200);
    }
    const expected = await list(admin);
    const before = await lastAuditSeq(services);
    const res = await admin.get("/api/v1/audit/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="parapet-audit-.*\.csv"$/);

    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual(CSV_HEADER);
    const records = rows.slice(1);
    expect(records.every((r) => r.length === CSV_HEADER.length)).toBe(true);
    expect(records.map((r) => Number(r[0]))).toEqual(expected.map((e) => e.seq));
    for (const r of records) for (const cellText of r) expect(FORMULA_START.test(cellText), cellText).toBe(false);
    const userAgents = records.map((r) => r[9]);
    expect(userAgents).toEqual(expect.arrayContaining(['\'=HYPERLINK("https://evil.example","click")', "'+1+1", "'-2+3", "'@SUM(A1:A9)", 'Quote "me", please']));
    const quotedTeam = records.find((r) => r[4] === "team.created" && r[7].includes("quoted"))!;
    expect(JSON.parse(quotedTeam[7]).name).toBe('Alpha 3, "the quoted one"');

    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["audit.exported"]);
    expect(audit[0]).toMatchObject({ workspaceId: a.workspace.id, actorId: a.people.admin.id });
    expect(audit[0].data).toEqual({ format: "csv", rows: records.length });
  });

  it("applies the filters to the export too", async () => {
    const res = await admin.get("/api/v1/audit/export.csv?action=team.created");
    expect(res.status).toBe(200);
    const records = parseCsv(res.text).slice(1);
    expect(records.map((r) => r[4])).toEqual(["team.created", "team.created", "team.created"]);
  });

  it("does not let a manager export (403), and writes nothing when refused", async () => {
    const before = await lastAuditSeq(services);
    const res = await manager.get("/api/v1/audit/export.csv");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect(await actionsSince(services, before)).toEqual([]);
  });

  it("lets an admin verify the chain over the API", async () => {
    const res = await admin.get("/api/v1/audit/verify");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, lastSeq: await lastAuditSeq(services) });
    expect((await manager.get("/api/v1/audit/verify")).status).toBe(403);
  });
});
