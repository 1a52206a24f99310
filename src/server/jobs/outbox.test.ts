import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/client";
import { alertDeliveries, alertDestinations, listeningAlerts } from "../domains/listening/listening.schema";
import { describeEachDatabase } from "../../../test/support/databases";
import { buildWorkspace } from "../../../test/support/factories";
import { createTestServices, testClock, type TestServices } from "../../../test/support/services";
import { deliverOutbox, settleAttempt, statusOutbox, type Outcome, type RecordOutcome } from "./outbox";

const LEASE_MS = 60_000;
const BACKOFF_MS = [60_000, 300_000];
const outbox = statusOutbox(alertDeliveries, (d) => and(eq(alertDeliveries.alertId, d.alertId), eq(alertDeliveries.destinationId, d.destinationId)), LEASE_MS);
type Delivery = typeof alertDeliveries.$inferSelect;

it("settles an attempt: delivered; due again after its backoff while waiting could help; failed on a refusal or after the last attempt", () => {
  const now = new Date("2026-11-24T01:00:00Z");
  const busy: Outcome = { ok: false, retry: true, error: "HTTP 503" };
  expect(settleAttempt({ ok: true }, 3, BACKOFF_MS, now)).toEqual({ state: "delivered", at: now });
  expect(settleAttempt(busy, 1, BACKOFF_MS, now)).toEqual({ state: "retry", at: new Date("2026-11-24T01:01:00Z"), error: "HTTP 503" });
  expect(settleAttempt(busy, 2, BACKOFF_MS, now)).toEqual({ state: "retry", at: new Date("2026-11-24T01:05:00Z"), error: "HTTP 503" });
  expect(settleAttempt(busy, 3, BACKOFF_MS, now)).toEqual({ state: "failed", error: "HTTP 503" });
  expect(settleAttempt({ ok: false, retry: false, error: "HTTP 404" }, 1, BACKOFF_MS, now)).toEqual({ state: "failed", error: "HTTP 404" });
});

describeEachDatabase("the outbox round", (kind) => {
  let services: TestServices;
  /** Another process's connection to the same database (on PGlite, the one embedded database there is). */
  let other: Database;
  let workspaceId: string;
  let alertId: string;

  beforeAll(async () => {
    services = await createTestServices(kind, {}, testClock(new Date("2026-11-24T01:00:00Z")));
    const url = (services.database as Database & { url?: string }).url;
    other = url ? await openDatabase({ databaseUrl: url }) : services.database;
    ({ workspace: { id: workspaceId } } = await buildWorkspace(services, "Emberoak"));
    [{ id: alertId }] = await services.database.db
      .insert(listeningAlerts)
      .values({ workspaceId, kind: "spike", title: "Spike", evidence: {}, windowStart: services.clock(), windowEnd: services.clock() })
      .returning();
  });
  afterAll(async () => {
    if (other !== services.database) await other.close();
    await services.close();
  });
  beforeEach(async () => {
    await services.database.db.delete(alertDestinations).where(eq(alertDestinations.workspaceId, workspaceId)); // their deliveries go with them
  });

  /** `count` pending deliveries of the alert, each to its own destination; due now. */
  const queue = async (count: number) => {
    const destinations = await services.database.db
      .insert(alertDestinations)
      .values(Array.from({ length: count }, (_, i) => ({ workspaceId, kind: "webhook", name: `receiver ${i}`, target: "sealed" })))
      .returning();
    await services.database.db.insert(alertDeliveries).values(destinations.map((d) => ({ alertId, destinationId: d.id, nextAttemptAt: services.clock() })));
    return destinations.map((d) => d.id);
  };
  const deliveries = () => services.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alertId));
  const round = (db: Database, send: (row: Delivery, record: RecordOutcome) => Promise<Outcome | undefined>, limit = 100) =>
    deliverOutbox(db.db, outbox, { limit, backoffMs: BACKOFF_MS, now: services.clock, send: (row, _context, record) => send(row, record) });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("four workers on two connections working the same rows at once never take the same row: each is sent once, with one attempt", async () => {
    const ids = await queue(40);
    const sends: string[] = [];
    const worker = (db: Database) =>
      round(db, async (row) => {
        sends.push(row.destinationId);
        await pause(Math.random() * 5); // a receiver taking its time, so the workers' claims interleave
        return { ok: true };
      });
    const counts = await Promise.all([worker(services.database), worker(other), worker(services.database), worker(other)]);

    expect(sends.slice().sort()).toEqual(ids.slice().sort()); // every row, none twice
    expect(counts.reduce((sum, c) => sum + c.delivered, 0)).toBe(40);
    expect(counts.filter((c) => c.delivered > 0).length).toBeGreaterThan(1); // the work was shared, not done by one
    expect((await deliveries()).every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });

  it("a worker that dies mid-send leaves its row claimed until the lease ends; then another takes it, counting the attempt", async () => {
    const [id] = await queue(1);
    await expect(round(services.database, async () => { throw new Error("the process died"); })).rejects.toThrow("the process died");
    expect((await deliveries())[0]).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: new Date(services.clock().getTime() + LEASE_MS) });

    const sent: string[] = [];
    const send = async (row: Delivery): Promise<Outcome> => (sent.push(row.destinationId), { ok: true });
    services.clock.advance(LEASE_MS - 1);
    expect(await round(other, send)).toEqual({ delivered: 0, failed: 0, retrying: 0 }); // still leased
    services.clock.advance(1);
    expect(await round(other, send)).toEqual({ delivered: 1, failed: 0, retrying: 0 });
    expect(sent).toEqual([id]);
    expect((await deliveries())[0]).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
  });

  it("a slow worker whose lease ran out cannot overwrite the outcome of the worker that took the row over", async () => {
    await queue(1);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let slowRecorded: boolean | undefined;
    const slow = round(services.database, async (_row, record) => {
      await held;
      slowRecorded = await record(services.database.db, { ok: false, retry: false, error: "HTTP 404 Not Found" });
      return { ok: false, retry: false, error: "HTTP 404 Not Found" };
    });
    await expect.poll(async () => (await deliveries())[0].attempts).toBe(1); // claimed, and being sent

    services.clock.advance(LEASE_MS);
    expect(await round(other, async () => ({ ok: true }))).toEqual({ delivered: 1, failed: 0, retrying: 0 });
    release();
    await slow;
    expect(slowRecorded).toBe(false);
    expect((await deliveries())[0]).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
  });

  it("retries with backoff in later rounds (never twice in one), and gives up after the last attempt with the reason", async () => {
    await queue(1);
    const busy = async (): Promise<Outcome> => ({ ok: false, retry: true, error: "HTTP 503 Service Unavailable" });
    expect(await round(services.database, busy)).toEqual({ delivered: 0, failed: 0, retrying: 1 });
    expect(await round(services.database, busy)).toEqual({ delivered: 0, failed: 0, retrying: 0 }); // not before its backoff
    services.clock.advance(BACKOFF_MS[0]);
    expect(await round(services.database, busy)).toEqual({ delivered: 0, failed: 0, retrying: 1 });
    services.clock.advance(BACKOFF_MS[1]);
    expect(await round(services.database, busy)).toEqual({ delivered: 0, failed: 1, retrying: 0 });
    expect((await deliveries())[0]).toMatchObject({ status: "failed", attempts: 3, lastError: "HTTP 503 Service Unavailable" });
    services.clock.advance(24 * 3_600_000);
    expect(await round(services.database, busy)).toEqual({ delivered: 0, failed: 0, retrying: 0 }); // given up for good
  });
});
