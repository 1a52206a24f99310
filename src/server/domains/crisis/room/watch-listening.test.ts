import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CrisisPlanContent } from "../../../../contracts/crisis-plans";
import { createApp } from "../../../http/app";
import { listeningAlerts, listeningStreams, streamMinuteCounts } from "../../listening/listening.schema";
import { crises, crisisEvents, crisisPlans, crisisPlanVersions, crisisRoles } from "../crisis.schema";
import { changeBetween, unsafeWatchListening } from "./watch-listening";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { buildWorkspace, signedInClient } from "../../../../../test/support/factories";
import type { HttpClient } from "../../../../../test/support/http";
import { createTestServices, testClock, type TestServices } from "../../../../../test/support/services";

const NOW = new Date("2026-11-23T09:00:00Z");
const MIN = 60_000;
const HOUR = 60 * MIN;

describe("changeBetween: when a change in mentions is worth the timeline", () => {
  it.each([
    [{ total: 2, negativeShare: 0.25 }, { total: 8, negativeShare: 0.9 }, null], // under 10 mentions either side: noise
    [{ total: 2, negativeShare: 0.25 }, { total: 30, negativeShare: 0.8 }, { volume: "up", sentiment: "more_negative" }],
    [{ total: 30, negativeShare: 0.8 }, { total: 50, negativeShare: 0.7 }, null], // under twice, tone within 15 points
    [{ total: 30, negativeShare: 0.8 }, { total: 60, negativeShare: 0.8 }, { volume: "up", sentiment: "same" }],
    [{ total: 60, negativeShare: 0.8 }, { total: 30, negativeShare: 0.5 }, { volume: "down", sentiment: "less_negative" }],
    [{ total: 40, negativeShare: 0.2 }, { total: 40, negativeShare: 0.4 }, { volume: "same", sentiment: "more_negative" }],
    [{ total: 0, negativeShare: null }, { total: 12, negativeShare: 0.5 }, { volume: "up", sentiment: "same" }], // no tone before: volume only
  ])("%j → %j: %j", (previous, current, expected) => {
    expect(changeBetween(previous, current)).toEqual(expected);
  });
});

