import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { unsafeAddMemberDirectly } from "../workspaces";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { createTestNetwork } from "../../../../test/support/test-connector";

type Reply = { status: number; body: any; contentType: string | null; headers: Headers };

describeEachDatabase("SCIM 2.0 provisioning", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let server: ServerType;
  let base: string;
  let workspace: { id: string };
  let people: Awaited<ReturnType<typeof buildWorkspace>>["people"];
  let owner: HttpClient;
  let admin: HttpClient;
  let token: string;
  let channelId: string;

  /** A request to /scim/v2 over real HTTP, as an identity provider sends it. */
  async function scim(method: string, path: string, body?: unknown, bearer: string | null = token): Promise<Reply> {
    const headers: Record<string, string> = { accept: "application/scim+json" };
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers["content-type"] = "application/scim+json";
    const res = await fetch(`${base}/scim/v2${path}`, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, contentType: res.headers.get("content-type"), headers: res.headers };
  }
  const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;
  const expectScimError = (res: Reply, status: number, scimType?: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.contentType).toContain("application/scim+json");
    expect(res.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    expect(res.body.status).toBe(String(status));
    expect(typeof res.body.detail).toBe("string");
    if (scimType) expect(res.body.scimType).toBe(scimType);
  };
  let n = 0;
  const email = (name: string) => `${name}.${++n}@ember-oak.test`;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    const net = createTestNetwork({ network: "testnet", clock: services.clock });
    services.networks.register(net);
    app = createApp(services);
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1", overrideGlobalObjects: false }, (info) => resolve(info.port));
    });
    base = `http://127.0.0.1:${port}`;
    services.config.publicUrl = base;
    ({ workspace, people } = await buildWorkspace(services));
    owner = await signedInClient(app, people.owner);
    admin = await signedInClient(app, people.admin);
    const created = await admin.post("/api/v1/workspace/scim/tokens", { name: "Okta" });
    expect(created.status, created.text).toBe(201);
    token = created.body.token;
    net.addAccount("brand", "pw");
    channelId = (await owner.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "brand", password: "pw" })).body.id;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await services.close();
  });

  describe("tokens", () => {
    it("an admin creates a token (shown once, kept hashed), sees when it was created and last used, and revokes it; both audited", async () => {
      const before = await lastAuditSeq(services);
      const created = await admin.post("/api/v1/workspace/scim/tokens", { name: "Entra ID" });
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
      expect(created.body.scimToken).toMatchObject({ name: "Entra ID", lastUsedAt: null, revokedAt: null, prefix: created.body.token.slice(0, 9) });
      const listed = (await admin.get("/api/v1/workspace/scim")).body;
      expect(listed.baseUrl).toBe(`${base}/scim/v2`);
      expect(JSON.stringify(listed)).not.toContain(created.body.token);
      expect(listed.tokens.map((t: { name: string }) => t.name).sort()).toEqual(["Entra ID", "Okta"]);

      expect((await scim("GET", "/Users", undefined, created.body.token)).status).toBe(200);
      const used = (await admin.get("/api/v1/workspace/scim")).body.tokens.find((t: { id: string }) => t.id === created.body.scimToken.id);
      expect(used.lastUsedAt).toBe(services.clock().toISOString());

      expect((await admin.delete(`/api/v1/workspace/scim/tokens/${created.body.scimToken.id}`)).status).toBe(204);
      expectScimError(await scim("GET", "/Users", undefined, created.body.token), 401);
      expect((await admin.delete(`/api/v1/workspace/scim/tokens/${created.body.scimToken.id}`)).status).toBe(404);
      const audit = await auditSince(services, before, { workspaceId: workspace.id });
      expect(audit.map((r) => [r.action, r.actorId])).toEqual([
        ["scim.token_created", people.admin.id],
        ["scim.token_revoked", people.admin.id],
      ]);
    });

    it("managers and members may not see or make SCIM tokens", async () => {
      const manager = await signedInClient(app, people.manager);
      expect((await manager.get("/api/v1/workspace/scim")).status).toBe(403);
      expect((await manager.post("/api/v1/workspace/scim/tokens", { name: "x" })).status).toBe(403);
    });

    it("refuses a missing, malformed, unknown or revoked token with 401 in SCIM's shape; a user's API token is not a SCIM token", async () => {
      expectScimError(await scim("GET", "/Users", undefined, null), 401);
      const malformed = await scim("GET", "/Users", undefined, "not-a-token");
      expectScimError(malformed, 401);
      expect(malformed.body.code).toBe("scim_token_malformed");
      const unknown = await scim("GET", "/Users", undefined, `scim_${"A".repeat(43)}`);
      expectScimError(unknown, 401);
      expect(unknown.body.code).toBe("scim_token_invalid");
      expect(unknown.headers.get("www-authenticate")).toContain("Bearer");
      const apiToken = (await admin.post("/api/v1/me/api-tokens", { name: "script", scopes: ["members:write"], expiresInDays: 1 })).body.token;
      expectScimError(await scim("GET", "/Users", undefined, apiToken), 401);
      // A session cookie does not reach SCIM either.
      const res = await fetch(`${base}/scim/v2/Users`, { headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
      expect(res.status).toBe(401);
    });

    it("answers 429 once an address keeps failing (20 a minute), while a good token still works", async () => {
      services.clock.advance(60_000);
      let last: Reply | undefined;
      for (let i = 0; i < 21; i++) last = await scim("GET", "/Users", undefined, `scim_${"B".repeat(43)}`);
      expectScimError(last!, 429);
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await scim("GET", "/Users")).status).toBe(200);
      services.clock.advance(60_000);
    });
  });

  it("describes itself: ServiceProviderConfig, ResourceTypes and Schemas", async () => {
    const config = await scim("GET", "/ServiceProviderConfig");
    expect(config.status).toBe(200);
    expect(config.contentType).toContain("application/scim+json");
    expect(config.body).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 200 } });
    const types = await scim("GET", "/ResourceTypes");
    expect(types.body.Resources.map((r: { endpoint: string }) => r.endpoint)).toEqual(["/Users", "/Groups"]);
    const schemas = await scim("GET", "/Schemas");
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"]);
    expect((await scim("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")).body.name).toBe("User");
    expectScimError(await scim("GET", "/Bulk"), 404);
  });

  it("Okta: looks a new person up, creates them, reads, updates by PUT, deactivates, reactivates and deletes them", async () => {
    const address = email("olivia");
    const lookup = await scim("GET", `${q(`userName eq "${address}"`)}&startIndex=1&count=100`);
    expect(lookup.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, Resources: [] });

    const before = await lastAuditSeq(services);
    const created = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: address,
      name: { givenName: "Olivia", familyName: "Okafor" },
      emails: [{ primary: true, value: address, type: "work" }],
      displayName: "Olivia Okafor",
      locale: "de-DE",
      externalId: "00u1abcd",
      groups: [],
      password: "ignored-Parapet-has-none",
      active: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get("location")).toBe(`${base}/scim/v2/Users/${created.body.id}`);
    expect(created.body).toMatchObject({ userName: address, externalId: "00u1abcd", active: true, displayName: "Olivia Okafor", name: { givenName: "Olivia", familyName: "Okafor" }, emails: [{ value: address, type: "work", primary: true }], preferredLanguage: "de" });
    const id = created.body.id;
    // id is the Parapet user id: the person is a member with the default role (no SSO here: member).
    const member = (await admin.get("/api/v1/workspace/members")).body.members.find((m: { userId: string }) => m.userId === id);
    expect(member).toMatchObject({ email: address, role: "member", name: "Olivia Okafor" });
    const audit = await auditSince(services, before, { workspaceId: workspace.id });
    expect(audit.map((r) => r.action)).toEqual(["scim.user_provisioned"]);
    expect(audit[0]).toMatchObject({ actorType: "system", actorLabel: expect.stringMatching(/^SCIM \(token "Okta", scim_[\w-]{4}…\)$/), targetId: id });
    expect(audit[0].data).toEqual({ userId: id, email: address, role: "member", newAccount: true, reactivated: false });

    expect((await scim("GET", q(`userName eq "${address.toUpperCase()}"`))).body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await scim("GET", `/Users/${id}`)).body.userName).toBe(address);

    const put = await scim("PUT", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], id, userName: address, name: { givenName: "Olivia", familyName: "Okafor-Berg" }, emails: [{ primary: true, value: address, type: "work" }], active: true });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: "Olivia Okafor-Berg", name: { familyName: "Okafor-Berg" }, active: true });

    const deactivated = await scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect((await admin.get("/api/v1/workspace/members")).body.members.some((m: { userId: string }) => m.userId === id)).toBe(false);
    // Still there for the provider, as inactive.
    expect((await scim("GET", q(`userName eq "${address}"`))).body.Resources[0]).toMatchObject({ id, active: false });

    const reactivated = await scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: true } }] });
    expect(reactivated.body.active).toBe(true);
    expect((await admin.get("/api/v1/workspace/members")).body.members.find((m: { userId: string }) => m.userId === id)?.role).toBe("member");

    const seq = await lastAuditSeq(services);
    const deleted = await fetch(`${base}/scim/v2/Users/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    expect(deleted.status).toBe(204);
    expectScimError(await scim("GET", `/Users/${id}`), 404);
    expect((await auditSince(services, seq)).map((r) => r.action)).toEqual(["member.removed", "scim.user_deleted"]);
    // A later POST brings them back (their account stayed).
    const again = await scim("POST", "/Users", { userName: address, emails: [{ value: address, primary: true }], active: true });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(id);
  });

  it("Entra ID: capitalised ops, path-less values with dotted names, \"False\"/\"True\" strings, externalId filters and the work email path", async () => {
    const upn = email("erik");
    expect((await scim("GET", `/Users?filter=${encodeURIComponent(`externalId eq "e-42"`)}`)).body.totalResults).toBe(0);
    const created = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
      externalId: "e-42",
      userName: upn,
      active: true,
      displayName: "Erik Eriksen",
      emails: [{ primary: true, type: "work", value: upn }],
      name: { formatted: "Erik Eriksen", familyName: "Eriksen", givenName: "Erik" },
      title: "PR lead",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Communications", manager: { value: "m-1" } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect((await scim("GET", `/Users?filter=${encodeURIComponent(`externalId eq "e-42"`)}`)).body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await scim("GET", `/Users?filter=${encodeURIComponent(`externalId eq "E-42"`)}`)).body.totalResults).toBe(0); // externalId is case-exact

    const newAddress = email("erik.e");
    const patched = await scim("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Replace", path: "displayName", value: "Erik E. Eriksen" },
        { op: "Replace", value: { "name.givenName": "Erik E.", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "PR" } },
        { op: "Replace", path: 'emails[type eq "work"].value', value: newAddress },
        { op: "Add", path: "title", value: "Head of PR" },
      ],
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ displayName: "Erik E. Eriksen", name: { givenName: "Erik E." }, emails: [{ value: newAddress }], userName: upn });
    expect((await scim("GET", `/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${newAddress}"`)}`)).body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    const before = await lastAuditSeq(services);
    const disabled = await scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    expect(disabled.body.active).toBe(false);
    const removed = (await auditSince(services, before)).find((r) => r.action === "member.removed")!;
    expect(removed.data).toMatchObject({ userId: id, role: "member", reason: "deprovisioned" });
    const enabled = await scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "True" }] });
    expect(enabled.body.active).toBe(true);
    expect((await scim("DELETE", `/Users/${id}`)).status).toBe(204);
    expectScimError(await scim("GET", `/Users/${id}`), 404);
  });

  it("PATCH remove clears externalId, a name part and displayName; add sets them; a remove of the email is ignored (a person keeps one)", async () => {
    const address = email("rita");
    const id = (await scim("POST", "/Users", { userName: address, externalId: "r-1", name: { givenName: "Rita", familyName: "Rossi" }, displayName: "Rita R." })).body.id;
    const removed = await scim("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "remove", path: "externalId" }, { op: "remove", path: "name.familyName" }, { op: "remove", path: "emails" }],
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.externalId).toBeUndefined();
    expect(removed.body.name).toEqual({ formatted: "Rita", givenName: "Rita" });
    expect(removed.body.emails).toEqual([{ value: address, type: "work", primary: true }]);
    // A home address added beside it does not replace the work email.
    const home = await scim("PATCH", `/Users/${id}`, { Operations: [{ op: "add", path: "emails", value: [{ value: "rita@home.example", type: "home" }] }] });
    expect(home.body.emails).toEqual([{ value: address, type: "work", primary: true }]);
    const added = await scim("PATCH", `/Users/${id}`, { Operations: [{ op: "add", path: "externalId", value: "r-2" }, { op: "add", value: { displayName: "Rita Rossi-Bianchi" } }] });
    expect(added.body).toMatchObject({ externalId: "r-2", displayName: "Rita Rossi-Bianchi" });
    const before = await lastAuditSeq(services);
    // Nothing changes: no audit event.
    expect((await scim("PATCH", `/Users/${id}`, { Operations: [{ op: "replace", path: "externalId", value: "r-2" }] })).status).toBe(200);
    expect(await auditSince(services, before)).toEqual([]);
  });

  it("deprovisioning ends the person's sessions and API tokens at once and removes their channel grants and team places", async () => {
    const person = await buildUser(services, { email: email("dana") });
    await inTransaction(unsafeSystemCtx(services, "test", workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: person.id, role: "member" }));
    const browser = await signedInClient(app, person);
    const apiToken = (await browser.post("/api/v1/me/api-tokens", { name: "mine", scopes: ["channels:read", "members:read"], expiresInDays: 30 })).body.token;
    const script = httpClient(app, { bearer: apiToken });
    const team = (await admin.post("/api/v1/workspace/teams", { name: "Care" })).body;
    expect((await admin.put(`/api/v1/workspace/teams/${team.id}/members/${person.id}`, {})).status).toBeLessThan(300);
    expect((await owner.put("/api/v1/channel-access", { changes: [{ channelId, userId: person.id, level: "reply" }] })).status).toBe(200);
    expect((await script.get("/api/v1/channels")).body.channels.map((c: { id: string }) => c.id)).toEqual([channelId]);

    // The provider finds the existing member by userName and deactivates them.
    const found = (await scim("GET", q(`userName eq "${person.email}"`))).body.Resources;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: person.id, active: true, groups: [{ value: team.id, display: "Care" }] });
    const before = await lastAuditSeq(services);
    const res = await scim("PATCH", `/Users/${person.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(res.status).toBe(200);

    expect((await browser.get("/api/v1/me")).status).toBe(401);
    const refused = await script.get("/api/v1/channels");
    expect(refused.status).toBe(401);
    const removed = (await auditSince(services, before)).filter((r) => r.action === "member.removed");
    expect(removed).toHaveLength(1);
    expect(removed[0].data).toMatchObject({ userId: person.id, role: "member", sessionsEnded: 1, tokensRevoked: 1, channelGrantsRemoved: 1, teamsLeft: 1, reason: "deprovisioned" });
    expect(removed[0].actorLabel).toMatch(/^SCIM \(token "Okta"/);
    const matrix = (await owner.get("/api/v1/channel-access")).body;
    expect(JSON.stringify(matrix)).not.toContain(person.id);
    // Their account stays; only this workspace's access ended.
    expect((await scim("GET", `/Users/${person.id}`)).body.active).toBe(false);
    expect((await httpClient(app).post("/api/v1/auth/sign-in", { email: person.email, password: "correct-horse-battery" })).status).toBe(200);
  });

  it("groups: created from the provider with members, found by displayName, members added and removed (Okta and Entra), renamed, deleted", async () => {
    const a = (await scim("POST", "/Users", { userName: email("gia"), active: true })).body.id;
    const b = (await scim("POST", "/Users", { userName: email("gus"), active: true })).body.id;
    const c = (await scim("POST", "/Users", { userName: email("gil"), active: true })).body.id;
    const before = await lastAuditSeq(services);
    const created = await scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Compliance desk", externalId: "grp-legal", members: [{ value: a }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ displayName: "Compliance desk", externalId: "grp-legal", members: [{ value: a }] });
    expect((await admin.get("/api/v1/workspace/teams")).body.teams.find((t: { id: string }) => t.id === id)).toMatchObject({ name: "Compliance desk", memberIds: [a] });
    expect((await auditSince(services, before)).map((r) => r.action)).toEqual(["team.created", "scim.group_linked", "team.member_added"]);

    const byName = await scim("GET", `/Groups?filter=${encodeURIComponent('displayName eq "compliance DESK"')}&excludedAttributes=members`);
    expect(byName.body.totalResults).toBe(1);
    expect(byName.body.Resources[0]).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], id, externalId: "grp-legal", displayName: "Compliance desk", meta: expect.any(Object) });

    // Okta: add and remove with value lists.
    await scim("PATCH", `/Groups/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: b, display: "Gus" }, { value: c }] }] });
    const afterRemove = await scim("PATCH", `/Groups/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove", path: "members", value: [{ value: a }] }] });
    expect(afterRemove.body.members.map((m: { value: string }) => m.value).sort()).toEqual([b, c].sort());
    // Entra: remove through a filter path, rename with a capitalised Replace.
    const entra = await scim("PATCH", `/Groups/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Remove", path: `members[value eq "${b}"]` },
        { op: "Replace", path: "displayName", value: "Compliance & Risk" },
      ],
    });
    expect(entra.status, JSON.stringify(entra.body)).toBe(200);
    expect(entra.body).toMatchObject({ displayName: "Compliance & Risk", members: [{ value: c }] });
    expect((await scim("GET", `/Users/${c}`)).body.groups).toEqual([expect.objectContaining({ value: id, display: "Compliance & Risk" })]);

    const put = await scim("PUT", `/Groups/${id}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Compliance desk", externalId: "grp-legal-2", members: [{ value: a }, { value: b }] });
    expect(put.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a, b].sort());
    expect(put.body.externalId).toBe("grp-legal-2");

    // A member who is deprovisioned leaves the team.
    await scim("PATCH", `/Users/${a}`, { Operations: [{ op: "replace", path: "active", value: false }] });
    expect((await scim("GET", `/Groups/${id}`)).body.members.map((m: { value: string }) => m.value)).toEqual([b]);
    // Someone not in the workspace cannot be put in a team.
    const refused = await scim("PATCH", `/Groups/${id}`, { Operations: [{ op: "add", path: "members", value: [{ value: a }] }] });
    expectScimError(refused, 400, "invalidValue");

    const seq = await lastAuditSeq(services);
    expect((await scim("DELETE", `/Groups/${id}`)).status).toBe(204);
    expectScimError(await scim("GET", `/Groups/${id}`), 404);
    expect((await auditSince(services, seq)).map((r) => r.action)).toEqual(["team.deleted"]);
    expect((await admin.get("/api/v1/workspace/members")).body.members.some((m: { userId: string }) => m.userId === b)).toBe(true);
    const duplicate = await scim("POST", "/Groups", { displayName: (await admin.get("/api/v1/workspace/teams")).body.teams[0].name });
    expectScimError(duplicate, 409, "uniqueness");
  });

  it("pages with startIndex and count, and filters on userName, emails, names and active", async () => {
    const prefix = `page${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++, services.clock.advance(1000)) ids.push((await scim("POST", "/Users", { userName: `${prefix}.${i}@ember-oak.test`, name: { givenName: `Page${i}` }, active: true })).body.id);
    const all = await scim("GET", q(`userName sw "${prefix}"`));
    expect(all.body.totalResults).toBe(5);
    expect(all.body.Resources.map((r: { id: string }) => r.id)).toEqual(ids);
    const page = await scim("GET", `${q(`userName sw "${prefix}"`)}&startIndex=2&count=2`);
    expect(page.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((r: { id: string }) => r.id)).toEqual(ids.slice(1, 3));
    const last = await scim("GET", `${q(`userName sw "${prefix}"`)}&startIndex=5&count=10`);
    expect(last.body.Resources.map((r: { id: string }) => r.id)).toEqual([ids[4]]);
    const none = await scim("GET", `${q(`userName sw "${prefix}"`)}&count=0`);
    expect(none.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    expect((await scim("GET", `/Users?filter=${encodeURIComponent(`emails[type eq "work" and value co "${prefix}.3@"]`)}`)).body.Resources.map((r: { id: string }) => r.id)).toEqual([ids[3]]);
    expect((await scim("GET", q(`name.givenName eq "page4" and active eq true`))).body.Resources.map((r: { id: string }) => r.id)).toEqual([ids[4]]);
    expect((await scim("GET", `/Users?attributes=userName&count=1`)).body.Resources[0]).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], id: expect.any(String), userName: expect.any(String) });

    const invalid = await scim("GET", q('userName eq "unterminated'));
    expectScimError(invalid, 400, "invalidFilter");
    expect(invalid.body.code).toBe("scim_invalid_filter");
    expectScimError(await scim("GET", "/Users?startIndex=abc"), 400, "invalidSyntax");
  });

  it("answers errors in SCIM's shape with stable codes: 404 unknown id, 409 uniqueness, 400 bad JSON and bad values, 409 last owner", async () => {
    expectScimError(await scim("GET", "/Users/00000000-0000-4000-8000-000000000000"), 404);
    expectScimError(await scim("GET", "/Users/not-an-id"), 404);
    expectScimError(await scim("PATCH", "/Groups/00000000-0000-4000-8000-000000000000", { Operations: [{ op: "add", path: "members", value: [] }] }), 404);
    const address = email("dup");
    expect((await scim("POST", "/Users", { userName: address })).status).toBe(201);
    const duplicate = await scim("POST", "/Users", { userName: address });
    expectScimError(duplicate, 409, "uniqueness");
    expectScimError(await scim("POST", "/Users", { userName: "someone", emails: [{ value: people.member.email }] }), 409, "uniqueness");
    expectScimError(await scim("POST", "/Users", "{not json"), 400, "invalidSyntax");
    expectScimError(await scim("POST", "/Users", { displayName: "No userName" }), 400, "invalidValue");
    expectScimError(await scim("POST", "/Users", { userName: "not-an-email" }), 400, "invalidValue");
    expectScimError(await scim("PATCH", `/Users/${people.member.id}`, { Operations: [] }), 400, "invalidSyntax");
    expectScimError(await scim("PATCH", `/Users/${people.member.id}`, { Operations: [{ op: "move", path: "active", value: false }] }), 400, "invalidSyntax");
    expectScimError(await scim("PATCH", `/Users/${people.member.id}`, { Operations: [{ op: "replace", path: "name[", value: "x" }] }), 400, "invalidPath");
    const lastOwner = await scim("PATCH", `/Users/${people.owner.id}`, { Operations: [{ op: "replace", path: "active", value: false }] });
    expectScimError(lastOwner, 409);
    expect(lastOwner.body.code).toBe("last_owner");
    expect((await admin.get("/api/v1/workspace/members")).body.members.some((m: { userId: string }) => m.userId === people.owner.id)).toBe(true);
  });

  it("keeps a request all or nothing: a PATCH whose last operation is invalid changes nothing", async () => {
    const id = (await scim("POST", "/Users", { userName: email("atomic"), displayName: "Atomic Ann" })).body.id;
    const before = await lastAuditSeq(services);
    const res = await scim("PATCH", `/Users/${id}`, { Operations: [{ op: "replace", path: "displayName", value: "Changed" }, { op: "replace", path: "active", value: false }, { op: "replace", path: "active", value: "maybe" }] });
    expectScimError(res, 400, "invalidValue");
    expect((await scim("GET", `/Users/${id}`)).body).toMatchObject({ displayName: "Atomic Ann", active: true });
    // A group with a bad member leaves no team behind.
    const group = await scim("POST", "/Groups", { displayName: "Half written", members: [{ value: "00000000-0000-4000-8000-000000000000" }] });
    expectScimError(group, 400, "invalidValue");
    expect((await admin.get("/api/v1/workspace/teams")).body.teams.some((t: { name: string }) => t.name === "Half written")).toBe(false);
    expect(await auditSince(services, before)).toEqual([]);
  });

  it("a token of one workspace cannot see or touch another workspace's people or teams", async () => {
    const other = await buildWorkspace(services, "Other brand");
    const otherOwner = await signedInClient(app, other.people.owner);
    const otherTeam = (await otherOwner.post("/api/v1/workspace/teams", { name: "Other team" })).body;
    const listed = await scim("GET", "/Users?count=200");
    expect(listed.body.Resources.map((r: { id: string }) => r.id)).not.toContain(other.people.member.id);
    expectScimError(await scim("GET", `/Users/${other.people.member.id}`), 404);
    expectScimError(await scim("PATCH", `/Users/${other.people.member.id}`, { Operations: [{ op: "replace", path: "active", value: false }] }), 404);
    expectScimError(await scim("DELETE", `/Users/${other.people.member.id}`), 404);
    expectScimError(await scim("GET", `/Groups/${otherTeam.id}`), 404);
    expectScimError(await scim("DELETE", `/Groups/${otherTeam.id}`), 404);
    expect((await scim("GET", "/Groups")).body.Resources.map((g: { id: string }) => g.id)).not.toContain(otherTeam.id);
    expect((await otherOwner.get("/api/v1/workspace/members")).body.members.some((m: { userId: string }) => m.userId === other.people.member.id)).toBe(true);
    // Someone in both workspaces: this workspace's provider may deprovision them here, but not change their shared account's email.
    await inTransaction(unsafeSystemCtx(services, "test", workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: other.people.manager.id, role: "member" }));
    const change = await scim("PATCH", `/Users/${other.people.manager.id}`, { Operations: [{ op: "replace", path: 'emails[type eq "work"].value', value: email("taken-over") }] });
    expectScimError(change, 400, "mutability");
  });
});
