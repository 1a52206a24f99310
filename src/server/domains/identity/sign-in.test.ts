import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { createApp } from "../../http/app";
import { sessions, users } from "./identity.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { PASSWORD, buildUser } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";

const MAX_FAILURES = 3;
const LOCKOUT_MINUTES = 15;
const RATE_PER_MINUTE = 8;

describeEachDatabase("sign-in", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  // Every test comes from its own address, so the per-IP throttle of one test never touches another.
  let lastOctet = 0;
  const nextIp = () => `198.51.100.${++lastOctet}`;

  beforeAll(async () => {
    services = await createTestServices(kind, {
      TRUST_PROXY: "true",
      LOGIN_MAX_FAILURES: String(MAX_FAILURES),
      LOGIN_LOCKOUT_MINUTES: String(LOCKOUT_MINUTES),
      LOGIN_RATE_PER_MINUTE: String(RATE_PER_MINUTE),
    });
    app = createApp(services);
  });
  afterAll(() => services.close());

  const signIn = (client: HttpClient, email: string, password: string, ip: string) =>
    client.post("/api/v1/auth/sign-in", { email, password }, { "x-forwarded-for": ip });
  const auditOf = (action: string, targetId?: string) =>
    services.database.db
      .select()
      .from(auditEvents)
      .where(targetId ? and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)) : eq(auditEvents.action, action))
      .orderBy(asc(auditEvents.seq));
  const userRow = async (id: string) => (await services.database.db.select().from(users).where(eq(users.id, id)))[0];

  it("signs in with the right password: sets an HttpOnly session cookie, /me answers 200 and user.signed_in is audited", async () => {
    const user = await buildUser(services);
    const client = httpClient(app);
    const ip = nextIp();

    const res = await signIn(client, user.email, PASSWORD, ip);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "signed_in" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("parapet_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await client.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(user.email);
    expect(me.body.state).toBe("active");
    const [event] = await auditOf("user.signed_in", user.id);
    expect(event).toMatchObject({ actorType: "user", actorId: user.id, ip, data: { userId: user.id, mfa: false } });
  });

  it("matches the email without regard to case", async () => {
    const user = await buildUser(services, { email: `Mixed.Case-${Date.now()}@Example.test` });
    const res = await signIn(httpClient(app), user.email.toUpperCase(), PASSWORD, nextIp());
    expect(res.status).toBe(200);
  });

  it("refuses a wrong password with 401 invalid_credentials, sets no session and counts the failure", async () => {
    const user = await buildUser(services);
    const client = httpClient(app);

    const res = await signIn(client, user.email, "not-the-password", nextIp());

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("invalid_credentials");
    expect(client.cookies.has("parapet_session")).toBe(false);
    expect((await client.get("/api/v1/me")).status).toBe(401);
    expect((await userRow(user.id)).failedLogins).toBe(1);
    expect(await services.database.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    const [event] = await auditOf("user.sign_in_failed", user.id);
    expect(event.data).toEqual({ email: user.email, reason: "wrong_password" });
  });

  it("answers an unknown email exactly as it answers a wrong password", async () => {
    const user = await buildUser(services);
    const wrongPassword = await signIn(httpClient(app), user.email, "not-the-password", nextIp());
    const unknownEmail = await signIn(httpClient(app), `nobody-${Date.now()}@example.test`, "not-the-password", nextIp());

    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    const failures = await auditOf("user.sign_in_failed");
    expect(failures.at(-1)!.data).toMatchObject({ reason: "unknown_email" });
  });

  it(`locks the account after ${MAX_FAILURES} wrong passwords (423 even with the right one) and unlocks it after the lockout`, async () => {
    const user = await buildUser(services);
    const client = httpClient(app);
    const ip = nextIp();

    for (let i = 1; i < MAX_FAILURES; i++) expect((await signIn(client, user.email, "wrong-password-1", ip)).status).toBe(401);
    const last = await signIn(client, user.email, "wrong-password-1", ip);
    expect(last.status).toBe(423);
    expect(last.body.error.code).toBe("account_locked");

    const withRightPassword = await signIn(client, user.email, PASSWORD, ip);
    expect(withRightPassword.status).toBe(423);
    expect(withRightPassword.body.error.code).toBe("account_locked");
    const until = new Date(withRightPassword.body.error.lockedUntil);
    expect(until.getTime()).toBe(services.clock().getTime() + LOCKOUT_MINUTES * 60_000);
    expect(client.cookies.has("parapet_session")).toBe(false);
    const [lockedOut] = await auditOf("user.locked_out", user.id);
    expect(lockedOut.data).toEqual({ userId: user.id, until: until.toISOString() });

    services.clock.advance((LOCKOUT_MINUTES - 1) * 60_000);
    expect((await signIn(client, user.email, PASSWORD, ip)).status).toBe(423);

    services.clock.advance(60_000 + 1_000);
    const afterLockout = await signIn(client, user.email, PASSWORD, ip);
    expect(afterLockout.status).toBe(200);
    expect((await client.get("/api/v1/me")).status).toBe(200);
    expect(await userRow(user.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it("counts failures in a row only: a successful sign-in starts the count again", async () => {
    const user = await buildUser(services);
    const ip = nextIp();
    for (let i = 1; i < MAX_FAILURES; i++) await signIn(httpClient(app), user.email, "wrong-password-1", ip);
    expect((await signIn(httpClient(app), user.email, PASSWORD, ip)).status).toBe(200);
    for (let i = 1; i < MAX_FAILURES; i++) {
      expect((await signIn(httpClient(app), user.email, "wrong-password-1", ip)).status).toBe(401);
    }
  });

  it("does not tell a stranger that an account is disabled: a wrong password still gets invalid_credentials", async () => {
    const user = await buildUser(services);
    await services.database.db.update(users).set({ disabledAt: services.clock() }).where(eq(users.id, user.id));

    const guess = await signIn(httpClient(app), user.email, "not-the-password", nextIp());
    expect(guess.status).toBe(401);
    expect(guess.body.error.code).toBe("invalid_credentials");

    const owner = await signIn(httpClient(app), user.email, PASSWORD, nextIp());
    expect(owner.status).toBe(403);
    expect(owner.body.error.code).toBe("account_disabled");
  });

  it(`throttles each IP to ${RATE_PER_MINUTE} attempts a minute with 429 rate_limited and Retry-After`, async () => {
    const user = await buildUser(services);
    const ip = nextIp();
    for (let i = 0; i < RATE_PER_MINUTE; i++) {
      expect((await signIn(httpClient(app), `nobody-${i}@example.test`, "not-the-password", ip)).status).toBe(401);
    }

    const throttled = await signIn(httpClient(app), user.email, PASSWORD, ip);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe("rate_limited");
    const retryAfter = Number(throttled.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(throttled.body.error.retryAfterSeconds).toBe(retryAfter);

    // Another address is not affected, and the same address may try again once the window has passed.
    expect((await signIn(httpClient(app), user.email, PASSWORD, nextIp())).status).toBe(200);
    services.clock.advance(retryAfter * 1000);
    expect((await signIn(httpClient(app), user.email, PASSWORD, ip)).status).toBe(200);
  });

  it("takes the client IP from the hop the proxy appended, so a forged X-Forwarded-For neither escapes the throttle nor lands in the audit log", async () => {
    const user = await buildUser(services);
    const realIp = nextIp();
    const forgedIps = Array.from({ length: RATE_PER_MINUTE + 1 }, (_, i) => `203.0.113.${i + 1}`);
    for (const forged of forgedIps.slice(0, RATE_PER_MINUTE)) {
      // What a reverse proxy forwards when the client sent its own X-Forwarded-For: the proxy appends the real address.
      expect((await signIn(httpClient(app), `nobody-${forged}@example.test`, "not-the-password", `${forged}, ${realIp}`)).status).toBe(401);
    }

    const res = await signIn(httpClient(app), user.email, PASSWORD, `${forgedIps.at(-1)}, ${realIp}`);

    expect(res.status).toBe(429);
    const failures = (await auditOf("user.sign_in_failed")).filter((e) => String((e.data as { email: string }).email).endsWith("@example.test") && String((e.data as { email: string }).email).includes("203.0.113."));
    expect(failures).toHaveLength(RATE_PER_MINUTE);
    for (const event of failures) expect(event.ip).toBe(realIp);
  });

  it("ignores X-Forwarded-For when TRUST_PROXY is off: changing it does not escape the throttle", async () => {
    const direct = createApp({ ...services, config: { ...services.config, trustProxy: false } });
    services.clock.advance(60_000); // a fresh throttle window
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_PER_MINUTE; i++) {
      statuses.push((await signIn(httpClient(direct), `nobody-${i}@example.test`, "not-the-password", `192.0.2.${i + 1}`)).status);
    }
    expect(statuses.slice(0, RATE_PER_MINUTE).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("signs out: the session ends on the server, the cookie is cleared and the next /me is 401", async () => {
    const user = await buildUser(services);
    const client = httpClient(app);
    expect((await signIn(client, user.email, PASSWORD, nextIp())).status).toBe(200);
    const stolenCookie = `parapet_session=${client.cookies.get("parapet_session")}`;

    const out = await client.post("/api/v1/auth/sign-out");

    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().find((c) => c.startsWith("parapet_session="))).toMatch(/Max-Age=0/i);
    expect((await client.get("/api/v1/me")).status).toBe(401);
    // A copy of the old cookie is worthless too: the session is ended server-side, not just forgotten by the browser.
    expect((await app.request("/api/v1/me", { headers: { cookie: stolenCookie } })).status).toBe(401);
    const [row] = await services.database.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(row.revokedReason).toBe("signed_out");
    const [event] = await auditOf("user.signed_out", user.id);
    expect(event.data).toEqual({ userId: user.id, sessionId: row.id });
  });
});
