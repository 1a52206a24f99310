import http from "node:http";
import type { AddressInfo } from "node:net";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { inTransaction, unsafeSystemCtx, withActor } from "../../../context";
import { mailOutbox } from "../../../mail/mail.schema";
import { describeEachDatabase } from "../../../../../test/support/databases";
import type { HttpClient } from "../../../../../test/support/http";
import { crisisNoticeFixture, insertDestination, insertPlan } from "../../../../../test/support/crisis-fixtures";
import type { TestServices } from "../../../../../test/support/services";
import type { WebhookReceiver } from "../../../../../test/support/webhook-receiver";
import { crisisEvents, crisisNotices } from "../crisis.schema";
import { unsafeDeliverCrisisNotices } from "./commands/crisis-notices";
import { declareCrisis } from "./index";

describeEachDatabase("crisis mode notifies stakeholders through alert destinations", (kind) => {
  let services: TestServices;
  let peer: WebhookReceiver;
  let workspaceId: string;
  let manager: HttpClient;
  let member: HttpClient;
  let planId: string;
  let ids: Record<string, string>;
  let close: () => Promise<void>;
  const secret = `whsec_${Buffer.from("a-crisis-signing-secret-32-bytes").toString("base64")}`;

  beforeAll(async () => {
    ({ services, peer, workspaceId, manager, member, planId, ids, close } = await crisisNoticeFixture(kind, {
      brand: "Emberoak",
      destinations: (base) => [
        { name: "Exec Slack", kind: "slack", target: `${base}/slack` },
        { name: "Board Teams", kind: "teams", target: `${base}/teams`, locale: "de" },
        { name: "Legal webhook", kind: "webhook", target: `${base}/hook`, signingSecret: secret },
        { name: "Comms list", kind: "email", target: "comms@emberoak.test", locale: "fa" },
        { name: "Switched off", kind: "slack", target: `${base}/off`, disabledAt: new Date() },
        { name: "Only for SEV1", kind: "slack", target: `${base}/sev1` },
      ],
      stakeholders: (ids) => [
        { name: "Executives", email: "ceo@emberoak.test", destinationId: ids["Exec Slack"], fromSeverity: 3 },
        { name: "Board", email: null, destinationId: ids["Board Teams"], fromSeverity: 3 },
        { name: "Legal", email: null, destinationId: ids["Legal webhook"], fromSeverity: 4 },
        { name: "Comms", email: null, destinationId: ids["Comms list"], fromSeverity: 4 },
        { name: "Also executives", email: null, destinationId: ids["Exec Slack"], fromSeverity: 4 }, // the same channel: once
        { name: "Old channel", email: null, destinationId: ids["Switched off"], fromSeverity: 4 },
        { name: "Only the worst", email: null, destinationId: ids["Only for SEV1"], fromSeverity: 1 },
      ],
    }));
  });
  afterAll(() => close());

  const events = (crisisId: string) => services.database.db.select().from(crisisEvents).where(eq(crisisEvents.crisisId, crisisId)).orderBy(asc(crisisEvents.occurredAt));
  const noticesOf = (crisisId: string) => services.database.db.select().from(crisisNotices).where(eq(crisisNotices.crisisId, crisisId));
  // The after-commit round runs first; a second call waits for it (rounds never overlap) and sends what is due.
  const settle = () => unsafeDeliverCrisisNotices(services);

  it("sends who declared which crisis, its severity, why and the link to Slack, Teams, a signed webhook and a mail list — once per destination, only at the stakeholder's severity", async () => {
    const declared = await manager.post("/api/v1/crisis/crises", { title: "Exploding cans", originKind: "manual", severityLevel: 3, planId });
    expect(declared.status, declared.text).toBe(200);
    const crisisId = declared.body.id as string;
    const started = await manager.post(`/api/v1/crisis/crises/${crisisId}/mode`, { reason: "A video of a can bursting is everywhere", pause: "none", lockdown: false, notify: true });
    expect(started.status, started.text).toBe(200);
    await settle();

    const link = `${services.config.publicUrl}/crisis/${crisisId}`;
    const ref = `CR-${declared.body.number}`;
    expect(peer.received.map((r) => r.path).sort()).toEqual(["/hook", "/slack", "/teams"]); // not the switched-off one, not the SEV1-only one
    const slack = JSON.parse(peer.received.find((r) => r.path === "/slack")!.body);
    expect(slack.text).toBe(`Emberoak: Crisis ${ref} (SEV3): Exploding cans — ${link}`);
    const lines = JSON.stringify(slack.blocks);
    for (const line of ["Crisis mode is on.", "Declared by Manager", "Severity: SEV3", "Why: A video of a can bursting is everywhere"]) expect(lines).toContain(line);
    expect(slack.blocks.at(-1).elements[0].url).toBe(link);
    const teams = JSON.parse(peer.received.find((r) => r.path === "/teams")!.body);
    expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(JSON.stringify(teams)).toContain(`Krise ${ref} (SEV3): Exploding cans`);
    expect(JSON.stringify(teams)).toContain("Ausgerufen von Manager");

    // The stakeholder's receiver checks the signature with its secret (Standard Webhooks' own library).
    const hook = peer.received.find((r) => r.path === "/hook")!;
    const verified = new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(verified.type).toBe("crisis.mode_started");
    expect(verified.data).toMatchObject({ crisisId, ref, severityLevel: 3, declaredBy: "Manager", reason: "A video of a can bursting is everywhere", link });
    expect(hook.headers["webhook-id"]).toBe(`crisis-${started.body.mode.id}-${ids["Legal webhook"]}`);

    // A mail destination goes through the mail outbox, in its language; the stakeholder's own address as before.
    const mails = await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.workspaceId, workspaceId));
    const comms = mails.find((m) => m.toAddress === "comms@emberoak.test")!;
    expect(comms.subject).toBe(`Emberoak: بحران ${ref} (SEV3): Exploding cans`);
    expect(comms.text).toContain(link);
    expect(mails.some((m) => m.toAddress === "ceo@emberoak.test")).toBe(true);

    // Three sent from here, three mailed: the Comms list, the CEO's plain address and the crisis team (the manager).
    expect((await noticesOf(crisisId)).map((n) => n.status).sort()).toEqual(["delivered", "delivered", "delivered", "mailed", "mailed", "mailed"]);
    // The mail list is listed too, by kind and name; this server has no SMTP, so its mail waits in the outbox.
    const listed = await member.get(`/api/v1/crisis/crises/${crisisId}/notices`);
    expect(listed.text).not.toContain("comms@emberoak.test");
    expect(listed.body.notices.find((n: { recipient: { name: string } }) => n.recipient.name === "Comms list")).toMatchObject({
      recipient: { kind: "destination", name: "Comms list", roles: [], address: null },
      destination: { id: ids["Comms list"], kind: "email", name: "Comms list" },
      status: "queued",
      reason: "mail_not_configured",
      lastError: null,
    });
    // The team first (by name and role), then the stakeholder by plain address (as the plan shows it), then destinations.
    expect(listed.body.notices.slice(0, 2)).toMatchObject([
      { recipient: { kind: "team", name: "Manager", roles: ["lead"], address: null }, destination: null, status: "queued", reason: "mail_not_configured" },
      { recipient: { kind: "stakeholder", name: "Executives", roles: [], address: "ceo@emberoak.test" }, destination: null, status: "queued", reason: "mail_not_configured" },
    ]);
    expect(started.body.mode.notified).toEqual(
      expect.arrayContaining([
        { to: "Exec Slack", kind: "stakeholder", via: "destination", channel: "slack", destinationId: ids["Exec Slack"] },
        { to: "Board Teams", kind: "stakeholder", via: "destination", channel: "teams", destinationId: ids["Board Teams"] },
        { to: "Legal webhook", kind: "stakeholder", via: "destination", channel: "webhook", destinationId: ids["Legal webhook"] },
        { to: "Comms list", kind: "stakeholder", via: "destination", channel: "email", destinationId: ids["Comms list"] },
        { to: "ceo@emberoak.test", kind: "stakeholder", via: "email", channel: "email" },
      ]),
    );
    const notified = (await events(crisisId)).find((e) => e.type === "stakeholders_notified")!;
    // The team (the manager who declared), the CEO's address and the Comms list by email; one each on Slack, Teams, webhook; one destination switched off.
    expect(notified.data).toEqual({ count: 6, team: 1, stakeholders: 5, email: 3, slack: 1, teams: 1, webhook: 1, destinationsMissing: 1 });
    await manager.post(`/api/v1/crisis/crises/${crisisId}/mode/end`);
  });

  it("retries a receiver that answers 500 with backoff until it takes the notice", async () => {
    peer.answers.set("/slack", [500, 500]);
    const before = peer.received.length;
    const declared = await manager.post("/api/v1/crisis/crises", { title: "Recall", originKind: "manual", severityLevel: 3, planId });
    const started = await manager.post(`/api/v1/crisis/crises/${declared.body.id}/mode`, { reason: "Batch recalled", pause: "none", lockdown: false, notify: true });
    expect(started.status, started.text).toBe(200);
    await settle();
    const slackNotice = async () => (await noticesOf(declared.body.id)).find((n) => n.destinationId === ids["Exec Slack"])!;
    expect(await slackNotice()).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 500 Internal Server Error" });
    expect(await settle()).toEqual({ delivered: 0, failed: 0, retrying: 0 }); // not before its backoff
    services.clock.advance(60_000);
    expect(await settle()).toEqual({ delivered: 0, failed: 0, retrying: 1 });
    expect(await slackNotice()).toMatchObject({ status: "pending", attempts: 2 });
    services.clock.advance(300_000);
    expect(await settle()).toEqual({ delivered: 1, failed: 0, retrying: 0 });
    expect(await slackNotice()).toMatchObject({ status: "delivered", attempts: 3, lastError: null });
    const slackCalls = peer.received.slice(before).filter((r) => r.path === "/slack");
    expect(slackCalls).toHaveLength(3);
    expect(new Set(slackCalls.map((r) => r.body)).size).toBe(1); // the same message each time
    await manager.post(`/api/v1/crisis/crises/${declared.body.id}/mode/end`);
  });

  it("lists each notice with its destination's kind and name (never its address) and its delivery: queued, sent, retrying with the next attempt, failed with the error", async () => {
    // A receiver that is gone (a closed port): its connection error names the address, which the list leaves out.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadAddress = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dead = await insertDestination(services, workspaceId, { kind: "webhook", name: "Old agency hook", target: `http://${deadAddress}/gone` });
    const plan = await insertPlan(services, workspaceId, "product_recall", {
      stakeholders: [
        { name: "Executives", email: null, destinationId: ids["Exec Slack"], fromSeverity: 4 },
        { name: "Board", email: null, destinationId: ids["Board Teams"], fromSeverity: 4 },
        { name: "Legal", email: null, destinationId: ids["Legal webhook"], fromSeverity: 4 },
        { name: "Agency", email: null, destinationId: dead.id, fromSeverity: 4 },
      ],
    });
    peer.answers.set("/slack", [503]);
    peer.answers.set("/hook", [410]);
    const release = peer.hold("/teams");
    const declared = await manager.post("/api/v1/crisis/crises", { title: "Kettle handles", originKind: "manual", severityLevel: 3, planId: plan.id });
    const crisisId = declared.body.id as string;
    const started = await manager.post(`/api/v1/crisis/crises/${crisisId}/mode`, { reason: "Burns reported", pause: "none", lockdown: false, notify: true });
    expect(started.status, started.text).toBe(200);
    type Notice = { destination: { id: string; kind: string; name: string }; status: string; attempts: number; nextAttemptAt: string | null; lastError: string | null; deliveredAt: string | null; modeId: string };
    const list = async (client: HttpClient) => {
      const res = await client.get(`/api/v1/crisis/crises/${crisisId}/notices`);
      expect(res.status, res.text).toBe(200);
      expect(res.text).not.toContain(peer.base.slice(7)); // no receiver's address
      expect(res.text).not.toContain(deadAddress);
      return Object.fromEntries((res.body.notices as Notice[]).filter((n) => n.destination).map((n) => [n.destination.name, n]));
    };
    // While Teams has not answered, its notice is queued (being sent).
    const waiting = await list(member);
    expect(waiting["Board Teams"]).toMatchObject({ destination: { id: ids["Board Teams"], kind: "teams", name: "Board Teams" }, status: "queued", lastError: null, deliveredAt: null, modeId: started.body.mode.id });
    release();
    await settle();
    const now = services.clock().getTime();
    const after = await list(member);
    expect(Object.keys(after).sort()).toEqual(["Board Teams", "Exec Slack", "Legal webhook", "Old agency hook"]);
    expect(after["Board Teams"]).toMatchObject({ status: "sent", attempts: 1, lastError: null, nextAttemptAt: null });
    expect(Date.parse(after["Board Teams"].deliveredAt!)).toBe(now);
    expect(after["Exec Slack"]).toMatchObject({ destination: { kind: "slack" }, status: "retrying", attempts: 1, lastError: "HTTP 503 Service Unavailable", deliveredAt: null });
    expect(Date.parse(after["Exec Slack"].nextAttemptAt!)).toBeGreaterThan(now);
    expect(after["Legal webhook"]).toMatchObject({ destination: { kind: "webhook" }, status: "failed", lastError: "HTTP 410 Gone", nextAttemptAt: null });
    expect(after["Old agency hook"]).toMatchObject({ status: "retrying", lastError: expect.stringContaining("ECONNREFUSED") });
    expect(after["Old agency hook"].lastError).toContain("…");
    // The retry goes out at its time: the list says sent.
    services.clock.set(new Date(after["Exec Slack"].nextAttemptAt!));
    await settle();
    expect((await list(manager))["Exec Slack"]).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    // An unknown crisis (or one of another workspace) is not found.
    expect((await member.get("/api/v1/crisis/crises/00000000-0000-4000-8000-000000000000/notices")).body.error.code).toBe("not_found");
    await manager.post(`/api/v1/crisis/crises/${crisisId}/mode/end`);
  });

  it("a drill notifies the crisis team only, as a real crisis would: its notice is recorded and mailed; no stakeholder's destination or address hears of it", async () => {
    const before = peer.received.length;
    const mailsBefore = (await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.workspaceId, workspaceId))).length;
    // Declared by a person, as every drill is (the drill page's declare, declareDrillCrisis): the declarer leads its team.
    const { user } = (await manager.get("/api/v1/me")).body as { user: { id: string; email: string; name: string } };
    const declarer = withActor(unsafeSystemCtx(services, "test", workspaceId), { type: "user", userId: user.id, email: user.email, name: user.name, role: "manager", via: "session" }, workspaceId);
    const drill = await inTransaction(declarer, (tx) =>
      declareCrisis(tx, { title: "Drill: exploding cans", originKind: "manual", severityLevel: 3, planId, isDrill: true, originKindOverride: "drill" }),
    );
    const started = await manager.post(`/api/v1/crisis/crises/${drill.id}/mode`, { reason: "Drill", pause: "none", lockdown: false, notify: true });
    expect(started.status, started.text).toBe(200);
    await settle();
    expect(peer.received.length).toBe(before);
    // The team's notice is recorded (its lead, the declarer) with its mail; none for a stakeholder.
    const notices = await noticesOf(drill.id);
    expect(notices.map((n) => [n.recipientKind, n.recipientName, n.recipientRole, n.status])).toEqual([["team", user.name, "lead", "mailed"]]);
    const mails = (await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.workspaceId, workspaceId))).slice(mailsBefore);
    expect(mails.map((m) => [m.id, m.toAddress])).toEqual([[notices[0].mailIds![0], user.email]]);
    expect(mails[0].subject).toMatch(/^\[Drill\] Crisis CR-\d+ \(SEV3\): Drill: exploding cans$/);
    expect(started.body.mode.notified.every((n: { kind: string }) => n.kind === "team")).toBe(true);
    // What it left out is on the timeline for the debrief: the CEO's address and four enabled destinations at SEV3 (not the SEV1-only one).
    const notified = (await events(drill.id)).find((e) => e.type === "stakeholders_notified")!;
    expect(notified.data).toMatchObject({ stakeholders: 0, slack: 0, teams: 0, webhook: 0, drill: true, leftOut: 5 });
  });

  it("a plan editor picks a stakeholder's destination from a list of kinds and names (never an address); a destination not in the workspace is refused", async () => {
    const listed = await member.get("/api/v1/crisis/stakeholder-destinations");
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.destinations).toEqual(
      expect.arrayContaining([
        { id: ids["Exec Slack"], kind: "slack", name: "Exec Slack", enabled: true },
        { id: ids["Switched off"], kind: "slack", name: "Switched off", enabled: false },
        { id: ids["Comms list"], kind: "email", name: "Comms list", enabled: true },
      ]),
    );
    expect(listed.text).not.toContain(peer.base.slice(7));
    expect(listed.text).not.toContain("comms@emberoak.test");
    const created = (await manager.post("/api/v1/crisis/plans", { scenario: "custom", name: "Strike" })).body;
    const put = (destinationId: string, expectedVersion: number) =>
      manager.put(`/api/v1/crisis/plans/${created.id}`, { expectedVersion, content: { ...created.content, stakeholders: [{ name: "Board", email: null, destinationId, fromSeverity: 2 }] } });
    const saved = await put(ids["Board Teams"], 1);
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.content.stakeholders[0].destinationId).toBe(ids["Board Teams"]);
    const unknown = await put("00000000-0000-4000-8000-000000000000", 2);
    expect([unknown.status, unknown.body.error.code]).toEqual([400, "plan_content_invalid"]);
    expect(unknown.body.error.message).toMatch(/alert destination does not exist/);
  });
});
