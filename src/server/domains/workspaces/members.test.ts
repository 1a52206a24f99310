import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { totpCode } from "../identity";
import { unsafeAddMemberDirectly } from "./index";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { actionsSince, auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { passkeys } from "../identity/passkeys.schema";

type MemberView = { userId: string; email: string; role: Role; mfaEnabled: boolean; teamIds: string[] };

describeEachDatabase("members", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let workspace: { id: string };
  let people: Record<Role, { id: string; email: string }>;
  let owner: HttpClient;
  let admin: HttpClient;
  let manager: HttpClient;

  /** A new person in the workspace with `role`, and a signed-in client of theirs. */
  async function addPerson(role: Role) {
    const user = await buildUser(services);
    await inTransaction(unsafeSystemCtx(services, "test", workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: user.id, role }));
    return { user, client: await signedInClient(app, user) };
  }
  const members = async () => (await admin.get("/api/v1/workspace/members")).body.members as MemberView[];
  const roleOf = async (userId: string) => (await members()).find((m) => m.userId === userId)?.role;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    app = createApp(services);
    const built = await buildWorkspace(services);
    workspace = built.workspace;
    people = built.people;
    owner = await signedInClient(app, people.owner);
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
  });
  afterAll(() => services.close());

  it("an admin changes a member's role; member.role_changed records from and to", async () => {
    const { user, client } = await addPerson("member");
    const before = await lastAuditSeq(services);
    const res = await admin.patch(`/api/v1/workspace/members/${user.id}`, { role: "manager" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ userId: user.id, role: "manager" });
    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["member.role_changed"]);
    expect(audit[0]).toMatchObject({ workspaceId: workspace.id, actorId: people.admin.id, targetType: "user", targetId: user.id });
    expect(audit[0].data).toEqual({ userId: user.id, from: "member", to: "manager" });
    // The new role counts from their very next request.
    expect((await client.get("/api/v1/me")).body.role).toBe("manager");
    expect((await client.get("/api/v1/audit")).status).toBe(200);

    const same = await lastAuditSeq(services);
    expect((await admin.patch(`/api/v1/workspace/members/${user.id}`, { role: "manager" })).status).toBe(200);
    expect(await actionsSince(services, same)).toEqual([]); // no change, no event
  });

  it("an admin can neither make someone owner nor demote an owner (403 role_not_allowed)", async () => {
    const { user } = await addPerson("member");
    const before = await lastAuditSeq(services);
    const promote = await admin.patch(`/api/v1/workspace/members/${user.id}`, { role: "owner" });
    expect(promote.status).toBe(403);
    expect(promote.body.error.code).toBe("role_not_allowed");
    const demote = await admin.patch(`/api/v1/workspace/members/${people.owner.id}`, { role: "admin" });
    expect(demote.status).toBe(403);
    expect(demote.body.error.code).toBe("role_not_allowed");
    const remove = await admin.delete(`/api/v1/workspace/members/${people.owner.id}`);
    expect(remove.status).toBe(403);
    expect(remove.body.error.code).toBe("role_not_allowed");
    expect(await roleOf(user.id)).toBe("member");
    expect(await roleOf(people.owner.id)).toBe("owner");
    expect(await actionsSince(services, before)).toEqual([]);
  });

  it("managers and members cannot change roles or remove anyone", async () => {
    const { user, client: member } = await addPerson("member");
    for (const client of [manager, member]) {
      expect((await client.patch(`/api/v1/workspace/members/${user.id}`, { role: "manager" })).body.error.code).toBe("forbidden");
      expect((await client.delete(`/api/v1/workspace/members/${user.id}`)).body.error.code).toBe("forbidden");
    }
    expect(await roleOf(user.id)).toBe("member");
  });

  it("the last owner can be neither demoted nor removed (409 last_owner); with a second owner they can", async () => {
    const before = await lastAuditSeq(services);
    const demote = await owner.patch(`/api/v1/workspace/members/${people.owner.id}`, { role: "admin" });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe("last_owner");
    const remove = await owner.delete(`/api/v1/workspace/members/${people.owner.id}`);
    expect(remove.status).toBe(409);
    expect(remove.body.error.code).toBe("last_owner");
    expect(await actionsSince(services, before)).toEqual([]);

    const { user: second, client: secondClient } = await addPerson("admin");
    expect((await owner.patch(`/api/v1/workspace/members/${second.id}`, { role: "owner" })).status).toBe(200);
    // Now the first owner may step down — and the second is then the last one.
    expect((await secondClient.patch(`/api/v1/workspace/members/${people.owner.id}`, { role: "admin" })).status).toBe(200);
    const lastDemote = await secondClient.patch(`/api/v1/workspace/members/${second.id}`, { role: "member" });
    expect(lastDemote.body.error.code).toBe("last_owner");
    expect((await secondClient.patch(`/api/v1/workspace/members/${people.owner.id}`, { role: "owner" })).status).toBe(200);
    expect(await roleOf(people.owner.id)).toBe("owner");
    expect((await owner.delete(`/api/v1/workspace/members/${second.id}`)).status).toBe(200);
  });

  it("two owners stepping down at the same moment leave exactly one owner (one gets 409 last_owner)", async () => {
    const other = await buildWorkspace(services);
    const first = await signedInClient(app, other.people.owner);
    const second = await signedInClient(app, other.people.admin);
    expect((await first.patch(`/api/v1/workspace/members/${other.people.admin.id}`, { role: "owner" })).status).toBe(200);
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        first.patch(`/api/v1/workspace/members/${other.people.owner.id}`, { role: "admin" }),
        second.patch(`/api/v1/workspace/members/${other.people.admin.id}`, { role: "admin" }),
      ]);
      expect([a.status, b.status].sort(), `${a.text} ${b.text}`).toEqual([200, 409]);
      expect([a, b].find((r) => r.status === 409)!.body.error.code).toBe("last_owner");
      const list = (await first.get("/api/v1/workspace/members")).body.members as MemberView[];
      expect(list.filter((m) => m.role === "owner")).toHaveLength(1);
      // Make both owners again for the next round (whoever is still owner promotes the other back).
      const stillOwner = list.find((m) => m.role === "owner")!.userId === other.people.owner.id ? first : second;
      const demoted = stillOwner === first ? other.people.admin.id : other.people.owner.id;
      expect((await stillOwner.patch(`/api/v1/workspace/members/${demoted}`, { role: "owner" })).status).toBe(200);
    }
  });

  it("removing a member ends their sessions and API tokens at once, and member.removed has the counts", async () => {
    const { user, client: browser } = await addPerson("manager");
    const laptop = await signedInClient(app, user);
    const created = await browser.post("/api/v1/me/api-tokens", { name: "reporting", scopes: ["members:read", "audit:read"], expiresInDays: 30 });
    expect(created.status, created.text).toBe(200);
    const api = httpClient(app, { bearer: created.body.token });
    expect((await api.get("/api/v1/workspace/members")).status).toBe(200);
    expect((await laptop.get("/api/v1/me")).status).toBe(200);
    const teams = (await admin.get("/api/v1/workspace/teams")).body.teams as Array<{ id: string }>;
    expect((await admin.put(`/api/v1/workspace/teams/${teams[0].id}/members/${user.id}`)).status).toBe(200);

    const before = await lastAuditSeq(services);
    const removed = await admin.delete(`/api/v1/workspace/members/${user.id}`);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body).toEqual({ sessionsEnded: 2, tokensRevoked: 1, channelGrantsRemoved: 0, teamsLeft: 1, postsHeld: 0, postsHandedOver: 0 });

    // The very next request of each of their clients is refused.
    expect((await browser.get("/api/v1/me")).status).toBe(401);
    expect((await laptop.get("/api/v1/workspace/members")).status).toBe(401);
    const viaToken = await api.get("/api/v1/workspace/members");
    expect(viaToken.status).toBe(401);
    expect(viaToken.body.error.code).toBe("unauthenticated");

    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["member.removed"]);
    expect(audit[0]).toMatchObject({ workspaceId: workspace.id, actorId: people.admin.id, targetId: user.id });
    expect(audit[0].data).toEqual({ userId: user.id, role: "manager", sessionsEnded: 2, tokensRevoked: 1, channelGrantsRemoved: 0, teamsLeft: 1, postsHeld: 0, postsHandedOver: 0 });

    expect((await members()).some((m) => m.userId === user.id)).toBe(false);
    const teamsAfter = (await admin.get("/api/v1/workspace/teams")).body.teams as Array<{ id: string; memberIds: string[] }>;
    expect(teamsAfter.flatMap((t) => t.memberIds)).not.toContain(user.id);
    expect((await admin.delete(`/api/v1/workspace/members/${user.id}`)).status).toBe(404);
  });

  it("a removed person who signs in again can no longer act in the workspace", async () => {
    const { user } = await addPerson("admin");
    expect((await owner.delete(`/api/v1/workspace/members/${user.id}`)).status).toBe(200);
    const again = await signedInClient(app, user);
    const me = await again.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ workspace: null, role: null, workspaces: [] });
    expect(Object.values(me.body.can as Record<string, boolean>).some(Boolean)).toBe(false);
    for (const [method, path, body] of [
      ["GET", "/api/v1/workspace/members", undefined],
      ["GET", "/api/v1/audit", undefined],
      ["POST", "/api/v1/workspace/invitations", { email: "friend@example.test", role: "admin" }],
      ["POST", "/api/v1/workspace/teams", { name: "Backdoor" }],
    ] as const) {
      const res = await again.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const switched = await again.post("/api/v1/me/workspace", { workspaceId: workspace.id });
    expect(switched.status).toBe(403);
  });

  it("cannot reach members of another workspace", async () => {
    const other = await buildWorkspace(services);
    const before = await lastAuditSeq(services);
    expect((await owner.patch(`/api/v1/workspace/members/${other.people.member.id}`, { role: "admin" })).status).toBe(404);
    expect((await owner.delete(`/api/v1/workspace/members/${other.people.member.id}`)).status).toBe(404);
    expect(await actionsSince(services, before)).toEqual([]);
    const otherOwner = await signedInClient(app, other.people.owner);
    const theirs = (await otherOwner.get("/api/v1/workspace/members")).body.members as MemberView[];
    expect(theirs.find((m) => m.userId === other.people.member.id)?.role).toBe("member");
    expect(theirs.some((m) => m.userId === people.owner.id)).toBe(false);
  });

  it("a person creating a new brand owns it; two creating the same name at the same moment both get one", async () => {
    const first = await addPerson("member");
    const second = await addPerson("member");
    const before = await lastAuditSeq(services);
    const [a, b] = await Promise.all([
      first.client.post("/api/v1/workspaces", { name: "Twin Brand" }),
      second.client.post("/api/v1/workspaces", { name: "Twin Brand" }),
    ]);
    expect([a.status, b.status], `${a.text} ${b.text}`).toEqual([200, 200]);
    expect([a.body.slug, b.body.slug].sort()).toEqual(["twin-brand", "twin-brand-2"]);
    expect(await actionsSince(services, before)).toEqual(["workspace.created", "workspace.created"]);
    const switched = await first.client.post("/api/v1/me/workspace", { workspaceId: a.body.id });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ role: "owner", workspace: { id: a.body.id, name: "Twin Brand" } });
  });

  it("lists members with their role, teams and whether they use MFA", async () => {
    const { user, client } = await addPerson("member");
    const setup = await client.post("/api/v1/me/mfa/setup");
    expect(setup.status, setup.text).toBe(200);
    const confirm = await client.post("/api/v1/me/mfa/confirm", { code: totpCode(setup.body.secret, services.clock()) });
    expect(confirm.status, confirm.text).toBe(200);
    const teams = (await admin.get("/api/v1/workspace/teams")).body.teams as Array<{ id: string; name: string }>;
    const legal = teams.find((t) => t.name === "Legal")!;
    const pr = teams.find((t) => t.name === "PR")!;
    await admin.put(`/api/v1/workspace/teams/${legal.id}/members/${user.id}`);
    await admin.put(`/api/v1/workspace/teams/${pr.id}/members/${user.id}`);

    for (const reader of [manager, admin]) {
      const res = await reader.get("/api/v1/workspace/members");
      expect(res.status).toBe(200);
      const list = res.body.members as MemberView[];
      const row = list.find((m) => m.userId === user.id)!;
      expect(row).toMatchObject({ email: user.email, role: "member", mfaEnabled: true });
      expect([...row.teamIds].sort()).toEqual([legal.id, pr.id].sort());
      expect(list.find((m) => m.userId === people.manager.id)).toMatchObject({ role: "manager", mfaEnabled: false, teamIds: [] });
    }

    // A passkey is a second factor too: with one (and no authenticator app) the manager has MFA.
    await services.database.db.insert(passkeys).values({ userId: people.manager.id, credentialId: `cred-${people.manager.id}`, publicKey: "pk", name: "Laptop", deviceType: "singleDevice" });
    const after = (await admin.get("/api/v1/workspace/members")).body.members as MemberView[];
    expect(after.find((m) => m.userId === people.manager.id)?.mfaEnabled).toBe(true);
  });
});
