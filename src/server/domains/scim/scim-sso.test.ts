import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../http/app";
import { ssoRedirectUri } from "../sso/oidc";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { startOidcTestProvider, type OidcTestProvider } from "../../../../test/support/oidc-provider";

/** SCIM beside single sign-on: the SSO's domains and default role apply, and deprovisioned people cannot come in by SSO. */
describeEachDatabase("SCIM with single sign-on", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let server: ServerType;
  let idp: OidcTestProvider;
  let base: string;
  let token: string;
  let admin: HttpClient;
  let lastOctet = 0;

  const scim = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  /** Signs in through the OpenID provider as `login`; returns the SSO error code, or null when it signed in. */
  async function ssoSignIn(login: string, email: string): Promise<string | null> {
    const browser = httpClient(app);
    const start = await browser.post("/api/v1/auth/sso/start", { email }, { "x-forwarded-for": `203.0.113.${++lastOctet}` });
    expect(start.status, start.text).toBe(200);
    const callback = await idp.signIn(start.body.authorizeUrl, login);
    const back = await browser.get(callback.pathname + callback.search);
    return new URL(back.headers.get("location")!, "http://x").searchParams.get("ssoError");
  }

  beforeAll(async () => {
    services = await createTestServices(kind, { TRUST_PROXY: "true", LOGIN_RATE_PER_MINUTE: "1000" });
    app = createApp(services);
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1", overrideGlobalObjects: false }, (info) => resolve(info.port));
    });
    base = `http://127.0.0.1:${port}`;
    services.config.publicUrl = base;
    idp = await startOidcTestProvider({ redirectUri: ssoRedirectUri(services) });
    const ws = await buildWorkspace(services, "Acme SSO");
    admin = await signedInClient(app, ws.people.admin);
    const configured = await admin.put("/api/v1/workspace/sso", {
      issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, allowedDomains: ["acme-sso.test"], defaultRole: "manager", teamsClaim: null, ssoRequired: false,
    });
    expect(configured.status, configured.text).toBe(200);
    token = (await admin.post("/api/v1/workspace/scim/tokens", { name: "Entra ID" })).body.token;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await idp?.close();
    await services?.close();
  });

  it("refuses addresses outside the SSO's domains, and gives new people the SSO's role for new people", async () => {
    const outside = await scim("POST", "/Users", { userName: "mallory@elsewhere.test", active: true });
    expect(outside.status).toBe(400);
    expect(outside.body).toMatchObject({ scimType: "invalidValue", code: "scim_invalid_value" });
    expect(outside.body.detail).toContain("acme-sso.test");

    const created = await scim("POST", "/Users", { userName: "nadia@acme-sso.test", displayName: "Nadia Nour", active: true });
    expect(created.status).toBe(201);
    const member = (await admin.get("/api/v1/workspace/members")).body.members.find((m: { userId: string }) => m.userId === created.body.id);
    expect(member.role).toBe("manager");
    // Moving them to an outside address is refused too.
    const moved = await scim("PATCH", `/Users/${created.body.id}`, { Operations: [{ op: "replace", path: "emails", value: [{ value: "nadia@elsewhere.test", primary: true }] }] });
    expect(moved.status).toBe(400);
  });

  it("a provisioned person signs in by SSO; deprovisioned, they cannot; activated again, they can", async () => {
    idp.addAccount("omar", { email: "omar@acme-sso.test", email_verified: true, name: "Omar" });
    const id = (await scim("POST", "/Users", { userName: "omar@acme-sso.test", active: true })).body.id;
    expect(await ssoSignIn("omar", "omar@acme-sso.test")).toBeNull();

    expect((await scim("PATCH", `/Users/${id}`, { Operations: [{ op: "Replace", path: "active", value: "False" }] })).body.active).toBe(false);
    expect(await ssoSignIn("omar", "omar@acme-sso.test")).toBe("sso_not_a_member");

    expect((await scim("PATCH", `/Users/${id}`, { Operations: [{ op: "Replace", path: "active", value: "True" }] })).body.active).toBe(true);
    expect(await ssoSignIn("omar", "omar@acme-sso.test")).toBeNull();
  });
});
