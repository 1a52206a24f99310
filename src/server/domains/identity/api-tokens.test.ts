import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TokenScope } from "../../../contracts/roles";
import { auditEvents } from "../../audit/audit.schema";
import { hashToken } from "../../crypto/secrets";
import { createApp } from "../../http/app";
import { apiTokens, users } from "./identity.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";

const DAY = 86_400_000;

describeEachDatabase("personal API tokens", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Awaited<ReturnType<typeof buildWorkspace>>["people"];
  let owner: HttpClient;
  let member: HttpClient;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    app = createApp(services);
    ({ people } = await buildWorkspace(services));
    owner = await signedInClient(app, people.owner);
    member = await signedInClient(app, people.member);
  });
  afterAll(() => services.close());

  const createToken = async (client: HttpClient, scopes: TokenScope[], expiresInDays: number | null = 30, name = "automation") => {
    const res = await client.post("/api/v1/me/api-tokens", { name, scopes, expiresInDays });
    expect(res.status, res.text).toBe(200);
    return res.body as { token: string; apiToken: { id: string; prefix: string; scopes: TokenScope[]; expiresAt: string | null } };
  };
  const bearer = (token: string) => httpClient(app, { bearer: token });
  const auditOf = (action: string, tokenId: string) =>
    services.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, tokenId))).orderBy(asc(auditEvents.seq));
  const invite = (client: HttpClient) => client.post("/api/v1/workspace/invitations", { email: `invitee-${Date.now()}-${Math.random()}@example.test`, role: "member" });

  it("creates a token that is shown once and stored only as its hash", async () => {
    const { token, apiToken } = await createToken(owner, ["members:read"], 30, "CI export");

    expect(token).toMatch(/^ppt_[A-Za-z0-9_-]{40,}$/);
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    expect(apiToken.expiresAt).toBe(new Date(services.clock().getTime() + 30 * DAY).toISOString());
    const [row] = await services.database.db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id));
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = await owner.get("/api/v1/me/api-tokens");
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(token);
    expect(listed.body.tokens.find((t: { id: string }) => t.id === apiToken.id)).toMatchObject({ name: "CI export", active: true, scopes: ["members:read"] });
    const [created] = await auditOf("api_token.created", apiToken.id);
    expect(created).toMatchObject({ actorId: people.owner.id, data: { tokenId: apiToken.id, name: "CI export", scopes: ["members:read"], expiresAt: apiToken.expiresAt, via: "account" } });
  });

  it("lets a token with members:read list the members through Authorization: Bearer, without cookie or CSRF token", async () => {
    const { token, apiToken } = await createToken(owner, ["members:read"]);

    const res = await bearer(token).get("/api/v1/workspace/members");

    expect(res.status).toBe(200);
    expect(res.body.members.map((m: { email: string }) => m.email)).toContain(people.member.email);
    const [row] = await services.database.db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id));
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("refuses a mutation that needs members:write when the token lacks that scope (403)", async () => {
    const { token } = await createToken(owner, ["members:read", "workspace:read"]);

    const res = await invite(bearer(token));

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect((await bearer(token).patch(`/api/v1/workspace/members/${people.member.id}`, { role: "manager" })).status).toBe(403);
  });

  it("lets an owner's token with members:write invite", async () => {
    const { token } = await createToken(owner, ["members:write"]);
    const res = await invite(bearer(token));
    expect(res.status, res.text).toBe(200);
    const events = await services.database.db.select().from(auditEvents).where(eq(auditEvents.action, "invitation.created")).orderBy(asc(auditEvents.seq));
    expect(events.at(-1)!.actorType).toBe("api_token");
  });

  it("is still limited by the role: a member's token with members:write cannot invite", async () => {
    const { token } = await createToken(member, ["members:write", "members:read"]);

    const res = await invite(bearer(token));

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect((await bearer(token).get("/api/v1/workspace/members")).status).toBe(200);
  });

  it("cannot manage credentials: no new tokens, no sessions, no password change, no MFA (403)", async () => {
    const { token } = await createToken(owner, ["members:read", "members:write", "workspace:read", "workspace:write"]);
    const client = bearer(token);

    const minted = await client.post("/api/v1/me/api-tokens", { name: "child", scopes: ["members:read"], expiresInDays: null });
    expect(minted.status).toBe(403);
    expect(minted.body.error.code).toBe("forbidden");
    expect((await client.get("/api/v1/me/api-tokens")).status).toBe(403);
    expect((await client.get("/api/v1/me/sessions")).status).toBe(403);
    expect((await client.post("/api/v1/me/password", { currentPassword: "x", newPassword: "y" })).status).toBe(403);
    expect((await client.post("/api/v1/me/mfa/setup")).status).toBe(403);
    const owned = await services.database.db.select().from(apiTokens).where(eq(apiTokens.userId, people.owner.id));
    expect(owned.some((t) => t.name === "child")).toBe(false);
  });

  it("stops working at once when revoked, and the revocation is audited", async () => {
    const { token, apiToken } = await createToken(owner, ["members:read"]);
    expect((await bearer(token).get("/api/v1/workspace/members")).status).toBe(200);

    const revoked = await owner.delete(`/api/v1/me/api-tokens/${apiToken.id}`);

    expect(revoked.status).toBe(204);
    const res = await bearer(token).get("/api/v1/workspace/members");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthenticated");
    expect((await auditOf("api_token.revoked", apiToken.id))[0].data).toEqual({ tokenId: apiToken.id, name: "automation" });
    expect((await owner.delete(`/api/v1/me/api-tokens/${apiToken.id}`)).status).toBe(404);
  });

  it("cannot revoke someone else's token (404, and it keeps working)", async () => {
    const { token, apiToken } = await createToken(member, ["members:read"]);

    const res = await owner.delete(`/api/v1/me/api-tokens/${apiToken.id}`);

    expect(res.status).toBe(404);
    expect((await bearer(token).get("/api/v1/workspace/members")).status).toBe(200);
  });

  it("stops working when it expires", async () => {
    const { token } = await createToken(owner, ["members:read"], 1);
    const neverExpires = await createToken(owner, ["members:read"], null);
    expect((await bearer(token).get("/api/v1/workspace/members")).status).toBe(200);

    services.clock.advance(DAY + 1000);

    expect((await bearer(token).get("/api/v1/workspace/members")).status).toBe(401);
    expect((await bearer(neverExpires.token).get("/api/v1/workspace/members")).status).toBe(200);
    owner = await signedInClient(app, people.owner); // the old session has idled out over that day
    const listed = (await owner.get("/api/v1/me/api-tokens")).body.tokens;
    expect(listed.find((t: { prefix: string }) => token.startsWith(t.prefix)).active).toBe(false);
  });

  it("refuses an unknown token with 401 even when a valid session cookie comes with it", async () => {
    const res = await owner.request("GET", "/api/v1/workspace/members", undefined, { authorization: "Bearer ppt_made-up-token-000000000000000000000000" });
    expect(res.status).toBe(401);
  });

  it("stops working when its owner's account is disabled", async () => {
    const { people: team } = await buildWorkspace(services);
    const client = await signedInClient(app, team.admin);
    const { token } = await createToken(client, ["members:read"]);

    await services.database.db.update(users).set({ disabledAt: services.clock() }).where(eq(users.id, team.admin.id));

    expect((await bearer(token).get("/api/v1/workspace/members")).status).toBe(401);
  });
});
