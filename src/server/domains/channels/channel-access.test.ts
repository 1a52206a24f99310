import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { createCtx, inTransaction, unsafeSystemCtx } from "../../context";
import { unsafeAddMemberDirectly } from "../workspaces";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { createTestNetwork } from "../../../../test/support/test-connector";

type Matrix = {
  channels: Array<{ id: string; handle: string }>;
  people: Array<{ userId: string; role: Role; levels: Record<string, { level: string; sources: { role: string; direct: string; teams: Array<{ teamId: string; level: string }> } }> }>;
  teams: Array<{ id: string; name: string; levels: Record<string, string> }>;
};

describeEachDatabase("channel access levels", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, { id: string; email: string }>;
  const as = {} as Record<Role, HttpClient>;
  let first: string;
  let second: string;
  let teamId: string;

  const matrix = async () => (await as.admin.get("/api/v1/channel-access")).body as Matrix;
  const set = (changes: Array<Record<string, unknown>>) => as.admin.put("/api/v1/channel-access", { changes });
  const visibleTo = async (role: Role) => ((await as[role].get("/api/v1/channels")).body.channels as Array<{ id: string; access: { level: string; can: Record<string, boolean> } }>);

  beforeAll(async () => {
    services = await createTestServices(kind);
    const net = createTestNetwork({ network: "testnet", clock: services.clock });
    services.networks.register(net);
    app = createApp(services);
    const built = await buildWorkspace(services);
    people = built.people;
    for (const role of ["owner", "admin", "manager", "member"] as const) as[role] = await signedInClient(app, people[role]);
    for (const handle of ["first", "second"]) net.addAccount(handle, "pw");
    first = (await as.admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "first", password: "pw" })).body.id;
    second = (await as.admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "second", password: "pw" })).body.id;
    teamId = (await as.admin.post("/api/v1/workspace/teams", { name: "Customer care" })).body.id;
    await as.admin.put(`/api/v1/workspace/teams/${teamId}/members/${people.member.id}`);
  });
  afterAll(() => services.close());

  it("without grants, owners and admins see every channel with Full publishing; managers and members see none", async () => {
    expect((await visibleTo("owner")).map((c) => c.access.level)).toEqual(["publish", "publish"]);
    expect((await visibleTo("admin")).map((c) => c.access.can)).toEqual([
      { read: true, draft: true, reply: true, publish: true },
      { read: true, draft: true, reply: true, publish: true },
    ]);
    expect(await visibleTo("manager")).toEqual([]);
    expect(await visibleTo("member")).toEqual([]);
    // A channel one has no access to is hidden, not forbidden.
    const hidden = await as.member.get(`/api/v1/channels/${first}`);
    expect([hidden.status, hidden.body.error.code]).toEqual([404, "not_found"]);
  });

  it("a person's level is the highest of their own grant and their teams' grants, and the matrix says where it comes from", async () => {
    const seq = await lastAuditSeq(services);
    const res = await set([
      { channelId: first, userId: people.member.id, level: "read" },
      { channelId: first, teamId, level: "reply" },
      { channelId: second, userId: people.member.id, level: "approval_required" },
      { channelId: second, userId: people.manager.id, level: "publish" },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ changed: 4 });

    const member = (await matrix()).people.find((p) => p.userId === people.member.id)!;
    expect(member.levels[first]).toEqual({ level: "reply", sources: { role: "none", direct: "read", teams: [{ teamId, level: "reply" }] } });
    expect(member.levels[second].level).toBe("approval_required");
    expect((await matrix()).teams.find((t) => t.id === teamId)!.levels).toEqual({ [first]: "reply", [second]: "none" });

    const seen = await visibleTo("member");
    expect(seen.map((c) => [c.id, c.access.level])).toEqual([
      [first, "reply"],
      [second, "approval_required"],
    ]);
    expect(seen[1].access.can).toEqual({ read: true, draft: true, reply: false, publish: false });
    expect((await as.member.get(`/api/v1/channels/${first}`)).body.access.level).toBe("reply");
    expect((await visibleTo("manager")).map((c) => c.id)).toEqual([second]);

    const audit = await auditSince(services, seq, { action: "channel_access.changed" });
    expect(audit).toHaveLength(1);
    expect((audit[0].data as { changes: unknown[] }).changes).toContainEqual({ channelId: first, subject: { type: "team", id: teamId }, from: "none", to: "reply" });
  });

  it("stores and audits only real changes; 'none' removes a grant; leaving the team removes what it gave", async () => {
    const seq = await lastAuditSeq(services);
    expect((await set([{ channelId: first, userId: people.member.id, level: "read" }])).body).toEqual({ changed: 0 });
    expect(await auditSince(services, seq, { action: "channel_access.changed" })).toEqual([]);

    await set([{ channelId: first, teamId, level: "none" }]);
    expect((await visibleTo("member")).find((c) => c.id === first)!.access.level).toBe("read");
    await set([{ channelId: first, teamId, level: "publish" }]);
    await as.admin.delete(`/api/v1/workspace/teams/${teamId}/members/${people.member.id}`);
    expect((await visibleTo("member")).find((c) => c.id === first)!.access.level).toBe("read");
  });

  it("refuses a change naming an unknown channel, member or team, and changes nothing", async () => {
    const before = await matrix();
    const outsider = (await buildWorkspace(services)).people.member;
    const res = await set([
      { channelId: first, userId: people.member.id, level: "publish" },
      { channelId: first, userId: outsider.id, level: "read" },
      { channelId: "00000000-0000-4000-8000-000000000000", teamId, level: "read" },
      { channelId: second, userId: people.member.id, teamId, level: "read" },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(res.body.error.fields.changes).toEqual(["Change 4: name a person or a team, not both"]);
    const again = await set([
      { channelId: first, userId: people.member.id, level: "publish" },
      { channelId: first, userId: outsider.id, level: "read" },
      { channelId: "00000000-0000-4000-8000-000000000000", teamId, level: "read" },
    ]);
    expect(again.body.error.fields.changes).toEqual(["Change 2: no such member in this workspace", "Change 3: no such channel in this workspace"]);
    expect(await matrix()).toEqual(before);
    expect((await set([{ channelId: first, userId: people.member.id, level: "admin" }])).status).toBe(400);
  });

  it("only owners and admins read or change the matrix; an API token needs channels:read to read a channel", async () => {
    expect((await as.manager.get("/api/v1/channel-access")).status).toBe(403);
    expect((await as.member.put("/api/v1/channel-access", { changes: [{ channelId: first, userId: people.member.id, level: "publish" }] })).status).toBe(403);
    const token = (await as.member.post("/api/v1/me/api-tokens", { name: "read", scopes: ["teams:read"], expiresInDays: 1 })).body.token;
    const bot = httpClient(app, { bearer: token });
    expect((await bot.get(`/api/v1/channels/${first}`)).status).toBe(403);
    const reader = httpClient(app, { bearer: (await as.member.post("/api/v1/me/api-tokens", { name: "r", scopes: ["channels:read"], expiresInDays: 1 })).body.token });
    expect((await reader.get(`/api/v1/channels/${first}`)).body.access.level).toBe("read");
  });
});