describeEachDatabase("crisis timeline: what listening sees during a crisis", (kind) => {
  let services: TestServices;
  let manager: HttpClient;
  let crisisId: string;
  let streamId: string;
  let otherStreamId: string;
  let workspaceId: string;

  beforeAll(async () => {
    services = await createTestServices(kind, {}, testClock(NOW));
    const app = createApp(services);
    const ws = await buildWorkspace(services, "Emberoak");
    workspaceId = ws.workspace.id;
    manager = await signedInClient(app, ws.people.manager);
    const db = services.database.db;
    [{ id: streamId }] = await db.insert(listeningStreams).values({ workspaceId, name: "Brand", query: "emberoak" }).returning();
    [{ id: otherStreamId }] = await db.insert(listeningStreams).values({ workspaceId, name: "Competitor", query: "othercoffee" }).returning();
    const content: CrisisPlanContent = {
      description: "A complaint goes viral",
      defaultSeverity: 2,
      roles: [{ role: "lead", holderId: ws.people.manager.id, backupId: null }],
      checklist: [],
      statements: [],
      stakeholders: [],
      triggers: { streamIds: [streamId], alertKinds: ["spike"] },
      crisisMode: { pause: "none", lockdown: false, secure: false, notify: false },
    };
    const [plan] = await db.insert(crisisPlans).values({ workspaceId, scenario: "viral_complaint", name: "Viral complaint" }).returning();
    await db.insert(crisisPlanVersions).values({ planId: plan.id, version: 1, content });
    // The crisis as the lifecycle writes it when declared; the week before it: 2 mentions an hour on the brand stream, 1 in 4 negative.
    const [crisis] = await db
      .insert(crises)
      .values({ workspaceId, number: 1, title: "Refund complaints", planId: plan.id, planVersion: 1, scenario: "viral_complaint", severityLevel: 2, status: "active", originKind: "manual", declaredBy: ws.people.manager.id, declaredAt: NOW, activatedAt: NOW })
      .returning();
    crisisId = crisis.id;
    await db.insert(crisisRoles).values({ crisisId, role: "lead", userId: ws.people.manager.id, isBackup: false, assumedAt: NOW });
    await db.insert(streamMinuteCounts).values(Array.from({ length: 7 * 24 }, (_, i) => ({ streamId, minute: new Date(NOW.getTime() - (i + 1) * HOUR), total: 2, negative: i % 2 })));
  });
  afterAll(() => services.close());

  const events = (type: string) =>
    services.database.db.select().from(crisisEvents).where(and(eq(crisisEvents.crisisId, crisisId), eq(crisisEvents.type, type))).orderBy(asc(crisisEvents.occurredAt), asc(crisisEvents.seq));
  const raise = (values: { streamId: string; title: string; raisedAt: Date }) =>
    services.database.db.insert(listeningAlerts).values({ workspaceId, kind: "spike", evidence: {}, windowStart: values.raisedAt, windowEnd: values.raisedAt, ...values }).returning();

  it("links the alerts raised on the crisis's watched streams since it was declared, once each", async () => {
    services.clock.advance(5 * MIN);
    const [during] = await raise({ streamId, title: "Spike on Brand", raisedAt: new Date(NOW.getTime() + 2 * MIN) });
    await raise({ streamId, title: "Before the crisis", raisedAt: new Date(NOW.getTime() - 2 * HOUR) });
    await raise({ streamId: otherStreamId, title: "Spike on Competitor", raisedAt: new Date(NOW.getTime() + 3 * MIN) });
    expect(await unsafeWatchListening(services)).toEqual({ alertsLinked: 1, volumeChanges: 0 }); // 2 an hour as usual, no mentions now: quiet
    expect(await unsafeWatchListening(services)).toEqual({ alertsLinked: 0, volumeChanges: 0 });
    const linked = await events("alert_linked");
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ occurredAt: during.raisedAt, data: { alertId: during.id, title: "Spike on Brand", during: true } });
  });

  it("records a change in the last hour's mentions against the usual, then against the last level, at most every 30 minutes", async () => {
    const db = services.database.db;
    services.clock.advance(25 * MIN);
    const now = services.clock().getTime();
    await db.insert(streamMinuteCounts).values([
      { streamId, minute: new Date(now - 20 * MIN), total: 10, negative: 8 },
      { streamId, minute: new Date(now - 2 * MIN), total: 20, negative: 16 },
    ]);
    expect((await unsafeWatchListening(services)).volumeChanges).toBe(1);
    const [first] = await events("volume_changed");
    expect(first.data).toEqual({ total: 30, negativeShare: 0.8, previousTotal: 2, previousNegativeShare: 0.25, volume: "up", sentiment: "more_negative", streams: ["Brand"] });

    // Ten minutes on, twice as many again: still within the quiet half hour.
    services.clock.advance(10 * MIN);
    await db.insert(streamMinuteCounts).values({ streamId, minute: new Date(services.clock().getTime() - MIN), total: 40, negative: 30 });
    expect((await unsafeWatchListening(services)).volumeChanges).toBe(0);
    // Past it: 70 in the last hour against the 30 recorded.
    services.clock.advance(21 * MIN);
    expect((await unsafeWatchListening(services)).volumeChanges).toBe(1);
    const all = await events("volume_changed");
    expect(all.map((e) => e.data)).toEqual([first.data, { total: 70, negativeShare: 0.77, previousTotal: 30, previousNegativeShare: 0.8, volume: "up", sentiment: "same", streams: ["Brand"] }]);

    // The room's timeline shows them, in order, to the team.
    const timeline = await manager.get(`/api/v1/crisis/crises/${crisisId}/timeline`);
    expect(timeline.status, timeline.text).toBe(200);
    expect((timeline.body.events as Array<{ type: string }>).map((e) => e.type).filter((t) => t !== "note")).toEqual(["alert_linked", "volume_changed", "volume_changed"]);
  });

  it("leaves a closed crisis alone", async () => {
    await services.database.db.update(crises).set({ status: "closed", closedAt: services.clock() }).where(eq(crises.id, crisisId));
    services.clock.advance(2 * HOUR);
    await raise({ streamId, title: "Late spike", raisedAt: services.clock() });
    expect(await unsafeWatchListening(services)).toEqual({ alertsLinked: 0, volumeChanges: 0 });
  });
});
