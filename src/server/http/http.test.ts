import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { createLogger } from "../log";
import { createApp } from "./app";
import { describeEachDatabase } from "../../../test/support/databases";
import { PASSWORD, buildWorkspace, signedInClient } from "../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../test/support/http";
import { createTestServices, type TestServices } from "../../../test/support/services";

const ENV = { LOGIN_RATE_PER_MINUTE: "1000" };

/** The cookie header a browser would send for this client, and its CSRF token. */
const browserHeaders = (client: HttpClient) => ({
  cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
  csrf: client.cookies.get("parapet_csrf")!,
});

describeEachDatabase("HTTP API", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Awaited<ReturnType<typeof buildWorkspace>>["people"];
  let owner: HttpClient;

  beforeAll(async () => {
    services = await createTestServices(kind, ENV);
    app = createApp(services);
    ({ people } = await buildWorkspace(services));
    owner = await signedInClient(app, people.owner);
  });
  afterAll(() => services.close());

  describe("CSRF", () => {
    const createTeam = (headers: Record<string, string>) =>
      app.request("/api/v1/workspace/teams", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ name: `Team ${randomUUID()}` }) });

    it("refuses a cookie-authenticated POST without X-CSRF-Token (403 csrf_failed)", async () => {
      const { cookie } = browserHeaders(owner);
      const res = await createTeam({ cookie });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("csrf_failed");
    });

    it("refuses a cookie-authenticated POST whose X-CSRF-Token does not match the cookie", async () => {
      const { cookie } = browserHeaders(owner);
      const res = await createTeam({ cookie, "x-csrf-token": "forged-token-forged-token-forged-" });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("csrf_failed");
    });

    it("accepts the same POST with the matching X-CSRF-Token", async () => {
      const { cookie, csrf } = browserHeaders(owner);
      expect((await createTeam({ cookie, "x-csrf-token": csrf })).status).toBe(200);
    });

    it("covers sign-in too, against login CSRF", async () => {
      const res = await app.request("/api/v1/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: people.member.email, password: PASSWORD }),
      });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("csrf_failed");
    });

    it("needs no CSRF token with a bearer token (no ambient credentials)", async () => {
      const created = await owner.post("/api/v1/me/api-tokens", { name: "teams", scopes: ["teams:write"], expiresInDays: 1 });
      const res = await createTeam({ authorization: `Bearer ${created.body.token}` });
      expect(res.status).toBe(200);
    });

    it("does not excuse a cookie request from CSRF because it carries some other Authorization header", async () => {
      const { cookie } = browserHeaders(owner);
      const res = await createTeam({ cookie, authorization: "Basic dXNlcjpwYXNz" });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("csrf_failed");
    });
  });

  describe("security headers", () => {
    it("sends CSP with frame-ancestors 'none', nosniff and no-referrer on pages and API answers, and no HSTS over plain http", async () => {
      for (const path of ["/api/v1/me", "/healthz", "/api/v1/docs", "/some/page"]) {
        const res = await app.request(path);
        const csp = res.headers.get("content-security-policy") ?? "";
        expect(csp, path).toContain("default-src 'self'");
        expect(csp, path).toContain("script-src 'self'");
        expect(csp, path).toContain("frame-ancestors 'none'");
        expect(csp, path).toContain("object-src 'none'");
        expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
        expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
        expect(res.headers.get("strict-transport-security"), path).toBeNull();
      }
    });

    it("without https, cookies are not marked Secure (they would never be sent back over http)", async () => {
      const client = httpClient(app);
      const res = await client.post("/api/v1/auth/sign-in", { email: people.member.email, password: PASSWORD });
      const session = res.headers.getSetCookie().find((c) => c.startsWith("parapet_session="))!;
      expect(session).not.toMatch(/;\s*Secure/i);
    });

    it("with an https PARAPET_PUBLIC_URL, sends HSTS and marks the session and CSRF cookies Secure", async () => {
      const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PARAPET_PUBLIC_URL: "https://parapet.example.test", ...ENV });
      expect(config.secureCookies).toBe(true);
      const httpsApp = createApp({ ...services, config: { ...services.config, publicUrl: config.publicUrl, secureCookies: config.secureCookies } });

      const csrf = await httpsApp.request("/api/v1/auth/csrf");
      expect(csrf.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      expect(csrf.headers.getSetCookie().find((c) => c.startsWith("parapet_csrf="))).toMatch(/;\s*Secure/i);

      const client = httpClient(httpsApp);
      const res = await client.post("/api/v1/auth/sign-in", { email: people.member.email, password: PASSWORD });
      expect(res.status).toBe(200);
      const session = res.headers.getSetCookie().find((c) => c.startsWith("parapet_session="))!;
      expect(session).toMatch(/;\s*Secure/i);
      expect(session).toMatch(/HttpOnly/i);
    });

    it("echoes a request id, or makes one", async () => {
      expect((await app.request("/healthz", { headers: { "x-request-id": "trace-123" } })).headers.get("x-request-id")).toBe("trace-123");
      expect((await app.request("/healthz")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe("errors", () => {
    it("answers an unknown API route with JSON 404 not_found", async () => {
      for (const [method, path] of [["GET", "/api/v1/no-such-thing"], ["DELETE", "/api/v1/workspace/no/such/route"]] as const) {
        const res = await owner.request(method, path);
        expect(res.status, path).toBe(404);
        expect(res.headers.get("content-type")).toContain("application/json");
        expect(res.body.error.code).toBe("not_found");
      }
    });

    it("answers malformed JSON with 400", async () => {
      const { cookie, csrf } = browserHeaders(owner);
      const res = await app.request("/api/v1/workspace/teams", { method: "POST", headers: { cookie, "x-csrf-token": csrf, "content-type": "application/json" }, body: '{"name": "Oops' });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe("invalid_request");
    });

    it("answers invalid input with 400 invalid_input and a message per field", async () => {
      const res = await httpClient(app).post("/api/v1/auth/sign-in", { email: "not-an-email", password: "" });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(Object.keys(res.body.error.fields).sort()).toEqual(["email", "password"]);
      expect(res.body.error.fields.email[0]).toMatch(/email/i);
    });

    it("refuses a body over 1 MiB with 413, whether or not it declares its length", async () => {
      const { cookie, csrf } = browserHeaders(owner);
      const body = JSON.stringify({ name: "x", description: "y".repeat(1024 * 1024) });
      for (const declared of [true, false]) {
        const headers: Record<string, string> = { cookie, "x-csrf-token": csrf, "content-type": "application/json" };
        if (declared) headers["content-length"] = String(Buffer.byteLength(body));
        const res = await app.request("/api/v1/workspace/teams", { method: "POST", headers, body });
        expect(res.status, `content-length declared: ${declared}`).toBe(413);
        expect((await res.json()).error.code).toBe("payload_too_large");
      }
    });
    it("over real HTTP, takes a DELETE without a body and a chunked body within the limit", async () => {
      const { serve } = await import("@hono/node-server");
      const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1", overrideGlobalObjects: false });
      await new Promise((resolve) => server.once("listening", resolve));
      const { port } = server.address() as { port: number };
      const raw = (method: string, path: string, headers: Record<string, string>, chunks: string[] = []) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
            let body = "";
            res.on("data", (d) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on("error", reject);
          for (const chunk of chunks) req.write(chunk); // no Content-Length: Node sends it chunked
          req.end();
        });
      try {
        const { cookie, csrf } = browserHeaders(owner);
        const team = await raw("POST", "/api/v1/workspace/teams", { cookie, "x-csrf-token": csrf, "content-type": "application/json" }, ['{"name":"Chunked', ' team"}']);
        expect(team.status, team.body).toBe(200);
        const id = JSON.parse(team.body).id as string;
        const removed = await raw("DELETE", `/api/v1/workspace/teams/${id}`, { cookie, "x-csrf-token": csrf });
        expect(removed.status, removed.body).toBe(204);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe("operations", () => {
    it("answers /healthz with 200", async () => {
      const res = await app.request("/healthz");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    });

    it("answers /readyz with 200 ready on a migrated database", async () => {
      const res = await app.request("/readyz");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ready", database: kind });
    });

    it("logs every API request with its path, but never the secret token of an invitation link", async () => {
      const lines: string[] = [];
      const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
      const logged = createApp({ ...services, log: createLogger("info", sink) });
      const token = "inv_" + "s3cr3t".repeat(8);
      const sessionId = randomUUID();
      const client = await signedInClient(logged, people.admin);
      lines.length = 0;

      await client.get(`/api/v1/invitations/${token}`);
      await client.post(`/api/v1/invitations/${token}/accept`, { password: PASSWORD });
      await client.delete(`/api/v1/me/sessions/${sessionId}`);

      const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "request");
      expect(requests.map((r) => r.path)).toEqual(["/api/v1/invitations/[redacted]", "/api/v1/invitations/[redacted]/accept", `/api/v1/me/sessions/${sessionId}`]);
      expect(lines.join("\n")).not.toContain("s3cr3t");
      expect(requests[0]).toMatchObject({ method: "GET", status: expect.any(Number), requestId: expect.any(String), ms: expect.any(Number) });
    });

    it("guards /metrics with METRICS_TOKEN when one is set", async () => {
      const guarded = createApp({ ...services, config: { ...services.config, metricsToken: "scrape-me-please-0123" } });
      expect((await guarded.request("/metrics")).status).toBe(401);
      expect((await guarded.request("/metrics", { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(401);
      const ok = await guarded.request("/metrics", { headers: { authorization: "Bearer scrape-me-please-0123" } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("parapet_http_requests_total");
    });

    it("counts requests in /metrics by route pattern, never by raw path with ids", async () => {
      const sessionId = randomUUID();
      const unknownId = randomUUID();
      expect((await owner.delete(`/api/v1/me/sessions/${sessionId}`)).status).toBe(404);
      expect((await owner.get(`/api/v1/workspace/members`)).status).toBe(200);
      expect((await owner.get(`/api/v1/no-such-thing/${unknownId}`)).status).toBe(404);
      expect((await app.request(`/api/v1/workspace/members/${unknownId}`, { method: "PATCH" })).status).toBe(403); // no CSRF token

      const res = await app.request("/metrics");

      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const text = await res.text();
      expect(text).toContain('parapet_http_requests_total{method="DELETE",route="/api/v1/me/sessions/:sessionId",status="404"} 1');
      expect(text).toContain('parapet_http_requests_total{method="GET",route="/api/v1/workspace/members",status="200"}');
      expect(text).toContain('parapet_http_requests_total{method="GET",route="unmatched",status="404"}');
      expect(text).toContain('parapet_http_requests_total{method="PATCH",route="/api/v1/workspace/members/:userId",status="403"}');
      expect(text).toMatch(/parapet_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/api\/v1\/workspace\/members"\}/);
      expect(text).not.toContain(sessionId);
      expect(text).not.toContain(unknownId);
      expect(text).toContain("parapet_process_cpu_seconds_total");
    });
  });

  describe("API description", () => {
    it("lists every API route of the app in /api/v1/openapi.json", async () => {
      const res = await app.request("/api/v1/openapi.json");
      expect(res.status).toBe(200);
      const doc = await res.json();
      expect(doc.openapi).toBe("3.1.0");
      const documented = new Set(Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
      // The description itself and its viewer are not API operations.
      const selfDescription = ["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/assets/:file"];
      const routes = [...new Set(app.routes.filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL" && !r.path.includes("*") && !selfDescription.includes(r.path)).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`))];
      expect(routes.length).toBeGreaterThan(30);
      expect(routes.filter((r) => !documented.has(r))).toEqual([]);
      expect([...documented].filter((d) => !routes.includes(d))).toEqual([]);
    });

    it("documents how signing in can be refused: locked (423), throttled (429), used-up reset link (410)", async () => {
      const doc = await (await app.request("/api/v1/openapi.json")).json();
      expect(Object.keys(doc.paths["/api/v1/auth/sign-in"].post.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "423", "429"]));
      expect(Object.keys(doc.paths["/api/v1/auth/mfa/verify"].post.responses)).toContain("423");
      expect(Object.keys(doc.paths["/api/v1/auth/password-reset/request"].post.responses)).toContain("429");
      expect(Object.keys(doc.paths["/api/v1/auth/password-reset/complete"].post.responses)).toContain("410");
    });

    it("serves a readable reference at /api/v1/docs, with its scripts from this server (no CDN, no inline script)", async () => {
      const page = await app.request("/api/v1/docs");
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toContain("text/html");
      const html = await page.text();
      expect(html).not.toMatch(/<script>(?!<\/script>)/);
      const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(sources.length).toBeGreaterThanOrEqual(3);
      for (const src of sources) {
        expect(src.startsWith("/api/v1/docs/assets/"), src).toBe(true);
        const asset = await app.request(src);
        expect(asset.status, src).toBe(200);
      }
      expect((await app.request("/api/v1/docs/assets/..%2Fpackage.json")).status).toBe(404);
    });
  });

  describe("NUL characters (PostgreSQL text cannot hold them)", () => {
    it("refuses one in a JSON body with 400 invalid_input, and writes nothing", async () => {
      const before = (await owner.get("/api/v1/workspace/teams")).body.teams.length;
      const res = await owner.post("/api/v1/workspace/teams", { name: "Night\u0000shift" });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect((await owner.get("/api/v1/workspace/teams")).body.teams.length).toBe(before);
    });

    it("refuses one in the address with 400 invalid_input", async () => {
      const res = await owner.get("/api/v1/audit?actor=a%00b");
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    });
  });
});

describeEachDatabase("HTTP API on a broken database", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  const logLines: string[] = [];

  beforeAll(async () => {
    services = await createTestServices(kind, ENV);
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    app = createApp({ ...services, log: createLogger("error", sink) });
  });
  afterAll(() => services.close());

  it("turns an unexpected exception into 500 internal_error with a request id, logs it, and shows no stack trace or SQL", async () => {
    await services.database.query("alter table users rename to users_moved_away");
    const client = httpClient(app);

    const res = await client.post("/api/v1/auth/sign-in", { email: "someone@example.test", password: PASSWORD }, { "x-request-id": "req-500" });

    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({ code: "internal_error", message: expect.any(String), requestId: "req-500" });
    expect(res.text).not.toMatch(/users|relation|select|\bat\s+\S+\s+\(|\.ts:\d+/i);
    const logged = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === "unhandled error");
    expect(logged).toMatchObject({ requestId: "req-500", path: "/api/v1/auth/sign-in" });
    expect(JSON.stringify(logged.err)).toMatch(/users/);
  });

  it("answers /readyz with 503 on a database without the migrations", async () => {
    await services.database.query("drop schema drizzle cascade; drop schema public cascade; create schema public");
    const res = await app.request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "not_ready", database: kind });
  });
});
