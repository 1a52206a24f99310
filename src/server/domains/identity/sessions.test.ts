import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { createApp } from "../../http/app";
import { sessions } from "./identity.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { PASSWORD, buildUser } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";

const IDLE_MINUTES = 30;
const MAX_HOURS = 2;
const MINUTE = 60_000;

describeEachDatabase("sessions", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    services = await createTestServices(kind, {
      LOGIN_RATE_PER_MINUTE: "1000",
      SESSION_IDLE_MINUTES: String(IDLE_MINUTES),
      SESSION_MAX_HOURS: String(MAX_HOURS),
    });
    app = createApp(services);
  });
  afterAll(() => services.close());

  /** Signs `user` in from a browser that calls itself `device`. */
  const signIn = async (user: { email: string }, device: string, password = PASSWORD): Promise<HttpClient> => {
    const client = httpClient(app, { userAgent: device });
    const res = await client.post("/api/v1/auth/sign-in", { email: user.email, password });
    expect(res.status, res.text).toBe(200);
    return client;
  };
  const sessionRow = async (id: string) => (await services.database.db.select().from(sessions).where(eq(sessions.id, id)))[0];
  const auditOf = (action: string, userId: string) =>
    services.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, userId))).orderBy(asc(auditEvents.seq));

  it("lists the person's own live sessions, marking the current one", async () => {
    const user = await buildUser(services);
    const laptop = await signIn(user, "Laptop");
    await signIn(user, "Phone");
    await signIn(await buildUser(services), "Someone else's laptop");

    const res = await laptop.get("/api/v1/me/sessions");

    expect(res.status).toBe(200);
    expect(res.body.sessions.map((s: { userAgent: string }) => s.userAgent).sort()).toEqual(["Laptop", "Phone"]);
    const current = res.body.sessions.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0].userAgent).toBe("Laptop");
  });

  it("ends one session: that browser is signed out at once, the others stay, and it is audited", async () => {
    const user = await buildUser(services);
    const laptop = await signIn(user, "Laptop");
    const phone = await signIn(user, "Phone");
    const phoneSession = (await laptop.get("/api/v1/me/sessions")).body.sessions.find((s: { userAgent: string }) => s.userAgent === "Phone");

    const res = await laptop.delete(`/api/v1/me/sessions/${phoneSession.id}`);

    expect(res.status).toBe(204);
    expect((await phone.get("/api/v1/me")).status).toBe(401);
    expect((await laptop.get("/api/v1/me")).status).toBe(200);
    expect((await sessionRow(phoneSession.id)).revokedReason).toBe("revoked_by_user");
    expect((await auditOf("session.revoked", user.id)).at(-1)!.data).toEqual({ userId: user.id, sessionIds: [phoneSession.id] });
    expect((await laptop.delete(`/api/v1/me/sessions/${phoneSession.id}`)).status).toBe(404);
  });

  it("cannot end somebody else's session (404, and it stays live)", async () => {
    const mallory = await signIn(await buildUser(services), "Mallory");
    const alice = await signIn(await buildUser(services), "Alice");
    const aliceSession = (await alice.get("/api/v1/me/sessions")).body.sessions[0];

    const res = await mallory.delete(`/api/v1/me/sessions/${aliceSession.id}`);

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
    expect((await alice.get("/api/v1/me")).status).toBe(200);
  });

  it("ends every other session and keeps this one", async () => {
    const user = await buildUser(services);
    const laptop = await signIn(user, "Laptop");
    const others = [await signIn(user, "Phone"), await signIn(user, "Tablet")];

    const res = await laptop.post("/api/v1/me/sessions/revoke-others");

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ended: 2 });
    for (const other of others) expect((await other.get("/api/v1/me")).status).toBe(401);
    expect((await laptop.get("/api/v1/me")).status).toBe(200);
    expect((await laptop.get("/api/v1/me/sessions")).body.sessions).toHaveLength(1);
  });

  it(`ends a session left unused for more than ${IDLE_MINUTES} minutes, while use keeps it alive`, async () => {
    const user = await buildUser(services);
    const client = await signIn(user, "Laptop");
    const [{ id }] = (await client.get("/api/v1/me/sessions")).body.sessions;

    for (let i = 0; i < 3; i++) {
      services.clock.advance((IDLE_MINUTES - 1) * MINUTE);
      expect((await client.get("/api/v1/me")).status, `after ${(i + 1) * (IDLE_MINUTES - 1)} minutes of steady use`).toBe(200);
    }
    services.clock.advance((IDLE_MINUTES + 1) * MINUTE);

    expect((await client.get("/api/v1/me")).status).toBe(401);
    expect((await sessionRow(id)).revokedReason).toBe("idle");
  });

  it(`ends a session ${MAX_HOURS} hours after sign-in even when it is used all the time`, async () => {
    const user = await buildUser(services);
    const client = await signIn(user, "Laptop");
    const signedInAt = services.clock().getTime();

    while (services.clock().getTime() + 20 * MINUTE < signedInAt + MAX_HOURS * 3600_000) {
      services.clock.advance(20 * MINUTE);
      expect((await client.get("/api/v1/me")).status).toBe(200);
    }
    services.clock.set(new Date(signedInAt + MAX_HOURS * 3600_000));

    expect((await client.get("/api/v1/me")).status).toBe(401);
    expect((await client.get("/api/v1/workspace/members")).status).toBe(401);
  });

  it("changing the password ends the other sessions but not the current one", async () => {
    const user = await buildUser(services);
    const laptop = await signIn(user, "Laptop");
    const phone = await signIn(user, "Phone");
    const newPassword = "a-much-better-passphrase";

    const res = await laptop.post("/api/v1/me/password", { currentPassword: PASSWORD, newPassword });

    expect(res.status).toBe(204);
    expect((await laptop.get("/api/v1/me")).status).toBe(200);
    expect((await phone.get("/api/v1/me")).status).toBe(401);
    expect((await auditOf("user.password_changed", user.id)).at(-1)!.data).toEqual({ userId: user.id, sessionsEnded: 1 });
    const oldPassword = await httpClient(app).post("/api/v1/auth/sign-in", { email: user.email, password: PASSWORD });
    expect(oldPassword.status).toBe(401);
    await signIn(user, "Desktop", newPassword);
  });

  it("refuses a password change with a wrong current password (400 wrong_password) or a weak new one (400 invalid_input)", async () => {
    const user = await buildUser(services);
    const laptop = await signIn(user, "Laptop");
    const phone = await signIn(user, "Phone");

    const wrong = await laptop.post("/api/v1/me/password", { currentPassword: "not-the-password", newPassword: "a-much-better-passphrase" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("wrong_password");
    expect(wrong.body.error.fields.currentPassword).toBeDefined();

    const weak = await laptop.post("/api/v1/me/password", { currentPassword: PASSWORD, newPassword: "short" });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe("invalid_input");
    expect(weak.body.error.fields.newPassword).toBeDefined();

    expect((await phone.get("/api/v1/me")).status).toBe(200);
    await signIn(user, "Desktop", PASSWORD);
  });
});
