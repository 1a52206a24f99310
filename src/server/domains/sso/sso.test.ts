import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, onTestFinished } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { createApp } from "../../http/app";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { unsafeAddMemberDirectly } from "../workspaces";
import { totpCode } from "../identity";
import { sessions, users } from "../identity/identity.schema";
import { teamMembers, teams, workspaces } from "../workspaces/workspaces.schema";
import { ssoIdentities, ssoProviders, ssoSessions, ssoSignIns } from "./sso.schema";
import { ssoRedirectUri } from "./oidc";
import { describeEachDatabase } from "../../../../test/support/databases";
import { PASSWORD, buildUser, buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { startOidcTestProvider, type OidcTestProvider } from "../../../../test/support/oidc-provider";
import { createTestServices, type TestServices } from "../../../../test/support/services";

describeEachDatabase("single sign-on (OIDC) against a real OpenID provider", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let idp: OidcTestProvider;
  let ws: Awaited<ReturnType<typeof buildWorkspace>>;
  let admin: HttpClient;
  let ownerMfaSecret: string;
  let lastOctet = 0;

  beforeAll(async () => {
    services = await createTestServices(kind, { TRUST_PROXY: "true", LOGIN_RATE_PER_MINUTE: "1000" });
    app = createApp(services);
    idp = await startOidcTestProvider({ redirectUri: ssoRedirectUri(services) });
    ws = await buildWorkspace(services, "Acme Roasters");
    // The break-glass owner keeps password + MFA: enrol the owner.
    const owner = await signedInClient(app, ws.people.owner);
    const setup = await owner.post("/api/v1/me/mfa/setup");
    ownerMfaSecret = setup.body.secret;
    expect((await owner.post("/api/v1/me/mfa/confirm", { code: totpCode(ownerMfaSecret, services.clock()) })).status).toBe(200);
    admin = await signedInClient(app, ws.people.admin);
  });
  afterAll(async () => {
    await idp?.close();
    await services?.close();
  });

  const configure = (client: HttpClient, body: Record<string, unknown> = {}) =>
    client.put("/api/v1/workspace/sso", {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      allowedDomains: ["acme.test"],
      defaultRole: "member",
      teamsClaim: "groups",
      ssoRequired: false,
      ...body,
    });
  const auditOf = (action: string, targetId?: string) =>
    services.database.db
      .select()
      .from(auditEvents)
      .where(targetId ? and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)) : eq(auditEvents.action, action))
      .orderBy(asc(auditEvents.seq));

  /** Starts SSO in a fresh browser, signs in at the provider as `login`, and comes back to Parapet's callback. */
  async function ssoSignIn(login: string, email = `${login}@acme.test`, browser = httpClient(app)) {
    const ip = `203.0.113.${++lastOctet}`;
    const start = await browser.post("/api/v1/auth/sso/start", { email }, { "x-forwarded-for": ip });
    expect(start.status, start.text).toBe(200);
    const callback = await idp.signIn(start.body.authorizeUrl, login);
    const back = await browser.get(callback.pathname + callback.search);
    expect(back.status).toBe(302);
    const location = back.headers.get("location")!;
    return { browser, location, error: new URL(location, "http://x").searchParams.get("ssoError"), callback, start };
  }

  it("an admin sets up the provider: the client secret is sealed, never returned, and the change is audited", async () => {
    expect((await admin.get("/api/v1/workspace/sso")).body).toMatchObject({ configured: false, redirectUri: ssoRedirectUri(services) });
    const member = await signedInClient(app, ws.people.member);
    expect((await configure(member)).status).toBe(403);

    const res = await configure(admin);

    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ configured: true, issuer: idp.issuer, clientSecretSet: true, allowedDomains: ["acme.test"], defaultRole: "member", ssoRequired: false });
    expect(res.text).not.toContain(idp.clientSecret);
    expect((await admin.get("/api/v1/workspace/sso")).text).not.toContain(idp.clientSecret);
    const [row] = await services.database.db.select().from(ssoProviders).where(eq(ssoProviders.workspaceId, ws.workspace.id));
    expect(row.clientSecret).toMatch(/^v2:/);
    expect(services.secrets.open(row.clientSecret!)).toBe(idp.clientSecret);
    const [event] = await auditOf("sso.configured");
    expect(event.data).toMatchObject({ providerId: row.id, before: null, clientSecretChanged: true, after: { issuer: idp.issuer, defaultRole: "member" } });
    expect(JSON.stringify(event.data)).not.toContain(idp.clientSecret);
  });

  it("refuses an owner as the default role, SSO required without a break-glass owner, and an issuer that is not an OpenID provider", async () => {
    expect((await configure(admin, { defaultRole: "owner" })).body.error.code).toBe("invalid_input");
    const noBreakGlass = await configure(admin, { ssoRequired: true });
    expect(noBreakGlass.body.error.fields.breakGlassUserId).toBeDefined();
    const notOwner = await configure(admin, { ssoRequired: true, breakGlassUserId: ws.people.admin.id });
    expect(notOwner.body.error.fields.breakGlassUserId).toBeDefined();
    const ownerWithoutMfa = await buildUser(services);
    await inTransaction(unsafeSystemCtx(services, "test", ws.workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: ownerWithoutMfa.id, role: "owner" }));
    const noSecondFactor = await configure(admin, { ssoRequired: true, breakGlassUserId: ownerWithoutMfa.id });
    expect(noSecondFactor.body.error.fields.breakGlassUserId[0]).toContain("two-factor");
    const nowhere = await configure(admin, { issuer: "http://127.0.0.1:9/nothing" });
    expect(nowhere.status).toBe(503);
    expect(nowhere.body.error.code).toBe("sso_provider_unreachable");
  });

  it("provisions a new person just in time: an account without password, the default role, teams from the groups claim, a session past MFA", async () => {
    idp.addAccount("alice", { email: "alice@acme.test", email_verified: true, name: "Alice Ahn", groups: ["Legal", "pr", "No such team"] });
    const requireMfa = (on: boolean) => services.database.db.update(workspaces).set({ requireMfa: on }).where(eq(workspaces.id, ws.workspace.id));
    await requireMfa(true);
    onTestFinished(async () => {
      await requireMfa(false);
    });

    const { browser, location, error } = await ssoSignIn("alice");

    expect(error).toBeNull();
    expect(location).toBe("/");
    const me = await browser.get("/api/v1/me");
    expect(me.status).toBe(200);
    // The workspace requires MFA; the provider vouched for the sign-in, so the session is active.
    expect(me.body).toMatchObject({ state: "active", role: "member", user: { email: "alice@acme.test", name: "Alice Ahn" }, workspace: { id: ws.workspace.id } });
    const [user] = await services.database.db.select().from(users).where(eq(users.email, "alice@acme.test"));
    expect(user.passwordHash).toBeNull();
    const teamNames = await services.database.db
      .select({ name: teams.name })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teamMembers.userId, user.id));
    expect(teamNames.map((t) => t.name).sort()).toEqual(["Legal", "PR"]);
    const [link] = await services.database.db.select().from(ssoIdentities).where(eq(ssoIdentities.userId, user.id));
    expect(link).toMatchObject({ issuer: idp.issuer, subject: "alice" });
    const [provisioned] = await auditOf("sso.user_provisioned", user.id);
    expect(provisioned.data).toMatchObject({ userId: user.id, role: "member", newAccount: true });
    expect((provisioned.data as { teamIds: string[] }).teamIds).toHaveLength(2);
    expect(await auditOf("sso.signed_in", user.id)).toHaveLength(1);
    const sessionId = me.body && (await services.database.db.select().from(sessions).where(eq(sessions.userId, user.id)))[0].id;
    expect(await services.database.db.select().from(ssoSessions).where(eq(ssoSessions.sessionId, sessionId))).toHaveLength(1);
  });

  it("a returning person is found by their link (issuer + subject), even after changing their email at the provider", async () => {
    idp.addAccount("bob", { email: "bob@acme.test", email_verified: true, groups: [] });
    await ssoSignIn("bob");
    const [bob] = await services.database.db.select().from(users).where(eq(users.email, "bob@acme.test"));
    idp.addAccount("bob", { email: "robert@acme.test", email_verified: true, groups: ["Legal"] });

    const { browser, error } = await ssoSignIn("bob", "robert@acme.test");

    expect(error).toBeNull();
    expect((await browser.get("/api/v1/me")).body.user.id).toBe(bob.id);
    expect(await auditOf("sso.user_provisioned", bob.id)).toHaveLength(1);
    expect(await auditOf("sso.signed_in", bob.id)).toHaveLength(2);
  });

  it("links an existing account only when the provider says the email is verified and its domain is allowed", async () => {
    const carol = await buildUser(services, { email: "carol@acme.test" });
    idp.addAccount("carol-unverified", { email: "carol@acme.test", email_verified: false });
    const refused = await ssoSignIn("carol-unverified", "carol@acme.test");
    expect(refused.error).toBe("sso_email_not_allowed");
    expect(await services.database.db.select().from(ssoIdentities).where(eq(ssoIdentities.userId, carol.id))).toHaveLength(0);

    idp.addAccount("carol", { email: "carol@acme.test", email_verified: true });
    const linked = await ssoSignIn("carol", "carol@acme.test");
    expect(linked.error).toBeNull();
    expect((await linked.browser.get("/api/v1/me")).body.user.id).toBe(carol.id);
    expect((await auditOf("sso.user_provisioned", carol.id))[0].data).toMatchObject({ newAccount: false, role: "member" });
  });

  it("refuses an email domain the workspace does not allow, and creates nobody", async () => {
    idp.addAccount("mallory", { email: "mallory@elsewhere.test", email_verified: true });

    const { browser, error } = await ssoSignIn("mallory", "someone@acme.test");

    expect(error).toBe("sso_email_not_allowed");
    expect((await browser.get("/api/v1/me")).status).toBe(401);
    expect(await services.database.db.select().from(users).where(eq(users.email, "mallory@elsewhere.test"))).toHaveLength(0);
    expect((await auditOf("sso.sign_in_failed")).at(-1)!.data).toMatchObject({ reason: "email_not_allowed", email: "mallory@elsewhere.test" });
  });

  it("answers sso_not_configured for an email domain without a provider", async () => {
    const res = await httpClient(app).post("/api/v1/auth/sso/start", { email: "x@nowhere.test" });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("sso_not_configured");
  });

  it("forgets sign-in attempts nobody finished, a day after they expired", async () => {
    const [provider] = await services.database.db.select().from(ssoProviders).where(eq(ssoProviders.workspaceId, ws.workspace.id));
    const stale = { providerId: provider.id, browserHash: "b", secrets: services.secrets.seal("{}") };
    const day = 24 * 3600_000;
    await services.database.db.insert(ssoSignIns).values([
      { ...stale, stateHash: "stale-state", expiresAt: new Date(services.clock().getTime() - day - 60_000) },
      { ...stale, stateHash: "recent-state", expiresAt: new Date(services.clock().getTime() - 60_000) },
    ]);

    expect((await httpClient(app).post("/api/v1/auth/sso/start", { email: "someone@acme.test" })).status).toBe(200);

    const left = (await services.database.db.select({ stateHash: ssoSignIns.stateHash }).from(ssoSignIns)).map((r) => r.stateHash);
    expect(left).not.toContain("stale-state");
    expect(left).toContain("recent-state");
  });

  it("refuses an ID token whose payload was altered, and one signed by a foreign key", async () => {
    idp.addAccount("dave", { email: "dave@acme.test", email_verified: true });
    try {
      for (const mode of ["altered_payload", "foreign_signature"] as const) {
        idp.tamperTokens(mode);
        const { browser, error } = await ssoSignIn("dave");
        expect(error, mode).toBe("sso_token_invalid");
        expect((await browser.get("/api/v1/me")).status).toBe(401);
      }
    } finally {
      idp.tamperTokens("none");
    }
    expect(await services.database.db.select().from(users).where(eq(users.email, "dave@acme.test"))).toHaveLength(0);
    expect(await services.database.db.select().from(users).where(eq(users.email, "ceo@acme.test"))).toHaveLength(0);
    // Untampered, the same person gets in.
    expect((await ssoSignIn("dave")).error).toBeNull();
  });

  it("refuses a wrong state, a state brought back by another browser, and a state used twice", async () => {
    idp.addAccount("erin", { email: "erin@acme.test", email_verified: true });
    const browser = httpClient(app);
    const start = await browser.post("/api/v1/auth/sso/start", { email: "erin@acme.test" });
    const callback = await idp.signIn(start.body.authorizeUrl, "erin");

    const wrongState = new URL(callback);
    wrongState.searchParams.set("state", "not-the-state");
    expect(new URL((await browser.get(wrongState.pathname + wrongState.search)).headers.get("location")!, "http://x").searchParams.get("ssoError")).toBe("sso_state_invalid");

    const otherBrowser = httpClient(app);
    const stolen = await otherBrowser.get(callback.pathname + callback.search);
    expect(stolen.headers.get("location")).toBe("/sign-in?ssoError=sso_state_invalid");
    expect((await otherBrowser.get("/api/v1/me")).status).toBe(401);

    // The wrong-state attempt did not use up the real one; the browser that started it finishes.
    const again = httpClient(app);
    const fresh = await again.post("/api/v1/auth/sso/start", { email: "erin@acme.test" });
    const freshCallback = await idp.signIn(fresh.body.authorizeUrl, "erin");
    expect((await again.get(freshCallback.pathname + freshCallback.search)).headers.get("location")).toBe("/");
    const replay = await again.get(freshCallback.pathname + freshCallback.search);
    expect(replay.headers.get("location")).toBe("/sign-in?ssoError=sso_state_invalid");
  });

  it("keeps each SSO session and each email domain to one workspace", async () => {
    // Another brand on the same server uses the same provider for its own domain.
    const beta = await buildWorkspace(services, "Beta Brewing");
    const betaAdmin = await signedInClient(app, beta.people.admin);
    const clash = await configure(betaAdmin, { allowedDomains: ["acme.test", "beta.test"] });
    expect(clash.status).toBe(400);
    expect(clash.body.error.fields.allowedDomains[0]).toContain("acme.test");
    expect((await configure(betaAdmin, { allowedDomains: ["beta.test"] })).status).toBe(200);

    // Bob, linked through Acme, cannot join Beta by the same provider account: his email is not in Beta's domains.
    const [bob] = await services.database.db.select().from(users).where(eq(users.email, "bob@acme.test"));
    const refused = await ssoSignIn("bob", "someone@beta.test");
    expect(refused.error).toBe("sso_email_not_allowed");
    expect((await auditOf("sso.sign_in_failed", bob.id)).at(-1)!.data).toMatchObject({ reason: "email_not_allowed" });

    // Alice, signed in by Acme's provider, is also a member of Beta: her SSO session stays in Acme.
    const [alice] = await services.database.db.select().from(users).where(eq(users.email, "alice@acme.test"));
    await inTransaction(unsafeSystemCtx(services, "test", beta.workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: alice.id, role: "member" }));
    const { browser } = await ssoSignIn("alice");
    const switched = await browser.post("/api/v1/me/workspace", { workspaceId: beta.workspace.id });
    expect(switched.status).toBe(403);
    expect(switched.body.error.code).toBe("sso_session_confined");
    expect((await browser.get("/api/v1/me")).body.workspace.id).toBe(ws.workspace.id);
    expect((await admin.get("/api/v1/workspace/sso")).body.allowedDomains).toEqual(["acme.test"]);
    expect((await betaAdmin.delete("/api/v1/workspace/sso")).status).toBe(204);
  });

  it("SSO required: a member's password sign-in answers sso_required; the break-glass owner still signs in with password and MFA", async () => {
    const res = await configure(admin, { clientSecret: undefined, ssoRequired: true, breakGlassUserId: ws.people.owner.id });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ ssoRequired: true, breakGlassUserId: ws.people.owner.id, clientSecretSet: true });

    for (const person of [ws.people.member, ws.people.admin, ws.people.manager]) {
      const signIn = await httpClient(app).post("/api/v1/auth/sign-in", { email: person.email, password: PASSWORD }, { "x-forwarded-for": `198.51.100.${++lastOctet}` });
      expect(signIn.status).toBe(403);
      expect(signIn.body.error.code).toBe("sso_required");
      expect(signIn.headers.getSetCookie().some((c) => c.startsWith("parapet_session=") && !/max-age=0/i.test(c))).toBe(false);
    }
    expect((await auditOf("user.sign_in_failed", ws.people.member.id)).at(-1)!.data).toMatchObject({ reason: "sso_required" });
    // A wrong password still answers as before: only someone who knows the password learns that SSO is required.
    const wrong = await httpClient(app).post("/api/v1/auth/sign-in", { email: ws.people.member.email, password: "not-the-password" }, { "x-forwarded-for": `198.51.100.${++lastOctet}` });
    expect(wrong.body.error.code).toBe("invalid_credentials");

    const owner = httpClient(app);
    const ownerSignIn = await owner.post("/api/v1/auth/sign-in", { email: ws.people.owner.email, password: PASSWORD }, { "x-forwarded-for": `198.51.100.${++lastOctet}` });
    expect(ownerSignIn.status).toBe(200);
    expect(ownerSignIn.body.status).toBe("mfa_required");
    services.clock.advance(30_000); // a code is accepted once: the next one
    expect((await owner.post("/api/v1/auth/mfa/verify", { code: totpCode(ownerMfaSecret, services.clock()) })).status).toBe(200);
    expect((await owner.get("/api/v1/me")).body.state).toBe("active");

    // Someone outside the workspace is not affected.
    const outsider = await buildUser(services);
    expect((await httpClient(app).post("/api/v1/auth/sign-in", { email: outsider.email, password: PASSWORD }, { "x-forwarded-for": `198.51.100.${++lastOctet}` })).status).toBe(200);
    // SSO still works for members.
    expect((await ssoSignIn("alice")).error).toBeNull();
  });

  it("a disabled person cannot sign in by SSO", async () => {
    idp.addAccount("frank", { email: "frank@acme.test", email_verified: true });
    expect((await ssoSignIn("frank")).error).toBeNull();
    await services.database.db.update(users).set({ disabledAt: services.clock() }).where(eq(users.email, "frank@acme.test"));

    const { browser, error } = await ssoSignIn("frank");

    expect(error).toBe("account_disabled");
    expect((await browser.get("/api/v1/me")).status).toBe(401);
    expect((await auditOf("sso.sign_in_failed")).at(-1)!.data).toMatchObject({ reason: "disabled" });
  });

  it("a person removed from the workspace cannot come back by SSO (only by a new invitation)", async () => {
    idp.addAccount("grace", { email: "grace@acme.test", email_verified: true });
    const first = await ssoSignIn("grace");
    const graceId = (await first.browser.get("/api/v1/me")).body.user.id;
    const owner = httpClient(app);
    await owner.post("/api/v1/auth/sign-in", { email: ws.people.owner.email, password: PASSWORD }, { "x-forwarded-for": `198.51.100.${++lastOctet}` });
    services.clock.advance(30_000); // a code is accepted once: the next one
    expect((await owner.post("/api/v1/auth/mfa/verify", { code: totpCode(ownerMfaSecret, services.clock()) })).status).toBe(200);
    const removed = await owner.delete(`/api/v1/workspace/members/${graceId}`);
    expect(removed.status, removed.text).toBeLessThan(300);
    expect((await first.browser.get("/api/v1/me")).status).toBe(401);

    const { browser, error } = await ssoSignIn("grace");

    expect(error).toBe("sso_not_a_member");
    expect((await browser.get("/api/v1/me")).status).toBe(401);
  });

  it("an admin removes the provider: SSO stops and password sign-in is back", async () => {
    expect((await admin.delete("/api/v1/workspace/sso")).status).toBe(204);
    expect((await auditOf("sso.removed")).at(-1)).toMatchObject({ workspaceId: ws.workspace.id, data: { issuer: idp.issuer } });
    expect((await httpClient(app).post("/api/v1/auth/sso/start", { email: "alice@acme.test" })).body.error.code).toBe("sso_not_configured");
    const signIn = await httpClient(app).post("/api/v1/auth/sign-in", { email: ws.people.member.email, password: PASSWORD }, { "x-forwarded-for": `198.51.100.${++lastOctet}` });
    expect(signIn.status).toBe(200);
  });
});
