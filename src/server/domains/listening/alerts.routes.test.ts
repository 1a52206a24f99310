import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { describeEachDatabase } from "../../../../test/support/databases";
import type { buildWorkspace } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { routeTestWorkspace } from "../../../../test/support/route-fixtures";
import type { TestServices } from "../../../../test/support/services";
import { raiseAlert } from "./alerts/raise-alert";
import { impostorAccounts, listeningStreams } from "./listening.schema";
import { storeMatches } from "./pipeline/store-matches";

const NOW = new Date("2026-11-23T09:00:00Z");

describeEachDatabase("listening alerts and impostors API", (kind) => {
  let services: TestServices;
  let ws: Awaited<ReturnType<typeof buildWorkspace>>;
  let member: HttpClient;
  let manager: HttpClient;
  let outsider: HttpClient;
  let streamId: string;
  let spikeId: string;
  let impostorId: string;

  beforeAll(async () => {
    ({ services, ws, as: { member, manager, outsider } } = await routeTestWorkspace(kind, ["member", "manager", "outsider"], { now: NOW }));
    const workspaceId = ws.workspace.id;
    [{ id: streamId }] = await services.database.db.insert(listeningStreams).values({ workspaceId, name: "Brand", query: "emberoak" }).returning();
    const at = (m: number) => new Date(NOW.getTime() - m * 60_000);
    await storeMatches(
      services.database.db,
      [3, 5, 20].map((m, i) => ({
        workspaceId, sourceId: null, network: "sandbox", networkPostId: `p${i}`, url: null, authorHandle: `user${i}`, authorName: null,
        text: `Emberoak refund ${i}`, lang: "en", langSource: "detected" as const, sentiment: "negative" as const, sentimentScore: 0.9, fingerprint: i, nearDuplicate: false,
        postedAt: at(m), receivedAt: at(m), streamIds: [streamId],
      })),
    );
    const system = unsafeSystemCtx(services, "test", workspaceId);
    spikeId = (await inTransaction(system, (tx) =>
      raiseAlert(tx, {
        streamId,
        facts: { kind: "spike", stream: "Brand", evidence: { window: { start: at(15).toISOString(), end: NOW.toISOString(), total: 2, negative: 2 }, baseline: { kind: "last_day", median: 0, negativeShare: 0 }, ratio: 2, negativeShare: 1, topTerms: [{ term: "refund", count: 2 }] } },
        evidence: { sentiment: { negative: 2, neutral: 0, positive: 0 } },
        windowStart: at(15),
        windowEnd: NOW,
      }),
    ))!;
    [{ id: impostorId }] = await services.database.db
      .insert(impostorAccounts)
      .values({ workspaceId, network: "sandbox", handle: "@emberoаk", score: 0.9, evidence: { reasons: [{ kind: "confusable_handle", brandHandle: "@emberoak" }], imitates: { handle: "@emberoak", displayName: "Emberoak", network: "sandbox" } } })
      .returning();
  });
  afterAll(() => services.close());

  it("everyone in the workspace lists alerts (filters, open count) and opens one with the mentions of its window", async () => {
    const list = await member.get("/api/v1/listening/alerts");
    expect(list.status, list.text).toBe(200);
    expect(list.body.open).toBe(1);
    expect(list.body.alerts).toHaveLength(1);
    expect(list.body.alerts[0]).toMatchObject({ id: spikeId, kind: "spike", status: "open", streamName: "Brand", title: "Spike on “Brand”" });
    expect((await member.get("/api/v1/listening/alerts?kind=keyword")).body.alerts).toHaveLength(0);
    expect((await member.get(`/api/v1/listening/alerts?stream=${streamId}&status=open`)).body.alerts).toHaveLength(1);
    expect((await member.get("/api/v1/listening/alerts?kind=nonsense")).status).toBe(400);

    const detail = await member.get(`/api/v1/listening/alerts/${spikeId}`);
    expect(detail.status).toBe(200);
    // Mentions at 3 and 5 minutes ago are in the 15-minute window; the one 20 minutes ago is not.
    expect(detail.body.mentions.map((m: { text: string }) => m.text)).toEqual(["Emberoak refund 0", "Emberoak refund 1"]);
    expect(detail.body.evidence.facts.evidence.topTerms).toEqual([{ term: "refund", count: 2 }]);
    expect((await outsider.get(`/api/v1/listening/alerts/${spikeId}`)).body.error.code).toBe("alert_not_found");
  });

  it("managers acknowledge then resolve, never backwards; members may not; each change is audited", async () => {
    expect((await member.post(`/api/v1/listening/alerts/${spikeId}/status`, { status: "acknowledged" })).status).toBe(403);
    const ack = await manager.post(`/api/v1/listening/alerts/${spikeId}/status`, { status: "acknowledged" });
    expect(ack.status, ack.text).toBe(200);
    expect(ack.body).toMatchObject({ status: "acknowledged", statusByName: ws.people.manager.name });
    expect((await member.get("/api/v1/listening/alerts")).body.open).toBe(0);
    expect((await manager.post(`/api/v1/listening/alerts/${spikeId}/status`, { status: "resolved" })).body.status).toBe("resolved");
    const back = await manager.post(`/api/v1/listening/alerts/${spikeId}/status`, { status: "acknowledged" });
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe("alert_status_backwards");
    expect((await manager.post(`/api/v1/listening/alerts/${spikeId}/status`, { status: "open" })).status).toBe(400);
    const events = await services.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "listening.alert_status_changed"), eq(auditEvents.targetId, spikeId)));
    expect(events.map((e) => (e.data as { to: string }).to)).toEqual(["acknowledged", "resolved"]);
  });

  it("impostors: listed with the channel they imitate; managers set their status (audited), members may not", async () => {
    const list = await member.get("/api/v1/listening/impostors");
    expect(list.status).toBe(200);
    expect(list.body.impostors[0]).toMatchObject({ id: impostorId, handle: "@emberoаk", status: "new", imitates: { handle: "@emberoak" } });
    expect((await member.post(`/api/v1/listening/impostors/${impostorId}/status`, { status: "reported" })).status).toBe(403);
    const reported = await manager.post(`/api/v1/listening/impostors/${impostorId}/status`, { status: "reported" });
    expect(reported.status).toBe(200);
    expect(reported.body.status).toBe("reported");
    expect((await member.get("/api/v1/listening/impostors?status=new")).body.impostors).toHaveLength(0);
    expect((await manager.post(`/api/v1/listening/impostors/${impostorId}/status`, { status: "gone" })).status).toBe(400);
    expect((await outsider.get("/api/v1/listening/impostors")).body.impostors).toHaveLength(0);
    const events = await services.database.db.select().from(auditEvents).where(eq(auditEvents.action, "listening.impostor_status_changed"));
    expect(events[0].data).toMatchObject({ impostorId, from: "new", to: "reported" });
  });
});
