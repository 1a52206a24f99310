import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { unsafeAddMemberDirectly } from "./index";
import { users } from "../identity/identity.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { PASSWORD, buildUser, buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { actionsSince, auditSince, lastAuditSeq } from "../../../../test/support/audit";

const DAY = 86_400_000;
const NEW_PASSWORD = "a-fresh-passphrase-42";

describeEachDatabase("invitations", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let workspace: { id: string; name: string };
  let people: Record<Role, { id: string; email: string }>;
  let admin: HttpClient;
  let owner: HttpClient;
  let manager: HttpClient;
  let teamIds: Record<string, string>;
  let counter = 0;
  const freshEmail = () => `invitee-${++counter}-${kind}@example.test`;

  const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;
  const userCount = async (email: string) =>
    (await services.database.db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email})`)).length;

  /** An admin's invitation; returns the link's token and the invitation id. */
  async function invite(email: string, role: Role = "member", extra: { teamIds?: string[] } = {}) {
    const res = await admin.post("/api/v1/workspace/invitations", { email, role, ...extra });
    expect(res.status, res.text).toBe(200);
    return { token: tokenOf(res.body.link), id: res.body.invitation.id as string, link: res.body.link as string };
  }

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000", PARAPET_PUBLIC_URL: "https://parapet.example.test" });
    app = createApp(services);
    const built = await buildWorkspace(services);
    workspace = built.workspace;
    people = built.people;
    admin = await signedInClient(app, people.admin);
    owner = await signedInClient(app, people.owner);
    manager = await signedInClient(app, people.manager);
    const teams = (await admin.get("/api/v1/workspace/teams")).body.teams as Array<{ id: string; name: string }>;
    teamIds = Object.fromEntries(teams.map((t) => [t.name, t.id]));
  });
  afterAll(() => services.close());

  it("an admin invites someone: the mail with a single-use link waits in the outbox, and invitation.created is audited", async () => {
    const before = await lastAuditSeq(services);
    const res = await admin.post("/api/v1/workspace/invitations", { email: "New.Person@Example.test", role: "manager", teamIds: [teamIds.PR, teamIds.Legal] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.invitation).toMatchObject({ email: "new.person@example.test", role: "manager", status: "pending" });
    expect([...res.body.invitation.teamIds].sort()).toEqual([teamIds.PR, teamIds.Legal].sort());
    expect(new Date(res.body.invitation.expiresAt).getTime() - services.clock().getTime()).toBe(7 * DAY);
    expect(res.body.link).toMatch(/^https:\/\/parapet\.example\.test\/invitation\?token=/);

    const outbox = await admin.get("/api/v1/workspace/outbox");
    expect(outbox.status).toBe(200);
    const mail = (outbox.body.mails as Array<{ to: string; subject: string; text: string }>).find((m) => m.to === "new.person@example.test");
    expect(mail?.subject).toContain(workspace.name);
    expect(mail?.text).toContain(res.body.link);

    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["invitation.created"]);
    expect(audit[0]).toMatchObject({ workspaceId: workspace.id, actorId: people.admin.id, targetType: "invitation", targetId: res.body.invitation.id });
    expect(audit[0].data).toEqual({ invitationId: res.body.invitation.id, email: "new.person@example.test", role: "manager", teamIds: res.body.invitation.teamIds });
  });

  it("a new person accepts with a name and password: signed in, a member with that role and the invited teams", async () => {
    const email = freshEmail();
    const { token, id } = await invite(email, "manager", { teamIds: [teamIds.PR, teamIds.Legal] });
    const visitor = httpClient(app);

    const view = await visitor.get(`/api/v1/invitations/${token}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ email, role: "manager", workspaceName: workspace.name, existingUser: false });

    const before = await lastAuditSeq(services);
    const accepted = await visitor.post(`/api/v1/invitations/${token}/accept`, { name: "Nora Newcomer", password: NEW_PASSWORD });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toEqual({ status: "signed_in" });

    const me = await visitor.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email, name: "Nora Newcomer" }, role: "manager", state: "active", workspace: { id: workspace.id } });

    const members = (await admin.get("/api/v1/workspace/members")).body.members as Array<{ email: string; role: Role; teamIds: string[]; userId: string }>;
    const joined = members.find((m) => m.email === email)!;
    expect(joined.role).toBe("manager");
    expect(joined.teamIds.sort()).toEqual([teamIds.PR, teamIds.Legal].sort());

    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["user.created", "invitation.accepted"]);
    expect(audit[0].data).toEqual({ userId: joined.userId, email, via: "invitation" });
    expect(audit[1].data).toEqual({ invitationId: id, userId: joined.userId, role: "manager" });
    expect(audit.every((r) => r.workspaceId === workspace.id && r.actorId === joined.userId)).toBe(true);

    const listed = (await admin.get("/api/v1/workspace/invitations")).body.invitations as Array<{ id: string; status: string }>;
    expect(listed.find((i) => i.id === id)?.status).toBe("accepted");
  });

  it("a link works once: using it again answers 410 invitation_invalid", async () => {
    const email = freshEmail();
    const { token } = await invite(email);
    const first = await httpClient(app).post(`/api/v1/invitations/${token}/accept`, { name: "Once", password: NEW_PASSWORD });
    expect(first.status).toBe(200);

    const before = await lastAuditSeq(services);
    const again = await httpClient(app).post(`/api/v1/invitations/${token}/accept`, { name: "Twice", password: NEW_PASSWORD });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe("invitation_invalid");
    expect((await httpClient(app).get(`/api/v1/invitations/${token}`)).status).toBe(410);
    expect(await actionsSince(services, before)).toEqual([]);
    expect(await userCount(email)).toBe(1);
  });

  it("refuses a link after its seven days are over", async () => {
    const email = freshEmail();
    const { token } = await invite(email);
    const start = services.clock();
    services.clock.advance(8 * DAY);
    try {
      const view = await httpClient(app).get(`/api/v1/invitations/${token}`);
      expect(view.status).toBe(410);
      expect(view.body.error.code).toBe("invitation_invalid");
      const accept = await httpClient(app).post(`/api/v1/invitations/${token}/accept`, { name: "Late", password: NEW_PASSWORD });
      expect(accept.status).toBe(410);
      expect(accept.body.error.code).toBe("invitation_invalid");
    } finally {
      services.clock.set(start);
    }
    expect(await userCount(email)).toBe(0);
  });

  it("refuses a revoked link; revoking is audited and works once", async () => {
    const email = freshEmail();
    const { token, id } = await invite(email);
    const before = await lastAuditSeq(services);
    const revoked = await admin.delete(`/api/v1/workspace/invitations/${id}`);
    expect(revoked.status).toBe(204);
    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["invitation.revoked"]);
    expect(audit[0].data).toEqual({ invitationId: id, email });

    expect((await httpClient(app).get(`/api/v1/invitations/${token}`)).status).toBe(410);
    const accept = await httpClient(app).post(`/api/v1/invitations/${token}/accept`, { name: "Revoked", password: NEW_PASSWORD });
    expect(accept.status).toBe(410);
    expect(accept.body.error.code).toBe("invitation_invalid");
    expect((await admin.delete(`/api/v1/workspace/invitations/${id}`)).status).toBe(404);
    expect(await userCount(email)).toBe(0);
  });

  it("a newer invitation to the same person replaces the open one", async () => {
    const email = freshEmail();
    const first = await invite(email, "member");
    const second = await invite(email.toUpperCase(), "manager");
    expect((await httpClient(app).get(`/api/v1/invitations/${first.token}`)).status).toBe(410);
    expect((await httpClient(app).get(`/api/v1/invitations/${second.token}`)).body.role).toBe("manager");
  });

  it("someone who already has an account accepts with their own password and lands in the new workspace", async () => {
    // This person already works in another brand: accepting must not drop them into that one.
    const elsewhere = await buildWorkspace(services);
    const existing = elsewhere.people.member;
    const { token, id } = await invite(existing.email.toUpperCase(), "admin");
    const visitor = httpClient(app);
    expect((await visitor.get(`/api/v1/invitations/${token}`)).body).toMatchObject({ existingUser: true, role: "admin" });

    services.clock.advance(60_000); // the new membership is clearly newer than the old one
    const before = await lastAuditSeq(services);
    const wrong = await visitor.post(`/api/v1/invitations/${token}/accept`, { password: "not-my-password-at-all" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("wrong_password");
    expect(wrong.body.error.fields.password).toBeDefined();
    expect(await actionsSince(services, before)).toEqual([]);
    expect((await visitor.get(`/api/v1/invitations/${token}`)).status).toBe(200); // still open

    const accepted = await visitor.post(`/api/v1/invitations/${token}/accept`, { password: PASSWORD });
    expect(accepted.status, accepted.text).toBe(200);
    expect(await actionsSince(services, before)).toEqual(["invitation.accepted"]); // no second user
    expect(await userCount(existing.email)).toBe(1);

    const me = await visitor.get("/api/v1/me");
    expect(me.body).toMatchObject({ user: { id: existing.id }, role: "admin", workspace: { id: workspace.id } });
    expect((me.body.workspaces as Array<{ id: string }>).map((w) => w.id).sort()).toEqual([elsewhere.workspace.id, workspace.id].sort());
    const members = (await admin.get("/api/v1/workspace/members")).body.members as Array<{ userId: string; role: Role }>;
    expect(members.find((m) => m.userId === existing.id)?.role).toBe("admin");
    expect((await admin.get("/api/v1/workspace/invitations")).body.invitations.find((i: { id: string }) => i.id === id).status).toBe("accepted");
  });

  it("an invitation to someone who has joined another way meanwhile answers 409 already_member and changes nothing", async () => {
    const person = await buildUser(services);
    const { token } = await invite(person.email, "admin");
    await inTransaction(unsafeSystemCtx(services, "test", workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: person.id, role: "member" }));
    const before = await lastAuditSeq(services);
    const res = await httpClient(app).post(`/api/v1/invitations/${token}/accept`, { password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("already_member");
    expect(await actionsSince(services, before)).toEqual([]);
    const members = (await admin.get("/api/v1/workspace/members")).body.members as Array<{ userId: string; role: Role }>;
    expect(members.find((m) => m.userId === person.id)?.role).toBe("member");
  });

  it("refuses to invite someone who is already a member (409 already_member)", async () => {
    const before = await lastAuditSeq(services);
    const res = await admin.post("/api/v1/workspace/invitations", { email: people.member.email.toUpperCase(), role: "manager" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("already_member");
    expect(await actionsSince(services, before)).toEqual([]);
  });

  it("an admin cannot invite an owner (403 role_not_allowed), an owner can, a manager cannot invite at all", async () => {
    const email = freshEmail();
    const byAdmin = await admin.post("/api/v1/workspace/invitations", { email, role: "owner" });
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.error.code).toBe("role_not_allowed");

    const byManager = await manager.post("/api/v1/workspace/invitations", { email, role: "member" });
    expect(byManager.status).toBe(403);
    expect(byManager.body.error.code).toBe("forbidden");

    const byOwner = await owner.post("/api/v1/workspace/invitations", { email, role: "owner" });
    expect(byOwner.status, byOwner.text).toBe(200);
    const token = tokenOf(byOwner.body.link);
    const visitor = httpClient(app);
    expect((await visitor.post(`/api/v1/invitations/${token}/accept`, { name: "Co-owner", password: NEW_PASSWORD })).status).toBe(200);
    expect((await visitor.get("/api/v1/me")).body.role).toBe("owner");
  });

  it("refuses teams from another workspace in an invitation", async () => {
    const other = await buildWorkspace(services);
    const otherOwner = await signedInClient(app, other.people.owner);
    const foreignTeam = (await otherOwner.get("/api/v1/workspace/teams")).body.teams[0].id;
    const res = await admin.post("/api/v1/workspace/invitations", { email: freshEmail(), role: "member", teamIds: [foreignTeam] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(res.body.error.fields.teamIds).toBeDefined();
  });

  it("a weak password is refused on the password field and nothing is half-written", async () => {
    const email = freshEmail();
    const { token } = await invite(email, "member", { teamIds: [teamIds.PR] });
    const prMembers = async () => ((await admin.get("/api/v1/workspace/teams")).body.teams as Array<{ id: string; memberIds: string[] }>).find((t) => t.id === teamIds.PR)!.memberIds;
    const prBefore = await prMembers();
    const before = await lastAuditSeq(services);
    for (const password of ["short", "aaaaaaaaaaaaaa", email]) {
      const res = await httpClient(app).post(`/api/v1/invitations/${token}/accept`, { name: "Weak Password", password });
      expect(res.status, password).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(res.body.error.fields.password, password).toBeDefined();
    }
    const noName = await httpClient(app).post(`/api/v1/invitations/${token}/accept`, { password: NEW_PASSWORD });
    expect(noName.status).toBe(400);
    expect(noName.body.error.fields.name).toBeDefined();

    expect(await userCount(email)).toBe(0);
    expect(await actionsSince(services, before)).toEqual([]);
    expect((await httpClient(app).get(`/api/v1/invitations/${token}`)).status).toBe(200);
    expect(await prMembers()).toEqual(prBefore);
    // The same link still works with a good password.
    expect((await httpClient(app).post(`/api/v1/invitations/${token}/accept`, { name: "Strong Password", password: NEW_PASSWORD })).status).toBe(200);
  });

  it("guards an existing account's password like sign-in: wrong guesses lock it, and a disabled account cannot accept", async () => {
    const person = await buildUser(services);
    const { token } = await invite(person.email, "member");
    const visitor = httpClient(app);
    let last;
    for (let i = 0; i < services.config.login.maxFailures; i++) last = await visitor.post(`/api/v1/invitations/${token}/accept`, { password: `guess-number-${i}` });
    expect(last!.body.error.code).toBe("wrong_password");
    const locked = await visitor.post(`/api/v1/invitations/${token}/accept`, { password: PASSWORD });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe("account_locked");
    expect((await httpClient(app).post("/api/v1/auth/sign-in", { email: person.email, password: PASSWORD })).status).toBe(423);

    const disabled = await buildUser(services);
    const second = await invite(disabled.email, "member");
    await services.database.db.update(users).set({ disabledAt: services.clock() }).where(sql`${users.id} = ${disabled.id}`);
    const refused = await visitor.post(`/api/v1/invitations/${second.token}/accept`, { password: PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("account_disabled");
    expect((await admin.get("/api/v1/workspace/members")).body.members.some((m: { userId: string }) => m.userId === disabled.id)).toBe(false);
  });
});
