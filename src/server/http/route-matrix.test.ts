import { afterAll, beforeAll, expect, it } from "vitest";
import { CHANNEL_LEVELS, ROLES, TOKEN_SCOPES, type ChannelLevel, type Role, type TokenScope } from "../../contracts/roles";
import { ACTION_SCOPE, CHANNEL_ACTION_SCOPE, levelAllows, roleAllows } from "../authz";
import { inTransaction, unsafeSystemCtx } from "../context";
import { unsafeAddMemberDirectly } from "../domains/workspaces";
import { createApp } from "./app";
import { ROUTE_ACCESS, routeKey, type Access } from "./access";
import { describeEachDatabase } from "../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../test/support/factories";
import { createTestNetwork } from "../../../test/support/test-connector";
import { httpClient, type HttpClient } from "../../../test/support/http";

/**
 * Invariant 3: every API route is public on purpose or authorized. The routes come from the app itself, so a
 * new route is covered without touching this test; a route without a declared access rule fails it.
 */
describeEachDatabase("route matrix", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  const clients = {} as Record<Role | "anonymous", HttpClient>;
  let ownerTokenClients: Record<TokenScope, HttpClient>;
  // The channel dimension: one channel, and one member at each level on it.
  let channelId: string;
  const byLevel = {} as Record<ChannelLevel, HttpClient>;

  beforeAll(async () => {
    services = await createTestServices(kind);
    const net = createTestNetwork({ network: "testnet", clock: services.clock });
    services.networks.register(net);
    app = createApp(services);
    const { people, workspace } = await buildWorkspace(services);
    for (const role of ROLES) clients[role] = await signedInClient(app, people[role]);
    net.addAccount("matrix", "pw");
    channelId = (await clients.owner.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "matrix", password: "pw" })).body.id;
    for (const level of CHANNEL_LEVELS) {
      const user = await buildUser(services);
      await inTransaction(unsafeSystemCtx(services, "test", workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: user.id, role: "member" }));
      if (level !== "none") await clients.owner.put("/api/v1/channel-access", { changes: [{ channelId, userId: user.id, level }] });
      byLevel[level] = await signedInClient(app, user);
    }
    clients.anonymous = httpClient(app);
    // One owner token per scope: each may reach exactly the routes whose action needs that scope.
    ownerTokenClients = {} as Record<TokenScope, HttpClient>;
    for (const scope of TOKEN_SCOPES) {
      const created = await clients.owner.post("/api/v1/me/api-tokens", { name: scope, scopes: [scope], expiresInDays: 1 });
      ownerTokenClients[scope] = httpClient(app, { bearer: created.body.token });
    }
  });
  afterAll(() => services.close());

  const apiRoutes = () => {
    const seen = new Set<string>();
    return app.routes
      .filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL" && !r.path.endsWith("*"))
      .filter((r) => {
        const key = routeKey(r.method, r.path);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  };
  // Path parameters get ids that exist nowhere: a route that forgets to authorize would answer 404, not 403.
  const concrete = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === "token" || name === "file" ? "x".repeat(24) : "00000000-0000-4000-8000-000000000000"));

  it("finds the API routes in the app", () => {
    expect(apiRoutes().length).toBeGreaterThan(30);
  });

  it("declares an access rule for every route", () => {
    const undeclared = apiRoutes().map((r) => routeKey(r.method, r.path)).filter((key) => !ROUTE_ACCESS.has(key));
    expect(undeclared).toEqual([]);
  });

  it("refuses anonymous callers on every route not marked public", async () => {
    for (const route of apiRoutes()) {
      const access = ROUTE_ACCESS.get(routeKey(route.method, route.path))!;
      const res = await clients.anonymous.request(route.method, concrete(route.path), route.method === "GET" ? undefined : {});
      if (access.kind === "public") expect.soft(res.status, `${route.method} ${route.path}`).not.toBe(401);
      else expect.soft(res.status, `${route.method} ${route.path} must refuse anonymous`).toBe(401);
    }
  });

  it("refuses every role the route's action does not allow, and lets the others through", async () => {
    const expectation = (access: Access, role: Role) =>
      access.kind === "workspace" ? roleAllows(role, access.action) : access.kind === "channel" ? roleAllows(role, "channels.read") : true;
    for (const route of apiRoutes()) {
      const access = ROUTE_ACCESS.get(routeKey(route.method, route.path))!;
      if (access.kind === "public") continue;
      if (route.path.endsWith("/auth/sign-out")) continue; // would end the session the next rows need
      for (const role of ROLES) {
        const res = await clients[role].request(route.method, concrete(route.path), route.method === "GET" ? undefined : {});
        const label = `${route.method} ${route.path} as ${role} → ${res.status} ${res.text.slice(0, 120)}`;
        if (expectation(access, role)) expect.soft([401, 403], label).not.toContain(res.status);
        else {
          expect.soft(res.status, label).toBe(403);
          expect.soft(res.body?.error?.code, label).toBe("forbidden");
        }
      }
    }
  }, 180_000); // every route × every role or scope: grows with the API

  it("limits API tokens to their scopes, and keeps them away from credentials", async () => {
    for (const route of apiRoutes()) {
      const access = ROUTE_ACCESS.get(routeKey(route.method, route.path))!;
      if (access.kind === "public") continue;
      for (const scope of TOKEN_SCOPES) {
        const res = await ownerTokenClients[scope].request(route.method, concrete(route.path), route.method === "GET" ? undefined : {});
        const label = `${route.method} ${route.path} with a ${scope} token → ${res.status} ${res.text.slice(0, 120)}`;
        const allowed =
          access.kind === "workspace"
            ? ACTION_SCOPE[access.action] === scope
            : access.kind === "channel"
              ? CHANNEL_ACTION_SCOPE[access.action] === scope
              : access.kind === "account" && !access.sessionOnly;
        if (allowed) expect.soft([401, 403], label).not.toContain(res.status);
        else expect.soft(res.status, label).toBe(403);
      }
    }
  }, 180_000); // every route × every role or scope: grows with the API

  it("refuses every SCIM route (/scim/v2) to anyone without the workspace's SCIM token: anonymous, a session, an API token", async () => {
    const scimRoutes = app.routes.filter((r) => r.path.startsWith("/scim/v2/") && r.method !== "ALL" && !r.path.endsWith("*"));
    expect(scimRoutes.length).toBeGreaterThan(10);
    const callers = { anonymous: clients.anonymous, owner: clients.owner, "members:write token": ownerTokenClients["members:write"] };
    for (const route of scimRoutes) {
      for (const [who, client] of Object.entries(callers)) {
        const res = await client.request(route.method, concrete(route.path), route.method === "GET" ? undefined : {});
        const label = `${route.method} ${route.path} as ${who} → ${res.status} ${res.text.slice(0, 120)}`;
        // 401, or 429 once the failed attempts of this (socket-less) caller pass the per-address limit.
        expect.soft([401, 429], label).toContain(res.status);
        expect.soft((JSON.parse(res.text) as { schemas?: string[] }).schemas, label).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
      }
    }
  });

  it("checks the caller's level on every route that names a channel", () => {
    // A route with a {channelId} either checks the level on that channel or is for those who manage every channel.
    const unchecked = apiRoutes()
      .filter((r) => r.path.includes(":channelId"))
      .map((r) => [routeKey(r.method, r.path), ROUTE_ACCESS.get(routeKey(r.method, r.path))!] as const)
      .filter(([, access]) => access.kind !== "channel" && !(access.kind === "workspace" && access.action === "channels.manage"))
      .map(([key]) => key);
    expect(unchecked).toEqual([]);
  });

  it("on channel routes, hides the channel from No access, refuses too low a level, and lets the level through", async () => {
    const channelRoutes = apiRoutes().filter((r) => ROUTE_ACCESS.get(routeKey(r.method, r.path))!.kind === "channel");
    expect(channelRoutes.length).toBeGreaterThan(0);
    for (const route of channelRoutes) {
      const access = ROUTE_ACCESS.get(routeKey(route.method, route.path)) as Extract<Access, { kind: "channel" }>;
      const path = concrete(route.path.replace(":channelId", channelId));
      for (const level of CHANNEL_LEVELS) {
        const res = await byLevel[level].request(route.method, path, route.method === "GET" ? undefined : {});
        const label = `${route.method} ${route.path} at ${level} → ${res.status} ${res.text.slice(0, 120)}`;
        if (level === "none") expect.soft(res.status, label).toBe(404);
        else if (!levelAllows(level, access.action)) expect.soft([res.status, res.body?.error?.code], label).toEqual([403, "forbidden"]);
        else expect.soft([401, 403, 404], label).not.toContain(res.status);
      }
    }
  });

  it("GET /api/v1/overview answers every role, with exactly the sections the role may read (the others null, never 403)", async () => {
    const sectionAction = { publishing: "posts.read", approvals: "posts.read", listening: "listening.read", crisis: "crisis.read", channels: "channels.read", people: "members.read", accessReview: "access_review.read" } as const;
    for (const role of ROLES) {
      const res = await clients[role].get("/api/v1/overview");
      expect.soft(res.status, `${role} → ${res.text.slice(0, 120)}`).toBe(200);
      for (const [section, action] of Object.entries(sectionAction)) {
        expect.soft(res.body[section] === null, `${role}: ${section}`).toBe(!roleAllows(role, action));
      }
    }
    // A token reads only what its scopes cover: with workspace:read alone, no section at all.
    const scoped = await ownerTokenClients["workspace:read"].get("/api/v1/overview");
    expect(scoped.status).toBe(200);
    expect(Object.values(sectionAction).length).toBeGreaterThan(0);
    for (const section of [...Object.keys(sectionAction), "apiTokens"]) expect.soft(scoped.body[section], section).toBeNull();
  });
});
