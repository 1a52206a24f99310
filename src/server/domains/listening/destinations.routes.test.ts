import { and, eq, like } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { mailOutbox } from "../../mail/mail.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import type { buildWorkspace } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { routeTestWorkspace } from "../../../../test/support/route-fixtures";
import type { TestServices } from "../../../../test/support/services";
import { startWebhookReceiver, type WebhookReceiver } from "../../../../test/support/webhook-receiver";
import { unsafeDeliverAlerts } from "./alerts/deliver-alerts";
import { raiseAlert } from "./alerts/raise-alert";
import { alertDeliveries, alertDestinations, listeningStreams } from "./listening.schema";

describeEachDatabase("alert destinations API", (kind) => {
  let services: TestServices;
  let ws: Awaited<ReturnType<typeof buildWorkspace>>;
  let admin: HttpClient;
  let manager: HttpClient;
  let outsider: HttpClient;
  let peer: WebhookReceiver;
  const slackUrl = "https://hooks.slack.com/services/T0000/B0000/abcdefghXyZ9";
  const responses: unknown[] = [];
  const keep = <T extends { body: unknown }>(response: T) => (responses.push(response.body), response);

  beforeAll(async () => {
    // The receiver checks the signature's timestamp against its own clock: sign with the real time.
    ({ services, ws, as: { admin, manager, outsider } } = await routeTestWorkspace(kind, ["admin", "manager", "outsider"], { env: { PARAPET_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" } }));
    peer = await startWebhookReceiver();
  });
  afterAll(async () => {
    await peer.close();
    await services.close();
  });

  it("admins add, list, change and delete destinations; the URL and secret are never shown again; each change is audited", async () => {
    const slack = keep(await admin.post("/api/v1/listening/alert-destinations", { kind: "slack", name: "PR channel", target: slackUrl, kinds: ["spike"], locale: "de" }));
    expect(slack.status, JSON.stringify(slack.body)).toBe(201);
    expect(slack.body).toMatchObject({ kind: "slack", name: "PR channel", targetHint: "hooks.slack.com/…/XyZ9", kinds: ["spike"], locale: "de", enabled: true, signingSecret: null });
    const hook = keep(await admin.post("/api/v1/listening/alert-destinations", { kind: "webhook", name: "Ticketing", target: `${peer.base}/hook` }));
    expect(hook.status).toBe(201);
    const secret: string = hook.body.signingSecret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const mail = keep(await admin.post("/api/v1/listening/alert-destinations", { kind: "email", name: "Comms team", target: "PR@emberoak.test,\n care@emberoak.test" }));
    expect(mail.body.targetHint).toBe("pr@emberoak.test, care@emberoak.test");

    const list = keep(await admin.get("/api/v1/listening/alert-destinations"));
    expect(list.status).toBe(200);
    expect(list.body.destinations.map((d: { name: string }) => d.name).sort()).toEqual(["Comms team", "PR channel", "Ticketing"]);
    expect(list.body.destinations.every((d: object) => !("signingSecret" in d))).toBe(true);
    // Stored sealed: neither the URL nor the secret is in the table as written.
    const [row] = await services.database.db.select().from(alertDestinations).where(eq(alertDestinations.id, hook.body.id));
    expect(row.target).not.toContain("127.0.0.1");
    expect(services.secrets.open(row.signingSecret!)).toBe(secret);

    const off = keep(await admin.patch(`/api/v1/listening/alert-destinations/${slack.body.id}`, { enabled: false, name: "PR (Slack)", kinds: [] }));
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, name: "PR (Slack)", kinds: [] });
    expect((await admin.patch(`/api/v1/listening/alert-destinations/${slack.body.id}`, {})).status).toBe(400);
    expect((await admin.patch(`/api/v1/listening/alert-destinations/${slack.body.id}`, { locale: "xx" })).status).toBe(400);
    const gone = await admin.delete(`/api/v1/listening/alert-destinations/${mail.body.id}`);
    expect(gone.status).toBe(204);
    expect((await admin.delete(`/api/v1/listening/alert-destinations/${mail.body.id}`)).body.error.code).toBe("destination_not_found");

    const events = await services.database.db.select().from(auditEvents).where(like(auditEvents.action, "listening.destination_%"));
    expect(events.map((e) => e.action).sort()).toEqual(["listening.destination_created", "listening.destination_created", "listening.destination_created", "listening.destination_deleted", "listening.destination_updated"]);
    expect(events.find((e) => e.action === "listening.destination_updated")!.data).toMatchObject({ before: { name: "PR channel", enabled: true, kinds: ["spike"] }, after: { name: "PR (Slack)", enabled: false, kinds: [] } });
    // No URL or secret in any answer or audit event.
    const everything = JSON.stringify([responses.filter((r) => r !== hook.body), events]);
    for (const needle of [slackUrl, "abcdefghXyZ9", `${peer.base}/hook`, secret, secret.slice(6)]) expect(everything).not.toContain(needle);
  });

  it("refuses wrong targets with a stable code, managers and other workspaces", async () => {
    const tries: [string, string, string][] = [
      ["slack", "https://example.test/services/T/B/x", "Slack"],
      ["slack", "http://hooks.slack.com/services/T/B/x", "https://"],
      ["teams", "https://example.test/webhook", "Teams"],
      ["webhook", "http://example.test/hook", "https://"],
      ["webhook", "https://user:pw@example.test/hook", "password"],
      ["webhook", "not a url", "not a URL"],
      ["email", "pr@emberoak.test, nobody", "“nobody”"],
    ];
    for (const [k, target, hint] of tries) {
      const res = await admin.post("/api/v1/listening/alert-destinations", { kind: k, name: "x", target });
      expect(res.status, target).toBe(400);
      expect(res.body.error.code, target).toBe("destination_target_invalid");
      expect(res.body.error.message, target).toContain(hint);
    }
    expect((await admin.post("/api/v1/listening/alert-destinations", { kind: "sms", name: "x", target: "+31" })).status).toBe(400);
    expect((await admin.post("/api/v1/listening/alert-destinations", { kind: "teams", name: "Teams", target: "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t" })).status).toBe(201);

    expect((await manager.get("/api/v1/listening/alert-destinations")).status).toBe(403);
    expect((await manager.post("/api/v1/listening/alert-destinations", { kind: "webhook", name: "x", target: "https://example.test/x" })).status).toBe(403);
    const [{ id }] = await services.database.db.select().from(alertDestinations).where(eq(alertDestinations.workspaceId, ws.workspace.id)).limit(1);
    expect((await manager.post(`/api/v1/listening/alert-destinations/${id}/test`)).status).toBe(403);
    expect((await manager.delete(`/api/v1/listening/alert-destinations/${id}`)).status).toBe(403);
    expect((await outsider.get("/api/v1/listening/alert-destinations")).body.destinations).toHaveLength(0);
    expect((await outsider.patch(`/api/v1/listening/alert-destinations/${id}`, { enabled: false })).body.error.code).toBe("destination_not_found");
  });

  it("sends a test now: delivered and signed, or the refusal with its reason; email goes to the outbox", async () => {
    const hook = await admin.post("/api/v1/listening/alert-destinations", { kind: "webhook", name: "Receiver", target: `${peer.base}/test-ok`, locale: "nl" });
    const ok = await admin.post(`/api/v1/listening/alert-destinations/${hook.body.id}/test`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ status: "delivered", error: null });
    const request = peer.received.find((r) => r.path === "/test-ok")!;
    const verified = new Webhook(hook.body.signingSecret).verify(request.body, request.headers as Record<string, string>) as { type: string; data: { title: string; workspace: string } };
    expect(verified).toMatchObject({ type: "listening.alert.test", data: { title: "Testbericht van Parapet", workspace: "Emberoak" } });

    peer.answers.set("/test-broken", [500]);
    const broken = await admin.post("/api/v1/listening/alert-destinations", { kind: "webhook", name: "Broken", target: `${peer.base}/test-broken` });
    const failed = await admin.post(`/api/v1/listening/alert-destinations/${broken.body.id}/test`);
    expect(failed.body).toEqual({ status: "failed", error: "HTTP 500 Internal Server Error" });
    peer.answers.set("/test-gone", [404]);
    const goneHook = await admin.post("/api/v1/listening/alert-destinations", { kind: "webhook", name: "Gone", target: `${peer.base}/test-gone` });
    expect((await admin.post(`/api/v1/listening/alert-destinations/${goneHook.body.id}/test`)).body).toEqual({ status: "failed", error: "HTTP 404 Not Found" });

    const mail = await admin.post("/api/v1/listening/alert-destinations", { kind: "email", name: "Mail", target: "test@emberoak.test", locale: "fa" });
    expect((await admin.post(`/api/v1/listening/alert-destinations/${mail.body.id}/test`)).body).toEqual({ status: "queued", error: null });
    const [queued] = await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "test@emberoak.test"));
    expect(queued.subject).toBe("Emberoak: پیام آزمایشی از پاراپت");

    const events = await services.database.db.select().from(auditEvents).where(eq(auditEvents.action, "listening.destination_tested"));
    expect(events.map((e) => (e.data as { status: string }).status).sort()).toEqual(["delivered", "failed", "failed", "queued"]);
    expect(JSON.stringify(events)).not.toContain(peer.base);
  });

  it("an alert raised in the workspace is delivered to a destination created through the API, by the real delivery job", async () => {
    const workspaceId = ws.workspace.id;
    // Only this test's destination takes spikes; the others are turned off.
    for (const d of (await admin.get("/api/v1/listening/alert-destinations")).body.destinations) await admin.patch(`/api/v1/listening/alert-destinations/${d.id}`, { enabled: false });
    const hook = await admin.post("/api/v1/listening/alert-destinations", { kind: "webhook", name: "Alerts", target: `${peer.base}/alerts`, kinds: ["spike"] });
    const [{ id: streamId }] = await services.database.db.insert(listeningStreams).values({ workspaceId, name: "Brand", query: "emberoak" }).returning();
    const alertId = (await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) =>
      raiseAlert(tx, {
        streamId,
        facts: { kind: "spike", stream: "Brand", evidence: { window: { start: "2026-11-23T08:45:00Z", end: "2026-11-23T09:00:00Z", total: 50, negative: 5 }, baseline: { kind: "last_day", median: 5, negativeShare: 0.1 }, ratio: 10, negativeShare: 0.1, topTerms: [] } },
        evidence: {},
        windowStart: new Date("2026-11-23T08:45:00Z"),
        windowEnd: new Date("2026-11-23T09:00:00Z"),
      }),
    ))!;
    const deliveries = await services.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alertId));
    expect(deliveries.map((d) => d.destinationId)).toEqual([hook.body.id]);
    expect(await unsafeDeliverAlerts(services)).toMatchObject({ delivered: 1, failed: 0 });
    const request = peer.received.find((r) => r.path === "/alerts")!;
    const verified = new Webhook(hook.body.signingSecret).verify(request.body, request.headers as Record<string, string>) as { type: string; data: { id: string } };
    expect(verified).toMatchObject({ type: "listening.alert.spike", data: { id: alertId } });
    const [done] = await services.database.db.select().from(alertDeliveries).where(and(eq(alertDeliveries.alertId, alertId), eq(alertDeliveries.destinationId, hook.body.id)));
    expect(done.status).toBe("delivered");
  });
});
