import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { mailOutbox } from "../../mail/mail.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { createTestNetwork } from "../../../../test/support/test-connector";
import { unsafeEndPartnerAccess } from "./index";

const DAY = 86_400_000;

describeEachDatabase("partner access", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, { id: string; email: string }>;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    services.clock.set(new Date("2026-11-23T09:00:00Z"));
    const net = createTestNetwork({ network: "testnet", clock: services.clock });
    net.addAccount("brand", "pw");
    net.addAccount("other", "pw");
    services.networks.register(net);
    app = createApp(services);
    people = (await buildWorkspace(services)).people;
  });
  afterAll(() => services.close());

  it("marks a member as a partner with an end date, audited; refuses owners, admins, a past date, a missing organisation", async () => {
    const admin = await signedInClient(app, people.admin);
    const seq = await lastAuditSeq(services);
    const endsAt = "2026-12-10T17:00:00.000Z";
    const res = await admin.put(`/api/v1/workspace/members/${people.member.id}/partner`, { organization: "Brightside Agency", endsAt });
    expect(res.status, res.text).toBe(200);
    expect(res.body.partner).toEqual({ organization: "Brightside Agency", accessEndsAt: endsAt });
    const listed = (await admin.get("/api/v1/workspace/members")).body.members.find((m: { userId: string }) => m.userId === people.member.id);
    expect(listed.partner).toEqual({ organization: "Brightside Agency", accessEndsAt: endsAt });
    const audit = await auditSince(services, seq);
    expect(audit.map((r) => [r.action, r.data])).toEqual([
      ["member.partner_access_set", { userId: people.member.id, before: { organization: null, endsAt: null }, after: { organization: "Brightside Agency", endsAt } }],
    ]);

    const adminAsPartner = await admin.put(`/api/v1/workspace/members/${people.owner.id}/partner`, { organization: "X", endsAt });
    expect([adminAsPartner.status, adminAsPartner.body.error.code]).toEqual([422, "partner_role_not_allowed"]);
    const past = await admin.put(`/api/v1/workspace/members/${people.manager.id}/partner`, { organization: "X", endsAt: "2026-11-01T00:00:00Z" });
    expect(past.body.error.fields.endsAt).toEqual(["Choose a moment in the future"]);
    const noOrg = await admin.put(`/api/v1/workspace/members/${people.manager.id}/partner`, { organization: null, endsAt });
    expect(noOrg.body.error.fields.organization).toBeDefined();
    const member = await signedInClient(app, people.member);
    expect((await member.put(`/api/v1/workspace/members/${people.manager.id}/partner`, { organization: "X", endsAt })).status).toBe(403);
  });

  it("warns owners and admins once, 7 days before, then ends the access by itself at the end — like a removal", async () => {
    const admin = await signedInClient(app, people.admin);
    const brand = (await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "brand", password: "pw" })).body.id;
    await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "other", password: "pw" });
    await admin.put("/api/v1/channel-access", { changes: [{ channelId: brand, userId: people.member.id, level: "approval_required" }] });
    const partner = await signedInClient(app, people.member);
    // A partner sees only what was granted to them.
    expect((await partner.get("/api/v1/channels")).body.channels.map((c: { id: string }) => c.id)).toEqual([brand]);

    expect(await unsafeEndPartnerAccess(services)).toEqual({ warned: 0, ended: 0 }); // 17 days before the end
    services.clock.advance(11 * DAY); // 6 days left
    const mailsBefore = (await services.database.db.select().from(mailOutbox)).length;
    expect(await unsafeEndPartnerAccess(services)).toEqual({ warned: 1, ended: 0 });
    expect(await unsafeEndPartnerAccess(services)).toEqual({ warned: 0, ended: 0 });
    const mails = (await services.database.db.select().from(mailOutbox)).slice(mailsBefore);
    expect(mails.map((m) => m.toAddress).sort()).toEqual([people.admin.email, people.owner.email].sort());
    expect(mails[0].subject).toContain("(Brightside Agency) loses access to");
    expect(mails[0].text).toContain("Thursday, December 10, 2026 at 5:00 PM UTC");

    const seq = await lastAuditSeq(services);
    services.clock.advance(6 * DAY + 8 * 3_600_000 + 1000); // just past the end
    expect(await unsafeEndPartnerAccess(services)).toEqual({ warned: 0, ended: 1 });
    const audit = await auditSince(services, seq);
    expect(audit.map((r) => r.action)).toEqual(["member.removed"]);
    expect(audit[0].data).toMatchObject({ userId: people.member.id, reason: "partner_access_ended", channelGrantsRemoved: 1 });
    expect(audit[0].actorType).toBe("system");
    expect((await partner.get("/api/v1/me")).status).toBe(401);
    expect(await unsafeEndPartnerAccess(services)).toEqual({ warned: 0, ended: 0 });
  });

  it("a new end date is warned about again; making them one of the brand's own again stops the countdown", async () => {
    const admin = await signedInClient(app, people.admin);
    const endsAt = new Date(services.clock().getTime() + 3 * DAY).toISOString();
    await admin.put(`/api/v1/workspace/members/${people.manager.id}/partner`, { organization: "Freelance", endsAt });
    expect(await unsafeEndPartnerAccess(services)).toEqual({ warned: 1, ended: 0 });
    await admin.put(`/api/v1/workspace/members/${people.manager.id}/partner`, { organization: null, endsAt: null });
    services.clock.advance(4 * DAY);
    expect(await unsafeEndPartnerAccess(services)).toEqual({ warned: 0, ended: 0 });
    const later = await signedInClient(app, people.admin); // the earlier session is idle by now
    const listed = (await later.get("/api/v1/workspace/members")).body.members.find((m: { userId: string }) => m.userId === people.manager.id);
    expect(listed.partner).toBeNull();
  });
});
