import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { mailOutbox } from "../../../mail/mail.schema";
import { MAX_MAIL_ATTEMPTS } from "../../../mail/mailer";
import { alertDestinations } from "../../listening/listening.schema";
import { auditSince, lastAuditSeq } from "../../../../../test/support/audit";
import { describeEachDatabase } from "../../../../../test/support/databases";
import type { HttpClient } from "../../../../../test/support/http";
import { crisisNoticeFixture, insertDestination, insertPlan } from "../../../../../test/support/crisis-fixtures";
import type { TestServices } from "../../../../../test/support/services";
import { startSmtpServer, type TestSmtpServer } from "../../../../../test/support/smtp";
import type { WebhookReceiver } from "../../../../../test/support/webhook-receiver";
import { unsafeDeliverCrisisNotices } from "./commands/crisis-notices";

/**
 * Crisis notices to a mail list are listed beside Slack, Teams and webhooks (through a real SMTP server that refuses
 * one of the list's addresses), and a failed notice is sent again now by a crisis manager — nobody else, only a
 * failed one, only this crisis's.
 */
describeEachDatabase("a stakeholder notice to a mail list, and sending a failed notice again", (kind) => {
  let services: TestServices;
  let peer: WebhookReceiver;
  let smtp: TestSmtpServer;
  let workspaceId: string;
  let manager: HttpClient;
  let member: HttpClient;
  let planId: string;
  let ids: Record<string, string>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ({ services, peer, workspaceId, manager, member, planId, ids, close } = await crisisNoticeFixture(kind, {
      brand: "Fernhill",
      env: { SMTP_URL: smtp.url, MAIL_FROM: "Parapet <parapet@example.test>" },
      destinations: (base) => [
        { name: "Exec Slack", kind: "slack", target: `${base}/slack` },
        { name: "Legal webhook", kind: "webhook", target: `${base}/hook` },
        { name: "Comms list", kind: "email", target: "comms@fernhill.test, bounce-press@fernhill.test" },
      ],
      stakeholders: (ids) => [
        { name: "Executives", email: null, destinationId: ids["Exec Slack"], fromSeverity: 4 },
        { name: "Legal", email: null, destinationId: ids["Legal webhook"], fromSeverity: 4 },
        { name: "Comms", email: null, destinationId: ids["Comms list"], fromSeverity: 4 },
      ],
    }));
  });
  afterAll(async () => {
    await close();
    await smtp.close();
  });

  type Notice = { id: string; recipient: { kind: string; name: string; roles: string[]; address: string | null }; destination: { id: string; kind: string; name: string } | null; status: string; attempts: number; lastError: string | null; reason: string | null; deliveredAt: string | null };
  const list = async (crisisId: string) => {
    const res = await member.get(`/api/v1/crisis/crises/${crisisId}/notices`);
    expect(res.status, res.text).toBe(200);
    expect(res.text).not.toContain("fernhill.test"); // no address of the list, nor the mail server's words naming one
    expect(res.text).not.toContain(peer.base.slice(7));
    return Object.fromEntries((res.body.notices as Notice[]).map((n) => [n.recipient.name, n]));
  };
  const listMails = () => services.database.db.select().from(mailOutbox).where(eq(mailOutbox.workspaceId, workspaceId));

  it("lists the mail list's notice by kind and name: retrying while a mail is refused, failed with a reason (not the server's words) once it is given up", async () => {
    peer.answers.set("/hook", [410]);
    const declared = await manager.post("/api/v1/crisis/crises", { title: "Mislabelled allergens", originKind: "manual", severityLevel: 3, planId });
    const crisisId = declared.body.id as string;
    const started = await manager.post(`/api/v1/crisis/crises/${crisisId}/mode`, { reason: "Peanut traces not on the label", pause: "none", lockdown: false, notify: true });
    expect(started.status, started.text).toBe(200);
    // Crisis mode's commit starts a mail round: one address taken, the other refused (550), tried again later.
    await services.mailer.idle();
    const once = (await list(crisisId))["Comms list"];
    expect(once).toMatchObject({ destination: { id: ids["Comms list"], kind: "email", name: "Comms list" }, status: "retrying", attempts: 1, reason: null, lastError: null, deliveredAt: null });
    expect(smtp.mailsTo("comms@fernhill.test")).toHaveLength(1); // the other address went out
    for (let round = 1; round < MAX_MAIL_ATTEMPTS; round++) await services.mailer.deliverPending(services.database.db);
    await unsafeDeliverCrisisNotices(services);
    const after = await list(crisisId);
    expect(after["Comms list"]).toMatchObject({ status: "failed", attempts: MAX_MAIL_ATTEMPTS, reason: "mail_not_accepted", lastError: null });
    expect(after["Legal webhook"]).toMatchObject({ destination: { kind: "webhook" }, status: "failed", lastError: "HTTP 410 Gone", reason: null });
    expect(after["Exec Slack"]).toMatchObject({ status: "sent", reason: null });
    await manager.post(`/api/v1/crisis/crises/${crisisId}/mode/end`);
  });

  it("sends a failed notice again for a crisis manager (audited): a webhook with the same webhook-id, a mail list's given-up mail back into the outbox", async () => {
    peer.answers.set("/hook", [410]);
    const declared = await manager.post("/api/v1/crisis/crises", { title: "Cold brew recall", originKind: "manual", severityLevel: 3, planId });
    const crisisId = declared.body.id as string;
    await manager.post(`/api/v1/crisis/crises/${crisisId}/mode`, { reason: "Seals fail", pause: "none", lockdown: false, notify: true });
    for (let round = 0; round < MAX_MAIL_ATTEMPTS; round++) await services.mailer.deliverPending(services.database.db);
    await unsafeDeliverCrisisNotices(services);
    const before = await list(crisisId);
    expect(before["Legal webhook"].status).toBe("failed");
    expect(before["Comms list"].status).toBe("failed");
    const retry = (client: HttpClient, noticeId: string, crisis = crisisId) => client.post(`/api/v1/crisis/crises/${crisis}/notices/${noticeId}/retry`, {});

    // Who may not, and what may not be retried: each with its code, nothing changed.
    const refused = await retry(member, before["Legal webhook"].id);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    const sent = await retry(manager, before["Exec Slack"].id);
    expect(sent.status).toBe(409);
    expect(sent.body.error.code).toBe("crisis_notice_not_failed");
    const other = await manager.post("/api/v1/crisis/crises", { title: "Another one", originKind: "manual", severityLevel: 4 });
    expect((await retry(manager, before["Legal webhook"].id, other.body.id)).body.error.code).toBe("not_found");
    expect((await retry(manager, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await list(crisisId))["Legal webhook"]).toMatchObject({ status: "failed", attempts: 1 });

    // The webhook: queued again at once, sent after commit with the same webhook-id as the first attempt.
    const seq = await lastAuditSeq(services);
    const again = await retry(manager, before["Legal webhook"].id);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ id: before["Legal webhook"].id, status: "queued", attempts: 0, lastError: null });
    await unsafeDeliverCrisisNotices(services);
    expect((await list(crisisId))["Legal webhook"]).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    const hooks = peer.received.filter((r) => r.path === "/hook" && JSON.parse(r.body).data?.crisisId === crisisId);
    expect(hooks).toHaveLength(2);
    expect(hooks[1].headers["webhook-id"]).toBe(hooks[0].headers["webhook-id"]);
    expect(hooks[1].body).toBe(hooks[0].body);
    // A second press finds it no longer failed.
    expect((await retry(manager, before["Legal webhook"].id)).body.error.code).toBe("crisis_notice_not_failed");

    // The mail list: its given-up mail is due again (the sent one is not sent twice); the next round tries it.
    const mailed = await retry(manager, before["Comms list"].id);
    expect(mailed.status, mailed.text).toBe(200);
    expect(mailed.body).toMatchObject({ status: "queued", reason: null });
    expect(mailed.text).not.toContain("fernhill.test");
    await services.mailer.idle();
    const bounced = (await listMails()).filter((m) => m.toAddress === "bounce-press@fernhill.test" && m.subject.includes("Cold brew recall"));
    expect(bounced).toHaveLength(1);
    expect(bounced[0]).toMatchObject({ attempts: 1, sentAt: null }); // tried again after commit, refused again
    expect((await list(crisisId))["Comms list"]).toMatchObject({ status: "retrying", attempts: 1 });
    expect(smtp.mailsTo("comms@fernhill.test").filter((m) => m.subject.includes("Cold brew recall"))).toHaveLength(1);

    const audited = await auditSince(services, seq, { action: "crisis.notice_retried" });
    expect(audited.map((a) => a.data)).toEqual([
      { crisisId, noticeId: before["Legal webhook"].id, destinationId: ids["Legal webhook"], kind: "webhook", attempts: 1 },
      { crisisId, noticeId: before["Comms list"].id, destinationId: ids["Comms list"], kind: "email", attempts: MAX_MAIL_ATTEMPTS },
    ]);
    await manager.post(`/api/v1/crisis/crises/${crisisId}/mode/end`);
  });

  it("lists the crisis team and the plan's stakeholders by plain address too (name, role, the address the plan shows), and sends a refused one again; a mail list without an address is failed, never sent", async () => {
    // A mail list whose addresses were emptied behind the app's back (creating one without an address is refused).
    const empty = await insertDestination(services, workspaceId, { kind: "email", name: "Empty list", target: "" });
    const plan = await insertPlan(services, workspaceId, "data_breach", {
      stakeholders: [
        { name: "Chief executive", email: "bounce-ceo@board.test", destinationId: null, fromSeverity: 4 },
        { name: "Press office", email: "press@board.test", destinationId: null, fromSeverity: 4 },
        { name: "Works council", email: null, destinationId: empty.id, fromSeverity: 4 },
      ],
    });
    const declared = await manager.post("/api/v1/crisis/crises", { title: "Leaked customer list", originKind: "manual", severityLevel: 3, planId: plan.id });
    const crisisId = declared.body.id as string;
    const started = await manager.post(`/api/v1/crisis/crises/${crisisId}/mode`, { reason: "A forum posts our customers' addresses", pause: "none", lockdown: false, notify: true });
    expect(started.status, started.text).toBe(200);
    for (let round = 0; round < MAX_MAIL_ATTEMPTS; round++) await services.mailer.deliverPending(services.database.db);
    const names = async () => {
      const res = await member.get(`/api/v1/crisis/crises/${crisisId}/notices`);
      expect(res.status, res.text).toBe(200);
      expect(res.text).not.toContain("Mailbox unavailable"); // the mail server's words stay in the outbox
      return res.body.notices as Notice[];
    };
    const listed = await names();
    // The team first, then stakeholders by address, then destinations; a team member by name and role, never their address.
    expect(listed.map((n) => [n.recipient.kind, n.recipient.name])).toEqual([
      ["team", "Manager"],
      ["stakeholder", "Chief executive"],
      ["stakeholder", "Press office"],
      ["destination", "Empty list"],
    ]);
    const [team, ceo, press, list] = listed;
    expect(team).toMatchObject({ recipient: { roles: ["lead"], address: null }, destination: null, status: "sent", reason: null });
    expect(JSON.stringify(team)).not.toContain("@");
    expect(press).toMatchObject({ recipient: { address: "press@board.test", roles: [] }, destination: null, status: "sent", lastError: null });
    expect(ceo).toMatchObject({ recipient: { address: "bounce-ceo@board.test" }, status: "failed", attempts: MAX_MAIL_ATTEMPTS, reason: "mail_not_accepted", lastError: null });
    expect(list).toMatchObject({ destination: { id: empty.id, kind: "email", name: "Empty list" }, status: "failed", attempts: 0, reason: "no_address", deliveredAt: null });
    expect(smtp.mailsTo("press@board.test").filter((m) => m.subject.includes("Leaked customer list"))).toHaveLength(1);

    // Retry now: the stakeholder's given-up mail goes out again (audited with no destination, as a stakeholder's).
    const seq = await lastAuditSeq(services);
    const again = await manager.post(`/api/v1/crisis/crises/${crisisId}/notices/${ceo.id}/retry`, {});
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ id: ceo.id, recipient: { kind: "stakeholder", name: "Chief executive" }, status: "queued" });
    await services.mailer.idle();
    expect((await names()).find((n) => n.id === ceo.id)).toMatchObject({ status: "retrying", attempts: 1 });

    // The empty list: still no address is a clear 409; once it has one, retry mails it.
    const noAddress = await manager.post(`/api/v1/crisis/crises/${crisisId}/notices/${list.id}/retry`, {});
    expect([noAddress.status, noAddress.body.error.code]).toEqual([409, "crisis_notice_no_address"]);
    await services.database.db.update(alertDestinations).set({ target: services.secrets.seal("council@board.test") }).where(eq(alertDestinations.id, empty.id));
    const mailed = await manager.post(`/api/v1/crisis/crises/${crisisId}/notices/${list.id}/retry`, {});
    expect(mailed.status, mailed.text).toBe(200);
    expect(mailed.body).toMatchObject({ status: "queued", reason: null });
    await services.mailer.idle();
    expect((await names()).find((n) => n.id === list.id)).toMatchObject({ status: "sent", reason: null });
    expect(smtp.mailsTo("council@board.test").filter((m) => m.subject.includes("Leaked customer list"))).toHaveLength(1);
    expect((await manager.post(`/api/v1/crisis/crises/${crisisId}/notices/${list.id}/retry`, {})).body.error.code).toBe("crisis_notice_not_failed");

    const audited = await auditSince(services, seq, { action: "crisis.notice_retried" });
    expect(audited.map((a) => a.data)).toEqual([
      { crisisId, noticeId: ceo.id, destinationId: null, kind: "stakeholder", attempts: MAX_MAIL_ATTEMPTS },
      { crisisId, noticeId: list.id, destinationId: empty.id, kind: "email", attempts: 0 },
    ]);
    await manager.post(`/api/v1/crisis/crises/${crisisId}/mode/end`);
  });
});
