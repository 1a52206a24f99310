import { and, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../../../test/support/databases";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { unsafeSystemCtx } from "../../context";
import type { Db } from "../../db/client";
import { createApp } from "../../http/app";
import { playSandboxScenarios } from "../../jobs/catalog";
import { createSandboxPost, findSandboxAccount } from "../../networks/sandbox/network";
import { playDueSandboxScenarioRuns } from "../../networks/sandbox/scenario-runs";
import { sandboxDirectMessages, sandboxPosts, sandboxScenarioRuns } from "../../networks/sandbox/sandbox.schema";
import { SANDBOX_SCENARIOS, type ScenarioId } from "../../networks/sandbox/scenarios";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { startSandboxScenario } from "./index";

const MINUTE = 60_000;

describeEachDatabase("Sandbox scenarios from Parapet", (kind) => {
  let services: TestServices;
  let admin: HttpClient;
  let db: Db;

  /** Rows this run's beats stored (posts and direct messages carry the run's key). */
  const storedBeats = async (runId: string) => {
    const [run] = await db.select().from(sandboxScenarioRuns).where(eq(sandboxScenarioRuns.id, runId));
    const prefix = `scenario:${run.scenario}:${run.run}:%`;
    const [posts] = await db.select({ n: sql<number>`count(*)::int` }).from(sandboxPosts).where(like(sandboxPosts.idempotencyKey, prefix));
    const [messages] = await db.select({ n: sql<number>`count(*)::int` }).from(sandboxDirectMessages).where(like(sandboxDirectMessages.idempotencyKey, prefix));
    return Number(posts.n) + Number(messages.n);
  };
  const runRow = async (runId: string) => (await db.select().from(sandboxScenarioRuns).where(eq(sandboxScenarioRuns.id, runId)))[0];
  /** Beats of the tick that are posts or messages (reactions carry no key). */
  const keyedBeats = (scenario: ScenarioId, tick: number) => SANDBOX_SCENARIOS[scenario].ticks[tick].filter((beat) => !("reaction" in beat)).length;
  const start = async (scenario: ScenarioId, tickEverySeconds?: number) => {
    const res = await admin.post("/api/v1/sandbox/scenario-runs", { scenario, ...(tickEverySeconds ? { tickEverySeconds } : {}) });
    expect(res.status, res.text).toBe(200);
    return res.body as { id: string; ticksPlayed: number; ticksTotal: number; status: string; nextTickAt: string | null };
  };
  const stopEverything = () => db.update(sandboxScenarioRuns).set({ stoppedAt: services.clock(), nextTickAt: null }).where(sql`stopped_at is null and finished_at is null`);

  beforeAll(async () => {
    services = await createTestServices(kind);
    db = services.database.db;
    const app = createApp(services);
    const { people } = await buildWorkspace(services);
    admin = await signedInClient(app, people.admin);
    await seedSandboxNetwork(db, services.clock());
  });
  afterAll(() => services.close());
  beforeEach(async () => {
    await stopEverything();
  });

  describe("commands", () => {
    it("starts a scenario with its first tick due now, and lists it with its progress", async () => {
      const seq = await lastAuditSeq(services);
      const run = await start("steady_chatter", 90);
      expect(run).toMatchObject({ status: "running", ticksPlayed: 0, ticksTotal: SANDBOX_SCENARIOS.steady_chatter.ticks.length, nextTickAt: services.clock().toISOString() });
      const overview = await admin.get("/api/v1/sandbox/scenarios");
      expect(overview.status).toBe(200);
      expect(overview.body.scenarios.map((s: { id: string }) => s.id)).toEqual(Object.keys(SANDBOX_SCENARIOS));
      expect(overview.body.runs[0]).toMatchObject({ id: run.id, scenario: "steady_chatter", tickEverySeconds: 90, itemsAdded: 0 });
      expect(overview.body.siteUrl).toBe(`${services.config.publicUrl}/sandbox`);
      const audit = await auditSince(services, seq, { action: "sandbox.scenario_started" });
      expect(audit.map((row) => row.data)).toEqual([{ runId: run.id, scenario: "steady_chatter", tickEverySeconds: 90 }]);
    });

    it("refuses to start a scenario that is already playing, an unknown one, and an interval out of range", async () => {
      await start("viral_complaint");
      const again = await admin.post("/api/v1/sandbox/scenario-runs", { scenario: "viral_complaint" });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("sandbox_scenario_running");
      const unknown = await admin.post("/api/v1/sandbox/scenario-runs", { scenario: "alien_invasion" });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.fields.scenario).toBeDefined();
      const tooFast = await admin.post("/api/v1/sandbox/scenario-runs", { scenario: "steady_chatter", tickEverySeconds: 30 });
      expect(tooFast.status).toBe(400);
      expect(tooFast.body.error.fields.tickEverySeconds).toBeDefined();
    });

    it("plays the next tick now, puts the one after a full interval later, and audits it", async () => {
      const run = await start("impostor_giveaway", 120);
      const seq = await lastAuditSeq(services);
      const res = await admin.post(`/api/v1/sandbox/scenario-runs/${run.id}/play-next-tick`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.added).toBe(SANDBOX_SCENARIOS.impostor_giveaway.ticks[0].length);
      expect(res.body.run).toMatchObject({ ticksPlayed: 1, itemsAdded: res.body.added, nextTickAt: new Date(services.clock().getTime() + 120_000).toISOString() });
      expect(await storedBeats(run.id)).toBe(keyedBeats("impostor_giveaway", 0));
      const audit = await auditSince(services, seq, { action: "sandbox.scenario_tick_played" });
      expect(audit.map((row) => row.data)).toEqual([{ runId: run.id, scenario: "impostor_giveaway", ticksPlayed: 1, added: res.body.added }]);
    });

    it("plays a scenario to its end, then refuses another tick; a new start plays it anew", async () => {
      const run = await start("hacked_account_spam");
      const total = SANDBOX_SCENARIOS.hacked_account_spam.ticks.length;
      let last;
      for (let tick = 0; tick < total; tick++) last = await admin.post(`/api/v1/sandbox/scenario-runs/${run.id}/play-next-tick`);
      expect(last!.body.run).toMatchObject({ status: "finished", ticksPlayed: total, nextTickAt: null });
      const more = await admin.post(`/api/v1/sandbox/scenario-runs/${run.id}/play-next-tick`);
      expect(more.status).toBe(409);
      expect(more.body.error.code).toBe("sandbox_run_not_running");
      const second = await start("hacked_account_spam");
      const played = await admin.post(`/api/v1/sandbox/scenario-runs/${second.id}/play-next-tick`);
      expect(played.body.added).toBe(SANDBOX_SCENARIOS.hacked_account_spam.ticks[0].length);
    });

    it("stops a run: no more ticks, and stopping twice says it is not running", async () => {
      const run = await start("defective_product");
      const seq = await lastAuditSeq(services);
      const stopped = await admin.post(`/api/v1/sandbox/scenario-runs/${run.id}/stop`);
      expect(stopped.body).toMatchObject({ status: "stopped", nextTickAt: null });
      expect((await admin.post(`/api/v1/sandbox/scenario-runs/${run.id}/stop`)).body.error.code).toBe("sandbox_run_not_running");
      expect((await admin.post(`/api/v1/sandbox/scenario-runs/${run.id}/play-next-tick`)).status).toBe(409);
      expect((await playDueSandboxScenarioRuns(db, services.clock())).played).toEqual([]);
      expect(await storedBeats(run.id)).toBe(0);
      expect((await auditSince(services, seq)).map((row) => row.action)).toEqual(["sandbox.scenario_stopped"]);
    });

    it("answers not_found for a run that does not exist", async () => {
      const res = await admin.post("/api/v1/sandbox/scenario-runs/00000000-0000-4000-8000-000000000000/stop");
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    });
  });

  describe("the sandbox.play-scenarios job", () => {
    it("plays a tick when it is due and not before, one interval after the last", async () => {
      const run = await start("viral_complaint", 120);
      await playSandboxScenarios.run(services);
      expect((await runRow(run.id)).ticksPlayed).toBe(1);
      await playSandboxScenarios.run(services);
      services.clock.advance(MINUTE);
      await playSandboxScenarios.run(services);
      expect((await runRow(run.id)).ticksPlayed).toBe(1);
      services.clock.advance(MINUTE);
      await playSandboxScenarios.run(services);
      const row = await runRow(run.id);
      expect(row.ticksPlayed).toBe(2);
      expect(row.nextTickAt!.toISOString()).toBe(new Date(services.clock().getTime() + 120_000).toISOString());
      expect(await storedBeats(run.id)).toBe(keyedBeats("viral_complaint", 0) + keyedBeats("viral_complaint", 1));
    });

    it("plays every due run, and finishes a run after its last tick", async () => {
      const a = await start("steady_chatter", 60);
      const b = await start("impostor_giveaway", 60);
      for (let minute = 0; minute < 10; minute++) {
        await playSandboxScenarios.run(services);
        services.clock.advance(MINUTE);
      }
      for (const [run, scenario] of [[a, "steady_chatter"], [b, "impostor_giveaway"]] as const) {
        const row = await runRow(run.id);
        expect(row).toMatchObject({ ticksPlayed: SANDBOX_SCENARIOS[scenario].ticks.length, nextTickAt: null });
        expect(row.finishedAt).not.toBeNull();
        expect(row.itemsAdded).toBe(SANDBOX_SCENARIOS[scenario].ticks.flat().length);
      }
    });

    it("a crash before commit leaves neither beats nor progress, and the next run plays that tick once", async () => {
      const run = await start("defective_product");
      await expect(
        db.transaction(async (tx) => {
          const outcome = await playDueSandboxScenarioRuns(tx as unknown as Db, services.clock());
          expect(outcome.played).toHaveLength(1);
          throw new Error("the worker died before committing");
        }),
      ).rejects.toThrow("the worker died");
      expect(await runRow(run.id)).toMatchObject({ ticksPlayed: 0, itemsAdded: 0 });
      expect(await storedBeats(run.id)).toBe(0);
      await playSandboxScenarios.run(services);
      expect(await runRow(run.id)).toMatchObject({ ticksPlayed: 1, itemsAdded: SANDBOX_SCENARIOS.defective_product.ticks[0].length });
      expect(await storedBeats(run.id)).toBe(keyedBeats("defective_product", 0));
    });

    it("completes a tick that was stored half-way without repeating what was stored", async () => {
      const run = await start("viral_complaint");
      const row = await runRow(run.id);
      // The first tick's post, stored as a run that died before recording its progress would have left it.
      const beat = SANDBOX_SCENARIOS.viral_complaint.ticks[0][0] as { key: string; post: { by: string; text: string } };
      const author = await findSandboxAccount(db, beat.post.by);
      await createSandboxPost(db, author!.id, { text: beat.post.text, idempotencyKey: `scenario:viral_complaint:${row.run}:${beat.key}`, createdAt: services.clock() });
      const outcome = await playDueSandboxScenarioRuns(db, services.clock());
      expect(outcome.played.map((p) => p.run.id)).toEqual([run.id]);
      // The rest of the first tick is stored, the post already there is not stored again, and the tick counts as played.
      expect(await storedBeats(run.id)).toBe(keyedBeats("viral_complaint", 0));
      expect(await runRow(run.id)).toMatchObject({ ticksPlayed: 1 });
    });

    it("two workers at once play each due tick once", async () => {
      const run = await start("hacked_account_spam");
      const outcomes = await Promise.all([playDueSandboxScenarioRuns(db, services.clock()), playDueSandboxScenarioRuns(db, services.clock())]);
      expect(outcomes.flatMap((o) => o.played).map((p) => p.run.id)).toEqual([run.id]);
      expect(await runRow(run.id)).toMatchObject({ ticksPlayed: 1, itemsAdded: SANDBOX_SCENARIOS.hacked_account_spam.ticks[0].length });
      expect(await storedBeats(run.id)).toBe(keyedBeats("hacked_account_spam", 0));
    });

    it.skipIf(kind !== "postgres")("skips a run another worker holds, and leaves it to that worker", async () => {
      // Needs a second connection holding the lock: PGlite has one connection.
      const run = await start("steady_chatter");
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = db.transaction(async (tx) => {
        await tx.select().from(sandboxScenarioRuns).where(eq(sandboxScenarioRuns.id, run.id)).for("update");
        locked();
        await held;
      });
      await isLocked;
      const outcome = await playDueSandboxScenarioRuns(db, services.clock());
      release();
      await holder;
      expect(outcome.played).toEqual([]);
      expect(await runRow(run.id)).toMatchObject({ ticksPlayed: 0 });
    });
  });

  it("the command itself refuses an interval the job could not keep", async () => {
    await expect(startSandboxScenario(unsafeSystemCtx(services, "test"), { scenario: "steady_chatter", tickEverySeconds: 5 })).rejects.toMatchObject({ code: "invalid_input" });
  });

  describe("on a Sandbox that was never seeded", () => {
    let bare: TestServices;
    let bareAdmin: HttpClient;
    beforeAll(async () => {
      bare = await createTestServices(kind);
      const { people } = await buildWorkspace(bare);
      bareAdmin = await signedInClient(createApp(bare), people.owner);
    });
    afterAll(() => bare.close());

    it("refuses to start a scenario, saying the Sandbox is not seeded", async () => {
      const res = await bareAdmin.post("/api/v1/sandbox/scenario-runs", { scenario: "steady_chatter" });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("sandbox_not_seeded");
      expect(await bare.database.db.select().from(sandboxScenarioRuns).where(and(eq(sandboxScenarioRuns.scenario, "steady_chatter")))).toEqual([]);
    });
  });
});
