import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Role } from "../../../contracts/roles";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { totpCode } from "../identity";
import { passkeys } from "../identity/passkeys.schema";
import { recoveryCodes } from "../identity/identity.schema";
import { unsafeAddMemberDirectly } from "./index";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildUser, buildWorkspace, PASSWORD, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";

describeEachDatabase("lost device", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let workspace: { id: string };
  let people: Record<Role, { id: string; email: string }>;
  let admin: HttpClient;

  /** A member signed in on two devices (a phone and a laptop), with an authenticator app enrolled. */
  async function memberOnTwoDevices() {
    const user = await buildUser(services);
    await inTransaction(unsafeSystemCtx(services, "test", workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: user.id, role: "member" }));
    const laptop = httpClient(app, { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" });
    expect((await laptop.post("/api/v1/auth/sign-in", { email: user.email, password: PASSWORD })).status).toBe(200);
    const setup = await laptop.post("/api/v1/me/mfa/setup");
    expect((await laptop.post("/api/v1/me/mfa/confirm", { code: totpCode(setup.body.secret, services.clock()) })).status).toBe(200);
    const phone = httpClient(app, { userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 19_0) Safari/605.1" });
    await phone.post("/api/v1/auth/sign-in", { email: user.email, password: PASSWORD });
    services.clock.advance(31_000); // the next TOTP step: a code is accepted once
    expect((await phone.post("/api/v1/auth/mfa/verify", { code: totpCode(setup.body.secret, services.clock()) })).status).toBe(200);
    const token = (await laptop.post("/api/v1/me/api-tokens", { name: "script", scopes: ["workspace:read"], expiresInDays: 30 })).body.token as string;
    expect(token).toMatch(/^\S{20,}$/);
    return { user, laptop, phone, secret: setup.body.secret as string, token };
  }

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    app = createApp(services);
    const built = await buildWorkspace(services);
    workspace = built.workspace;
    people = built.people;
    admin = await signedInClient(app, people.admin);
  });
  afterAll(() => services.close());

  it("an admin lists a member's live sessions with their devices", async () => {
    const { user } = await memberOnTwoDevices();
    const res = await admin.get(`/api/v1/workspace/members/${user.id}/sessions`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.sessions.map((s: { userAgent: string }) => s.userAgent).sort()).toEqual([
      "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 19_0) Safari/605.1",
    ]);
    expect(res.body.sessions.every((s: { current: boolean }) => !s.current)).toBe(true);
  });

  it("ends only the lost device's session; the other device keeps working; audited with the counts", async () => {
    const { user, laptop, phone, token } = await memberOnTwoDevices();
    const sessions = (await admin.get(`/api/v1/workspace/members/${user.id}/sessions`)).body.sessions as { id: string; userAgent: string }[];
    const phoneSession = sessions.find((s) => s.userAgent.includes("iPhone"))!;
    const before = await lastAuditSeq(services);
    const res = await admin.post(`/api/v1/workspace/members/${user.id}/lost-device`, { sessionIds: [phoneSession.id], requireMfaReenrolment: false });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ sessionsEnded: 1, tokensRevoked: 0, mfaReenrolmentRequired: false, authenticatorAppRemoved: false, passkeysRemoved: 0 });
    expect((await phone.get("/api/v1/me")).status).toBe(401);
    expect((await laptop.get("/api/v1/me")).body.state).toBe("active");
    expect((await httpClient(app, { bearer: token }).get("/api/v1/workspace")).status).toBe(200);
    const audit = await auditSince(services, before);
    expect(audit.map((e) => [e.action, e.actorId, e.targetId])).toEqual([["member.device_secured", people.admin.id, user.id]]);
    expect(audit[0].data).toEqual({ userId: user.id, ...res.body });
    // Still a member.
    const members = (await admin.get("/api/v1/workspace/members")).body.members as { userId: string }[];
    expect(members.some((m) => m.userId === user.id)).toBe(true);
  });

  it("requiring MFA re-enrolment removes every second factor; the next sign-in stops at enrolment until a new one is set up", async () => {
    const { user, laptop, phone, secret, token } = await memberOnTwoDevices();
    const [db] = [services.database.db];
    await db.insert(passkeys).values({ userId: user.id, credentialId: `cred-${user.id}`, publicKey: "AA", name: "Phone", deviceType: "multiDevice" });
    const sessions = (await admin.get(`/api/v1/workspace/members/${user.id}/sessions`)).body.sessions as { id: string; userAgent: string }[];
    const phoneSession = sessions.find((s) => s.userAgent.includes("iPhone"))!;
    const res = await admin.post(`/api/v1/workspace/members/${user.id}/lost-device`, { sessionIds: [phoneSession.id], requireMfaReenrolment: true, revokeApiTokens: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ sessionsEnded: 1, tokensRevoked: 1, mfaReenrolmentRequired: true, authenticatorAppRemoved: true, passkeysRemoved: 1 });
    expect(await db.select().from(passkeys).where(eq(passkeys.userId, user.id))).toEqual([]);
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toEqual([]);
    expect((await httpClient(app, { bearer: token }).get("/api/v1/workspace")).status).toBe(401);

    // The session left on the other device may only set up a new factor now.
    const me = await laptop.get("/api/v1/me");
    expect(me.body.state).toBe("mfa_enrolment_required");
    expect(me.body.user.mfaReenrolmentRequired).toBe(true);
    expect((await laptop.get("/api/v1/workspace/members")).status).toBe(403);

    // A password sign-in no longer asks for the old code (it is gone), and stops at enrolment.
    const again = httpClient(app);
    const signIn = await again.post("/api/v1/auth/sign-in", { email: user.email, password: PASSWORD });
    expect(signIn.status, signIn.text).toBe(200);
    expect(signIn.body.status).not.toBe("mfa_required");
    expect((await again.get("/api/v1/me")).body.state).toBe("mfa_enrolment_required");
    expect((await again.post("/api/v1/auth/mfa/verify", { code: totpCode(secret, services.clock()) })).status).not.toBe(200);

    const setup = await again.post("/api/v1/me/mfa/setup");
    expect(setup.status, setup.text).toBe(200);
    expect(setup.body.secret).not.toBe(secret);
    expect((await again.post("/api/v1/me/mfa/confirm", { code: totpCode(setup.body.secret, services.clock()) })).status).toBe(200);
    const after = await again.get("/api/v1/me");
    expect([after.body.state, after.body.user.mfaReenrolmentRequired, after.body.user.mfaEnabled]).toEqual(["active", false, true]);
    expect((await again.get("/api/v1/workspace/members")).status).toBe(200);
    expect((await laptop.get("/api/v1/me")).body.state).toBe("active");
  });

  it("follows the removal rule: an admin cannot act on an owner, a manager on nobody; bad input is refused whole", async () => {
    const { user } = await memberOnTwoDevices();
    const ownerSessions = (await (await signedInClient(app, people.owner)).get(`/api/v1/workspace/members/${people.owner.id}/sessions`)).body.sessions as { id: string }[];
    const before = await lastAuditSeq(services);
    const onOwner = await admin.post(`/api/v1/workspace/members/${people.owner.id}/lost-device`, { sessionIds: [ownerSessions[0].id], requireMfaReenrolment: true });
    expect([onOwner.status, onOwner.body.error.code]).toEqual([403, "role_not_allowed"]);
    const manager = await signedInClient(app, people.manager);
    expect((await manager.get(`/api/v1/workspace/members/${user.id}/sessions`)).status).toBe(403);
    expect((await manager.post(`/api/v1/workspace/members/${user.id}/lost-device`, { sessionIds: [ownerSessions[0].id], requireMfaReenrolment: false })).status).toBe(403);
    const empty = await admin.post(`/api/v1/workspace/members/${user.id}/lost-device`, { sessionIds: [], requireMfaReenrolment: false });
    expect([empty.status, empty.body.error.code]).toEqual([400, "invalid_input"]);
    // A device with no session left can still hold the second factor: resetting it alone is allowed.
    const factorsOnly = await admin.post(`/api/v1/workspace/members/${user.id}/lost-device`, { requireMfaReenrolment: true });
    expect(factorsOnly.status, factorsOnly.text).toBe(200);
    expect(factorsOnly.body).toMatchObject({ sessionsEnded: 0, authenticatorAppRemoved: true });
    const stranger = await buildUser(services);
    expect((await admin.get(`/api/v1/workspace/members/${stranger.id}/sessions`)).status).toBe(404);
    // Another person's session id in the list ends nothing of theirs.
    const res = await admin.post(`/api/v1/workspace/members/${user.id}/lost-device`, { sessionIds: [ownerSessions[0].id], requireMfaReenrolment: false });
    expect(res.body.sessionsEnded).toBe(0);
    expect((await (await signedInClient(app, people.owner)).get("/api/v1/me")).status).toBe(200);
    expect((await auditSince(services, before)).map((e) => e.action).filter((a) => a !== "user.signed_in")).toEqual(["member.device_secured", "member.device_secured"]);
  });
});
