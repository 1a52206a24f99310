import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { inTransaction, unsafeSystemCtx } from "../../../context";
import { mailOutbox } from "../../../mail/mail.schema";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { buildWorkspace } from "../../../../../test/support/factories";
import { createTestServices, testClock, type TestServices } from "../../../../../test/support/services";
import { startWebhookReceiver, type WebhookReceiver } from "../../../../../test/support/webhook-receiver";
import { alertDeliveries, alertDestinations, listeningAlerts, listeningStreams } from "../listening.schema";
import { unsafeDeliverAlerts, type DeliveryTiming } from "./deliver-alerts";
import { raiseAlert, type RaiseAlertInput } from "./raise-alert";

const TIMING: DeliveryTiming = { requestTimeoutMs: 500, leaseMs: 60_000, backoffMs: [60_000, 300_000] };

describeEachDatabase("alert delivery", (kind) => {
  let services: TestServices;
  let peer: WebhookReceiver;
  let workspaceId: string;
  let streamId: string;
  const secret = `whsec_${Buffer.from("a-test-signing-secret-of-32bytes").toString("base64")}`;

  beforeAll(async () => {
    // The receiver checks the signature's timestamp against its own clock: sign with the real time.
    // The local receiver stands in for public ones: the operator allows its address (and only that name).
    services = await createTestServices(kind, { PARAPET_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" }, testClock(new Date()));
    peer = await startWebhookReceiver();
    ({ workspace: { id: workspaceId } } = await buildWorkspace(services, "Emberoak"));
    [{ id: streamId }] = await services.database.db.insert(listeningStreams).values({ workspaceId, name: "Brand", query: "emberoak", cooldownMinutes: 30 }).returning();
  });
  afterAll(async () => {
    await peer.close();
    await services.close();
  });

  const destination = async (kind: string, target: string, extra: Partial<typeof alertDestinations.$inferInsert> = {}) => {
    const [row] = await services.database.db
      .insert(alertDestinations)
      .values({ workspaceId, kind, name: kind, target: services.secrets.seal(target), ...extra })
      .returning();
    return row.id;
  };
  const spike = (total: number): RaiseAlertInput => ({
    streamId,
    facts: {
      kind: "spike",
      stream: "Brand",
      evidence: {
        window: { start: "2026-11-23T08:45:00Z", end: "2026-11-23T09:00:00Z", total, negative: 40 },
        baseline: { kind: "hour_of_week", median: 9, negativeShare: 0.1 },
        ratio: total / 9,
        negativeShare: 40 / total,
        topTerms: [{ term: "refund", count: 30 }, { term: "broken", count: 12 }],
      },
    },
    evidence: { topPosts: [] },
    windowStart: new Date("2026-11-23T08:45:00Z"),
    windowEnd: new Date("2026-11-23T09:00:00Z"),
  });
  const raise = (input: RaiseAlertInput) => inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => raiseAlert(tx, input));
  const deliveryOf = async (alertId: string, destinationId: string) =>
    (await services.database.db.select().from(alertDeliveries).where(and(eq(alertDeliveries.alertId, alertId), eq(alertDeliveries.destinationId, destinationId))))[0];

  it("sends an alert to Slack, Teams, a signed webhook and mail, each in the destination's language, with the link to the alert", async () => {
    const slack = await destination("slack", `${peer.base}/slack`);
    const teams = await destination("teams", `${peer.base}/teams`, { locale: "de" });
    const hook = await destination("webhook", `${peer.base}/hook`, { signingSecret: services.secrets.seal(secret) });
    const mail = await destination("email", "pr@emberoak.test, care@emberoak.test", { locale: "fa" });
    await destination("webhook", `${peer.base}/impostors-only`, { kinds: ["impostor"] });

    const alertId = (await raise(spike(112)))!;
    expect(alertId).toBeTruthy();
    const result = await unsafeDeliverAlerts(services, TIMING);
    expect(result).toEqual({ delivered: 4, failed: 0, retrying: 0 });
    for (const id of [slack, teams, hook, mail]) expect((await deliveryOf(alertId, id)).status).toBe("delivered");
    expect(peer.received.map((r) => r.path).sort()).toEqual(["/hook", "/slack", "/teams"]);

    const link = `${services.config.publicUrl}/listening/alerts/${alertId}`;
    const slackBody = JSON.parse(peer.received.find((r) => r.path === "/slack")!.body);
    expect(slackBody.text).toBe(`Emberoak: Spike on “Brand” — ${link}`);
    expect(JSON.stringify(slackBody.blocks)).toContain("112 mentions in 15 minutes; usually 9 at this hour of the week (×12)");
    const teamsBody = JSON.parse(peer.received.find((r) => r.path === "/teams")!.body);
    expect(teamsBody.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(JSON.stringify(teamsBody)).toContain("Anstieg bei „Brand“");
    expect(teamsBody.attachments[0].content.actions[0].url).toBe(link);

    // The receiver verifies the signature with the secret it was given (Standard Webhooks' own library).
    const hookRequest = peer.received.find((r) => r.path === "/hook")!;
    const verified = new Webhook(secret).verify(hookRequest.body, hookRequest.headers as Record<string, string>) as { type: string; data: { link: string } };
    expect(verified.type).toBe("listening.alert.spike");
    expect(verified.data.link).toBe(link);
    expect(() => new Webhook(secret).verify(hookRequest.body.replace("112", "113"), hookRequest.headers as Record<string, string>)).toThrow();

    const mails = await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.workspaceId, workspaceId));
    expect(mails.map((m) => m.toAddress).sort()).toEqual(["care@emberoak.test", "pr@emberoak.test"]);
    expect(mails[0].subject).toBe("Emberoak: جهش در «Brand»");
    expect(mails[0].text).toContain(link);
  });

  it("raises one alert per cooldown on a stream", async () => {
    expect(await raise(spike(150))).toBeNull();
    services.clock.advance(31 * 60_000);
    expect(await raise(spike(150))).toBeTruthy();
    const alerts = await services.database.db.select().from(listeningAlerts).where(eq(listeningAlerts.streamId, streamId));
    expect(alerts).toHaveLength(2);
    await unsafeDeliverAlerts(services, TIMING);
  });

  it("retries a busy or silent receiver with backoff, gives up on a refusal, and records why", async () => {
    await services.database.db.update(alertDestinations).set({ disabledAt: services.clock() }).where(eq(alertDestinations.workspaceId, workspaceId));
    const busy = await destination("webhook", `${peer.base}/busy`);
    const silent = await destination("slack", `${peer.base}/silent`);
    const gone = await destination("teams", `${peer.base}/gone`);
    peer.answers.set("/busy", [503]);
    peer.answers.set("/silent", [0, 0, 0]);
    peer.answers.set("/gone", [404]);
    services.clock.advance(31 * 60_000);
    const alertId = (await raise(spike(200)))!;

    expect(await unsafeDeliverAlerts(services, TIMING)).toEqual({ delivered: 0, failed: 1, retrying: 2 });
    expect(await deliveryOf(alertId, gone)).toMatchObject({ status: "failed", lastError: "HTTP 404 Not Found", attempts: 1 });
    expect(await deliveryOf(alertId, busy)).toMatchObject({ status: "pending", lastError: "HTTP 503 Service Unavailable" });
    expect((await deliveryOf(alertId, silent)).lastError).toBe("no answer within 0.5 s");

    // Not due before the backoff has passed.
    expect(await unsafeDeliverAlerts(services, TIMING)).toEqual({ delivered: 0, failed: 0, retrying: 0 });
    services.clock.advance(60_000);
    expect(await unsafeDeliverAlerts(services, TIMING)).toEqual({ delivered: 1, failed: 0, retrying: 1 });
    expect((await deliveryOf(alertId, busy)).status).toBe("delivered");
    services.clock.advance(300_000);
    expect(await unsafeDeliverAlerts(services, TIMING)).toEqual({ delivered: 0, failed: 1, retrying: 0 });
    expect(await deliveryOf(alertId, silent)).toMatchObject({ status: "failed", attempts: 3, lastError: "no answer within 0.5 s" });
  });

  it("never sends to a non-public address the operator did not allow (SSRF guard), and does not retry it", async () => {
    await services.database.db.update(alertDestinations).set({ disabledAt: services.clock() }).where(eq(alertDestinations.workspaceId, workspaceId));
    // Same receiver, but named "localhost": that name is not allowed, and it resolves to a loopback address.
    const internal = await destination("webhook", `${peer.base.replace("127.0.0.1", "localhost")}/internal`);
    const before = peer.received.length;
    services.clock.advance(31 * 60_000);
    const alertId = (await raise(spike(250)))!;
    expect(await unsafeDeliverAlerts(services, TIMING)).toEqual({ delivered: 0, failed: 1, retrying: 0 });
    expect(await deliveryOf(alertId, internal)).toMatchObject({ status: "failed", attempts: 1, lastError: "localhost resolves to a non-public address" });
    expect(peer.received.length).toBe(before);
  });
});