describeEachDatabase("offboarding and channel access", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    services = await createTestServices(kind);
    const net = createTestNetwork({ network: "testnet", clock: services.clock });
    services.networks.register(net);
    net.addAccount("brand", "pw");
    app = createApp(services);
  });
  afterAll(() => services.close());

  it("removing a member takes their channel grants with it (invited again, they start with none), and the counts say so", async () => {
    const { people, workspace } = await buildWorkspace(services);
    const admin = await signedInClient(app, people.admin);
    const channelId = (await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "brand", password: "pw" })).body.id;
    await admin.put("/api/v1/channel-access", { changes: [{ channelId, userId: people.member.id, level: "publish" }] });
    const removed = await admin.delete(`/api/v1/workspace/members/${people.member.id}`);
    expect(removed.body).toMatchObject({ channelGrantsRemoved: 1 });

    await inTransaction(unsafeSystemCtx(services, "test", workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: people.member.id, role: "member" }));
    const back = await signedInClient(app, people.member);
    expect((await back.get("/api/v1/channels")).body.channels).toEqual([]);
  });

  it("a request that authenticated before the person was offboarded cannot write afterwards", async () => {
    const { people, workspace } = await buildWorkspace(services);
    const admin = await signedInClient(app, people.admin);
    const manager = await signedInClient(app, people.manager);
    const token = (await manager.post("/api/v1/me/api-tokens", { name: "bot", scopes: ["teams:write"], expiresInDays: 1 })).body;
    // What the request knew when it arrived: the manager, through that token.
    const inFlight = createCtx(services, {
      actor: { type: "user", userId: people.manager.id, email: people.manager.email, name: "Manager", role: "manager", via: "api_token", tokenId: token.id, scopes: ["teams:write"] },
      workspaceId: workspace.id,
    });
    await admin.delete(`/api/v1/workspace/members/${people.manager.id}`);
    const before = await lastAuditSeq(services);
    await expect(inTransaction(inFlight, (tx) => tx.audit({ type: "audit.exported", data: { format: "csv", rows: 0 } }))).rejects.toMatchObject({ code: "unauthenticated" });
    expect(await auditSince(services, before)).toEqual([]);
  });
});
