import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { createApp } from "../../http/app";
import { hashToken } from "../../crypto/secrets";
import { createLogger } from "../../log";
import { totpCode } from "../identity";
import { users } from "../identity/identity.schema";
import { teamMembers, teams } from "../workspaces/workspaces.schema";
import { ssoIdentities, ssoProviders, ssoSessions, ssoSignIns } from "./sso.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { PASSWORD, buildUser, buildWorkspace } from "../../../../test/support/factories";
import { httpBrowser, loopbackServer, type HttpBrowser } from "../../../../test/support/http-browser";
import { readAuthnRequest, startSamlTestIdp, type SamlResponseOptions, type SamlTestIdp } from "../../../../test/support/saml-idp";
import { createTestServices, type TestServices } from "../../../../test/support/services";

describeEachDatabase("single sign-on (SAML 2.0) against a test IdP, over HTTP", (kind) => {
  let server: Awaited<ReturnType<typeof loopbackServer>>;
  let services: TestServices;
  let idp: SamlTestIdp;
  let ws: Awaited<ReturnType<typeof buildWorkspace>>;
  let admin: HttpBrowser;
  let ownerMfaSecret: string;

  beforeAll(async () => {
    server = await loopbackServer();
    services = await createTestServices(kind, { PARAPET_PUBLIC_URL: server.url, LOGIN_RATE_PER_MINUTE: "1000" });
    server.serveApp(createApp(services));
    idp = await startSamlTestIdp({ now: services.clock });
    ws = await buildWorkspace(services, "Acme Roasters");
    // The break-glass owner keeps password + MFA: enrol the owner.
    const owner = await signedIn(ws.people.owner.email);
    ownerMfaSecret = (await owner.post("/api/v1/me/mfa/setup")).body.secret;
    expect((await owner.post("/api/v1/me/mfa/confirm", { code: totpCode(ownerMfaSecret, services.clock()) })).status).toBe(200);
    admin = await signedIn(ws.people.admin.email);
  });
  afterAll(async () => {
    await idp?.close();
    await services?.close();
    await server?.close();
  });

  async function signedIn(email: string) {
    const browser = httpBrowser(server.url);
    const res = await browser.post("/api/v1/auth/sign-in", { email, password: PASSWORD });
    expect(res.status, res.text).toBe(200);
    return browser;
  }
  const sp = () => {
    const base = `${server.url}/api/v1/auth/sso/saml/${ws.workspace.id}`;
    return { entityId: `${base}/metadata`, acsUrl: `${base}/acs`, metadataUrl: `${base}/metadata` };
  };
  const configure = (client: HttpBrowser, body: Record<string, unknown> = {}) =>
    client.put("/api/v1/workspace/sso", {
      protocol: "saml",
      issuer: idp.entityId,
      idpSsoUrl: idp.ssoUrl,
      idpCertificate: idp.certificate,
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
  const lastFailure = async () => (await auditOf("sso.sign_in_failed")).at(-1)!.data as { reason: string };
  const userByEmail = async (email: string) => (await services.database.db.select().from(users).where(eq(users.email, email)))[0];
  const errorIn = (location: string | null) => new URL(location ?? "/", "http://x").searchParams.get("ssoError");

  /** The browser's side of an ACS post: follows Parapet's redirect to the finish step, returns where it lands. */
  async function postToAcs(browser: HttpBrowser, acsUrl: string, samlResponse: string) {
    const acs = await browser.postForm(acsUrl, { SAMLResponse: samlResponse });
    expect(acs.status, acs.text).toBe(303);
    if (!acs.location!.startsWith("/api/v1/auth/sso/saml/finish")) return { location: acs.location!, error: errorIn(acs.location) };
    const finish = await browser.get(acs.location!);
    expect(finish.status).toBe(302);
    return { location: finish.location!, error: errorIn(finish.location), finishUrl: acs.location! };
  }

  /** Starts SSO in a fresh browser, signs in at the IdP's page as `login` (with `options` for its answer), posts the answer to Parapet. */
  async function ssoSignIn(login: string, options: SamlResponseOptions = {}, email = `${login}@acme.test`) {
    const browser = httpBrowser(server.url);
    const start = await browser.post("/api/v1/auth/sso/start", { email });
    expect(start.status, start.text).toBe(200);
    idp.respondWith(options);
    const answer = await idp.signIn(start.body.authorizeUrl, login).finally(() => idp.respondWith({}));
    return { browser, start, ...answer, ...(await postToAcs(browser, answer.acsUrl, answer.samlResponse)) };
  }

  it("an admin sets up SAML: the certificate must be a parsable X.509 certificate; its subject and expiry are shown; the change is audited", async () => {
    const before = await admin.get("/api/v1/workspace/sso");
    expect(before.body).toMatchObject({ configured: false, saml: sp() });
    const member = await signedIn(ws.people.member.email);
    expect((await configure(member)).status).toBe(403);

    const privateKey = await configure(admin, { idpCertificate: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----" });
    expect(privateKey.status).toBe(400);
    expect(privateKey.body.error.fields.idpCertificate[0]).toContain("private key");
    const garbage = await configure(admin, { idpCertificate: "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----" });
    expect(garbage.body.error.fields.idpCertificate[0]).toContain("X.509");
    const noCertificate = await configure(admin, { idpCertificate: undefined });
    expect(noCertificate.body.error.fields.idpCertificate).toBeDefined();
    const plainHttp = await configure(admin, { idpSsoUrl: "http://idp.example.com/sso" });
    expect(plainHttp.body.error.fields.idpSsoUrl[0]).toContain("https");
    expect(await services.database.db.select().from(ssoProviders)).toHaveLength(0);

    const res = await configure(admin);

    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ configured: true, protocol: "saml", issuer: idp.entityId, idpSsoUrl: idp.ssoUrl, clientId: null, clientSecretSet: false, saml: sp() });
    expect(res.body.idpCertificates).toHaveLength(1);
    const [certificate] = res.body.idpCertificates;
    expect(certificate.subject).toContain("CN=Parapet test IdP");
    const daysLeft = (Date.parse(certificate.notAfter) - Date.now()) / (24 * 3600_000);
    expect(daysLeft).toBeGreaterThan(360);
    expect(daysLeft).toBeLessThan(366);
    const [event] = await auditOf("sso.configured");
    expect(event.data).toMatchObject({ before: null, after: { protocol: "saml", issuer: idp.entityId, samlSsoUrl: idp.ssoUrl, samlCertificates: [certificate.fingerprint] } });
    // Switching to OpenID Connect needs its own settings: nothing of SAML stands in for a client secret.
    const toOidc = await admin.put("/api/v1/workspace/sso", { protocol: "oidc", issuer: "http://127.0.0.1:9/nothing", clientId: "x", allowedDomains: ["acme.test"], defaultRole: "member", ssoRequired: false });
    expect(toOidc.body.error.fields.clientSecret).toBeDefined();
  });

  it("serves the service provider metadata to give the IdP: entity ID, the HTTP-POST assertion consumer service, signed assertions wanted", async () => {
    const anonymous = httpBrowser(server.url);
    const res = await anonymous.get(sp().metadataUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/samlmetadata+xml");
    expect(res.text).toContain(`entityID="${sp().entityId}"`);
    expect(res.text).toMatch(new RegExp(`<AssertionConsumerService[^>]*Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"[^>]*Location="${sp().acsUrl}"`));
    expect(res.text).toContain('WantAssertionsSigned="true"');
    expect((await anonymous.get("/api/v1/auth/sso/saml/00000000-0000-4000-8000-000000000000/metadata")).status).toBe(404);
  });

  it("sends the browser to the IdP with an AuthnRequest (HTTP-Redirect binding) that asks for the answer at our ACS, bound to this browser", async () => {
    const browser = httpBrowser(server.url);
    const start = await browser.post("/api/v1/auth/sso/start", { email: "someone@acme.test" });
    expect(start.status, start.text).toBe(200);
    const url = new URL(start.body.authorizeUrl);
    expect(url.origin + url.pathname).toBe(idp.ssoUrl);
    const request = readAuthnRequest(url.searchParams.get("SAMLRequest")!);
    expect(request).toMatchObject({ issuer: sp().entityId, acsUrl: sp().acsUrl });
    const [attempt] = await services.database.db.select().from(ssoSignIns).where(eq(ssoSignIns.stateHash, hashToken(request.id)));
    expect(attempt).toBeDefined();
    expect(attempt.expiresAt.getTime() - services.clock().getTime()).toBe(10 * 60_000);
    expect(attempt.browserHash).toBe(hashToken(browser.cookies.get("parapet_sso")!));
  });

  it("provisions a new person just in time: no password, the default role, teams from the groups attribute, a session past MFA", async () => {
    idp.addAccount("alice", { email: "alice@acme.test", name: "Alice Ahn", groups: ["Legal", "pr", "No such team"] });

    const { browser, location, error } = await ssoSignIn("alice");

    expect(error).toBeNull();
    expect(location).toBe("/");
    const me = await browser.get("/api/v1/me");
    expect(me.body).toMatchObject({ state: "active", role: "member", user: { email: "alice@acme.test", name: "Alice Ahn" }, workspace: { id: ws.workspace.id } });
    const alice = await userByEmail("alice@acme.test");
    expect(alice.passwordHash).toBeNull();
    const teamNames = await services.database.db.select({ name: teams.name }).from(teamMembers).innerJoin(teams, eq(teams.id, teamMembers.teamId)).where(eq(teamMembers.userId, alice.id));
    expect(teamNames.map((t) => t.name).sort()).toEqual(["Legal", "PR"]);
    const [link] = await services.database.db.select().from(ssoIdentities).where(eq(ssoIdentities.userId, alice.id));
    expect(link).toMatchObject({ issuer: idp.entityId, subject: "alice" });
    expect((await auditOf("sso.user_provisioned", alice.id))[0].data).toMatchObject({ role: "member", newAccount: true });
    expect(await auditOf("sso.signed_in", alice.id)).toHaveLength(1);
    expect(await services.database.db.select().from(ssoSessions).where(eq(ssoSessions.workspaceId, ws.workspace.id))).toHaveLength(1);
    // The attempt keeps nothing about the person once used.
    const used = await services.database.db.select().from(ssoSignIns);
    expect(used.filter((a) => a.usedAt).map((a) => services.secrets.open(a.secrets))).toEqual(["{}"]);
  });

  it("links an existing account by its email, and finds it again by the link", async () => {
    const carol = await buildUser(services, { email: "carol@acme.test" });
    idp.addAccount("carol", { email: "carol@acme.test" });

    const first = await ssoSignIn("carol");
    expect(first.error).toBeNull();
    expect((await first.browser.get("/api/v1/me")).body.user.id).toBe(carol.id);
    expect((await auditOf("sso.user_provisioned", carol.id))[0].data).toMatchObject({ newAccount: false, role: "member" });

    // A later change of email at the IdP changes nothing: the NameID is the link.
    idp.addAccount("carol", { email: "caroline@acme.test" });
    const again = await ssoSignIn("carol", {}, "caroline@acme.test");
    expect(again.error).toBeNull();
    expect((await again.browser.get("/api/v1/me")).body.user.id).toBe(carol.id);
  });

  it("refuses a tampered assertion (the email changed after signing), and creates nobody", async () => {
    idp.addAccount("dave", { email: "dave@acme.test" });

    const { browser, error } = await ssoSignIn("dave", { tamper: (xml) => xml.replace("dave@acme.test", "ceo@acme.test") });

    expect(error).toBe("sso_token_invalid");
    expect((await browser.get("/api/v1/me")).status).toBe(401);
    expect(await userByEmail("ceo@acme.test")).toBeUndefined();
    expect(await userByEmail("dave@acme.test")).toBeUndefined();
    expect(await lastFailure()).toMatchObject({ reason: "response_invalid", email: null });
    // Untampered, the same person gets in.
    expect((await ssoSignIn("dave")).error).toBeNull();
  });

  it("logs which check failed, never the response's contents", async () => {
    const lines: string[] = [];
    const quiet = services.log;
    services.log = createLogger("info", { write: (line: string) => void lines.push(line) });
    try {
      idp.addAccount("zed", { email: "zed.secret@acme.test", name: "Zed Secret", groups: ["Legal"] });
      const { samlResponse, error } = await ssoSignIn("zed", { tamper: (xml) => xml.replace("zed.secret@acme.test", "zed.boss@acme.test") });
      expect(error).toBe("sso_token_invalid");
      const log = lines.join("");
      expect(log).toContain("SAML response refused");
      expect(log).toContain('"reason":"response_invalid"');
      for (const secret of ["zed.secret", "zed.boss", "Zed Secret", samlResponse.slice(0, 40)]) expect(log).not.toContain(secret);
    } finally {
      services.log = quiet;
    }
  });

  it("refuses an unsigned response, one signed by another key, and one for another audience, recipient, destination or issuer", async () => {
    idp.addAccount("erin", { email: "erin@acme.test" });
    const spoiled: Record<string, SamlResponseOptions> = {
      unsigned: { sign: "none" },
      "another key": { foreignKey: true },
      "another key on the response too": { foreignKey: true, sign: "both" },
      "another audience": { audience: "https://other-sp.example.com/metadata" },
      "another recipient": { recipient: "https://other-sp.example.com/acs" },
      "another destination": { destination: "https://other-sp.example.com/acs" },
      "another issuer": { issuer: "https://evil-idp.example.com" },
    };
    for (const [what, options] of Object.entries(spoiled)) {
      const { browser, error } = await ssoSignIn("erin", options);
      expect(error, what).toBe("sso_token_invalid");
      expect((await browser.get("/api/v1/me")).status, what).toBe(401);
      expect(await lastFailure(), what).toMatchObject({ reason: "response_invalid" });
    }
    expect(await userByEmail("erin@acme.test")).toBeUndefined();
    // A response signed as a whole (the assertion inside it unsigned) is as good as a signed assertion.
    expect((await ssoSignIn("erin", { sign: "response" })).error).toBeNull();
  });

  it("accepts either certificate during a certificate change, and a bare base64 certificate as IdP metadata carries it", async () => {
    idp.addAccount("olga", { email: "olga@acme.test" });
    const both = await configure(admin, { idpCertificate: `${idp.certificate}\n${idp.foreignCertificate}` });
    expect(both.status, both.text).toBe(200);
    expect(both.body.idpCertificates.map((c: { subject: string }) => c.subject)).toEqual([expect.stringContaining("Parapet test IdP"), expect.stringContaining("Someone else's IdP")]);
    expect((await ssoSignIn("olga", { foreignKey: true })).error).toBeNull();

    const bare = idp.certificate.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
    const back = await configure(admin, { idpCertificate: bare });
    expect(back.status, back.text).toBe(200);
    expect(back.body.idpCertificates).toHaveLength(1);
    expect((await ssoSignIn("olga", { foreignKey: true })).error).toBe("sso_token_invalid");
    expect((await ssoSignIn("olga")).error).toBeNull();
  });

  it("refuses an expired assertion", async () => {
    idp.addAccount("frank", { email: "frank@acme.test" });
    const browser = httpBrowser(server.url);
    const start = await browser.post("/api/v1/auth/sso/start", { email: "frank@acme.test" });
    idp.respondWith({ validForMs: 2 * 60_000 });
    const { acsUrl, samlResponse } = await idp.signIn(start.body.authorizeUrl, "frank").finally(() => idp.respondWith({}));
    services.clock.advance(3 * 60_000 + 1_000); // past NotOnOrAfter and the 60 s of skew, within the attempt's 10 minutes

    const { error } = await postToAcs(browser, acsUrl, samlResponse);

    expect(error).toBe("sso_token_invalid");
    expect(await userByEmail("frank@acme.test")).toBeUndefined();
  });

  it("refuses the same response twice, and an assertion ID seen before in a new response", async () => {
    idp.addAccount("grace", { email: "grace@acme.test" });
    const first = await ssoSignIn("grace", { assertionId: "_assertion-grace-1" });
    expect(first.error).toBeNull();

    const replay = await postToAcs(httpBrowser(server.url), first.acsUrl, first.samlResponse);
    expect(replay.error).toBe("sso_state_invalid");
    expect(await lastFailure()).toMatchObject({ reason: "attempt_invalid" });
    const again = await postToAcs(first.browser, first.acsUrl, first.samlResponse);
    expect(again.error).toBe("sso_state_invalid");

    const reused = await ssoSignIn("grace", { assertionId: "_assertion-grace-1" });
    expect(reused.error).toBe("sso_token_invalid");
    expect(await lastFailure()).toMatchObject({ reason: "replayed" });
    const grace = await userByEmail("grace@acme.test");
    expect(await auditOf("sso.signed_in", grace.id)).toHaveLength(1);
  });

  it("refuses a response to an unknown request, and an IdP-initiated (unsolicited) one even when validly signed", async () => {
    idp.addAccount("heidi", { email: "heidi@acme.test" });
    const unknown = await ssoSignIn("heidi", { inResponseTo: "_not-a-request-of-ours" });
    expect(unknown.error).toBe("sso_state_invalid");

    const browser = httpBrowser(server.url);
    const unsolicited = idp.buildResponse("heidi", { id: null, issuer: sp().entityId, acsUrl: sp().acsUrl });
    const { error } = await postToAcs(browser, sp().acsUrl, unsolicited);
    expect(error).toBe("sso_unsolicited");
    expect(await lastFailure()).toMatchObject({ reason: "unsolicited" });
    expect((await browser.get("/api/v1/me")).status).toBe(401);
    expect(await userByEmail("heidi@acme.test")).toBeUndefined();
  });

  it("a verified response posted into another browser signs nobody in there (login CSRF)", async () => {
    idp.addAccount("ivan", { email: "ivan@acme.test" });
    const attacker = httpBrowser(server.url);
    const start = await attacker.post("/api/v1/auth/sso/start", { email: "ivan@acme.test" });
    const { acsUrl, samlResponse } = await idp.signIn(start.body.authorizeUrl, "ivan");

    const victim = httpBrowser(server.url);
    const { error } = await postToAcs(victim, acsUrl, samlResponse);

    expect(error).toBe("sso_state_invalid");
    expect((await victim.get("/api/v1/me")).status).toBe(401);
  });

  it("shows the IdP's own refusal, and refuses a transient NameID that could not find the person again", async () => {
    idp.addAccount("judy", { email: "judy@acme.test" });
    expect((await ssoSignIn("judy", { status: "urn:oasis:names:tc:SAML:2.0:status:Responder" })).error).toBe("sso_provider_refused");
    expect((await ssoSignIn("judy", { nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient" })).error).toBe("sso_name_id_transient");
    expect(await userByEmail("judy@acme.test")).toBeUndefined();
  });

  it("refuses an email domain the workspace does not allow", async () => {
    idp.addAccount("mallory", { email: "mallory@elsewhere.test" });
    const { error } = await ssoSignIn("mallory", {}, "someone@acme.test");
    expect(error).toBe("sso_email_not_allowed");
    expect(await userByEmail("mallory@elsewhere.test")).toBeUndefined();
  });

  it("SSO required: a member's password sign-in answers sso_required; the break-glass owner still signs in with password and MFA", async () => {
    const res = await configure(admin, { idpCertificate: undefined, ssoRequired: true, breakGlassUserId: ws.people.owner.id });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ protocol: "saml", ssoRequired: true, idpCertificates: [{ subject: expect.stringContaining("Parapet test IdP") }] });

    for (const person of [ws.people.member, ws.people.manager]) {
      const signIn = await httpBrowser(server.url).post("/api/v1/auth/sign-in", { email: person.email, password: PASSWORD });
      expect(signIn.status).toBe(403);
      expect(signIn.body.error.code).toBe("sso_required");
    }
    const owner = httpBrowser(server.url);
    expect((await owner.post("/api/v1/auth/sign-in", { email: ws.people.owner.email, password: PASSWORD })).body.status).toBe("mfa_required");
    services.clock.advance(30_000); // a code is accepted once: the next one
    expect((await owner.post("/api/v1/auth/mfa/verify", { code: totpCode(ownerMfaSecret, services.clock()) })).status).toBe(200);
    // SAML sign-in still works for members.
    expect((await ssoSignIn("alice")).error).toBeNull();
  });

  it("a person removed from the workspace is not provisioned again by their IdP account", async () => {
    idp.addAccount("karl", { email: "karl@acme.test" });
    const first = await ssoSignIn("karl");
    const karlId = (await first.browser.get("/api/v1/me")).body.user.id;
    const owner = httpBrowser(server.url);
    await owner.post("/api/v1/auth/sign-in", { email: ws.people.owner.email, password: PASSWORD });
    services.clock.advance(30_000);
    expect((await owner.post("/api/v1/auth/mfa/verify", { code: totpCode(ownerMfaSecret, services.clock()) })).status).toBe(200);
    const removed = await owner.delete(`/api/v1/workspace/members/${karlId}`);
    expect(removed.status, removed.text).toBeLessThan(300);

    const { browser, error } = await ssoSignIn("karl");

    expect(error).toBe("sso_not_a_member");
    expect((await browser.get("/api/v1/me")).status).toBe(401);
    expect((await auditOf("sso.sign_in_failed", karlId)).at(-1)!.data).toMatchObject({ reason: "not_a_member" });
  });
});
