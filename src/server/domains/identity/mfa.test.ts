import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { createApp } from "../../http/app";
import { recoveryCodes, users } from "./identity.schema";
import { totpCode } from "./index";
import { describeEachDatabase } from "../../../../test/support/databases";
import { PASSWORD, buildWorkspace } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";

const MAX_FAILURES = 5;
const TOTP_STEP_MS = 30_000;

describeEachDatabase("two-factor authentication", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Awaited<ReturnType<typeof buildWorkspace>>["people"];

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000", LOGIN_MAX_FAILURES: String(MAX_FAILURES) });
    app = createApp(services);
    ({ people } = await buildWorkspace(services));
  });
  afterAll(() => services.close());

  const now = () => services.clock();
  /** The next 30-second step, so a fresh code is not refused as a replay of the one just used. */
  const nextStep = () => services.clock.advance(TOTP_STEP_MS);
  const signIn = async (user: { email: string }, password = PASSWORD) => {
    const client = httpClient(app);
    const res = await client.post("/api/v1/auth/sign-in", { email: user.email, password });
    return { client, res };
  };
  const auditOf = (action: string, userId: string) =>
    services.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, userId))).orderBy(asc(auditEvents.seq));
  const userRow = async (id: string) => (await services.database.db.select().from(users).where(eq(users.id, id)))[0];
  /** Sets up MFA through the API like a person with an authenticator app would. */
  const enrol = async (client: HttpClient) => {
    const setup = await client.post("/api/v1/me/mfa/setup");
    expect(setup.status).toBe(200);
    const confirm = await client.post("/api/v1/me/mfa/confirm", { code: totpCode(setup.body.secret, now()) });
    expect(confirm.status).toBe(200);
    return { secret: setup.body.secret as string, recoveryCodes: confirm.body.recoveryCodes as string[] };
  };
  /** A fresh member of the shared workspace, signed in, with MFA enrolled. */
  const enrolledMember = async () => {
    const { people: team } = await buildWorkspace(services);
    const { client } = await signIn(team.member);
    const enrolled = await enrol(client);
    nextStep();
    return { user: team.member, ...enrolled };
  };

  it("enrols: setup gives a secret and QR code, a current code confirms it and ten recovery codes come back once", async () => {
    const user = people.manager;
    const { client } = await signIn(user);

    const setup = await client.post("/api/v1/me/mfa/setup");
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(setup.body.otpauthUrl).toContain(`secret=${setup.body.secret}`);
    expect(setup.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

    const confirm = await client.post("/api/v1/me/mfa/confirm", { code: totpCode(setup.body.secret, now()) });

    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirm.body.recoveryCodes).size).toBe(10);
    expect((await client.get("/api/v1/me")).body.user.mfaEnabled).toBe(true);
    expect(await auditOf("mfa.enrolment_started", user.id)).toHaveLength(1);
    expect(await auditOf("mfa.enrolled", user.id)).toHaveLength(1);
    const stored = await services.database.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(stored).toHaveLength(10);
    for (const code of confirm.body.recoveryCodes) expect(JSON.stringify(stored)).not.toContain(code);
    // The enrolling session has just proven the second factor: it stays usable.
    expect((await client.get("/api/v1/workspace/members")).status).toBe(200);
  });

  it("stores the secret sealed: the users row never holds the base32 secret", async () => {
    const { user, secret } = await enrolledMember();
    const row = await userRow(user.id);
    expect(row.mfaSecret).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(row.mfaSecret).not.toContain(secret);
    expect(row.mfaPendingSecret).toBeNull();
    const [raw] = await services.database.query<{ mfa_secret: string }>(`select mfa_secret from users where id = '${user.id}'`);
    expect(raw.mfa_secret).not.toContain(secret);
    expect(services.secrets.open(raw.mfa_secret)).toBe(secret);
  });

  it("refuses to confirm enrolment with a wrong code and leaves MFA off", async () => {
    const { people: team } = await buildWorkspace(services);
    const { client } = await signIn(team.member);
    await client.post("/api/v1/me/mfa/setup");

    const res = await client.post("/api/v1/me/mfa/confirm", { code: "000000" });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_mfa_code");
    expect((await userRow(team.member.id)).mfaEnabledAt).toBeNull();
  });

  it("asks for the code at the next sign-in: /me shows mfa_challenge and product routes answer 403 mfa_required until it is given", async () => {
    const { user, secret } = await enrolledMember();
    const { client, res } = await signIn(user);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "mfa_required" });
    const me = await client.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body.state).toBe("mfa_challenge");
    for (const path of ["/api/v1/workspace/members", "/api/v1/workspace", "/api/v1/me/sessions", "/api/v1/me/api-tokens"]) {
      const refused = await client.get(path);
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.code, path).toBe("mfa_required");
    }
    expect((await client.post("/api/v1/me/mfa/setup")).status).toBe(403);
    const signedInBefore = (await auditOf("user.signed_in", user.id)).length;

    const verify = await client.post("/api/v1/auth/mfa/verify", { code: totpCode(secret, now()) });

    expect(verify.status).toBe(200);
    expect(verify.body).toEqual({ status: "signed_in" });
    expect((await client.get("/api/v1/me")).body.state).toBe("active");
    expect((await client.get("/api/v1/workspace/members")).status).toBe(200);
    const signedIn = await auditOf("user.signed_in", user.id);
    expect(signedIn).toHaveLength(signedInBefore + 1);
    expect(signedIn.at(-1)!.data).toEqual({ userId: user.id, mfa: true });
    expect((await auditOf("mfa.challenge_passed", user.id)).at(-1)!.data).toEqual({ userId: user.id, method: "totp" });
  });

  it("refuses a wrong code with 400 invalid_mfa_code and audits mfa.challenge_failed", async () => {
    const { user } = await enrolledMember();
    const { client } = await signIn(user);

    const res = await client.post("/api/v1/auth/mfa/verify", { code: "123456" });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_mfa_code");
    expect(await auditOf("mfa.challenge_failed", user.id)).toHaveLength(1);
    expect((await client.get("/api/v1/me")).body.state).toBe("mfa_challenge");
  });

  it("accepts a TOTP code once: the same code replayed in another session is refused", async () => {
    const { user, secret } = await enrolledMember();
    const code = totpCode(secret, now());
    const first = await signIn(user);
    const second = await signIn(user);

    expect((await first.client.post("/api/v1/auth/mfa/verify", { code })).status).toBe(200);
    const replay = await second.client.post("/api/v1/auth/mfa/verify", { code });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe("invalid_mfa_code");

    nextStep();
    expect((await second.client.post("/api/v1/auth/mfa/verify", { code: totpCode(secret, now()) })).status).toBe(200);
  });

  it("accepts a recovery code once only", async () => {
    const { user, recoveryCodes: codes } = await enrolledMember();
    const first = await signIn(user);

    const res = await first.client.post("/api/v1/auth/mfa/verify", { code: codes[3].toUpperCase() });

    expect(res.status).toBe(200);
    expect((await auditOf("mfa.challenge_passed", user.id)).at(-1)!.data).toEqual({ userId: user.id, method: "recovery_code", recoveryCodesLeft: 9 });
    const second = await signIn(user);
    const again = await second.client.post("/api/v1/auth/mfa/verify", { code: codes[3] });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("invalid_mfa_code");
    expect((await second.client.post("/api/v1/auth/mfa/verify", { code: codes[4] })).status).toBe(200);
  });

  it("replaces the recovery codes on request: the old ones stop working", async () => {
    const { user, secret, recoveryCodes: old } = await enrolledMember();
    const { client } = await signIn(user);
    await client.post("/api/v1/auth/mfa/verify", { code: totpCode(secret, now()) });

    const fresh = await client.post("/api/v1/me/mfa/recovery-codes");

    expect(fresh.status).toBe(200);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    const next = await signIn(user);
    expect((await next.client.post("/api/v1/auth/mfa/verify", { code: old[0] })).status).toBe(400);
    expect((await next.client.post("/api/v1/auth/mfa/verify", { code: fresh.body.recoveryCodes[0] })).status).toBe(200);
  });

  it(`counts wrong codes like wrong passwords: after ${MAX_FAILURES} in a row the account locks and the half-signed-in session ends`, async () => {
    const { user, secret } = await enrolledMember();
    const { client } = await signIn(user);

    for (let i = 1; i < MAX_FAILURES; i++) expect((await client.post("/api/v1/auth/mfa/verify", { code: String(100000 + i) })).status).toBe(400);
    const last = await client.post("/api/v1/auth/mfa/verify", { code: "999999" });

    expect(last.status).toBe(423);
    expect(last.body.error.code).toBe("account_locked");
    expect(await auditOf("user.locked_out", user.id)).toHaveLength(1);
    expect((await client.get("/api/v1/me")).status).toBe(401);
    expect((await client.post("/api/v1/auth/mfa/verify", { code: totpCode(secret, now()) })).status).toBe(401);
    expect((await signIn(user)).res.status).toBe(423);
  });

  it("does not let a correct password reset the count of wrong codes", async () => {
    const { user } = await enrolledMember();
    const guesses = [];
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      // An attacker who knows the password signs in again before every guess.
      const { client } = await signIn(user);
      guesses.push((await client.post("/api/v1/auth/mfa/verify", { code: String(200000 + attempt) })).status);
    }
    expect(guesses.at(-1)).toBe(423);
  });

  it("clears the count of wrong codes once the right code is given", async () => {
    const { user, secret } = await enrolledMember();
    const { client } = await signIn(user);
    for (let i = 1; i < MAX_FAILURES; i++) await client.post("/api/v1/auth/mfa/verify", { code: String(300000 + i) });
    expect((await client.post("/api/v1/auth/mfa/verify", { code: totpCode(secret, now()) })).status).toBe(200);
    expect((await userRow(user.id)).failedLogins).toBe(0);
  });

  it("turns MFA off only with the password and a current, unused code", async () => {
    const { user, secret } = await enrolledMember();
    const { client } = await signIn(user);
    const usedCode = totpCode(secret, now());
    await client.post("/api/v1/auth/mfa/verify", { code: usedCode });

    const wrongPassword = await client.post("/api/v1/me/mfa/disable", { password: "not-the-password", code: totpCode(secret, now()) });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.error.code).toBe("wrong_password");
    const wrongCode = await client.post("/api/v1/me/mfa/disable", { password: PASSWORD, code: "000000" });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body.error.code).toBe("invalid_mfa_code");
    const replayed = await client.post("/api/v1/me/mfa/disable", { password: PASSWORD, code: usedCode });
    expect(replayed.status).toBe(400);
    expect(replayed.body.error.code).toBe("invalid_mfa_code");
    expect((await userRow(user.id)).mfaEnabledAt).not.toBeNull();

    nextStep();
    const disabled = await client.post("/api/v1/me/mfa/disable", { password: PASSWORD, code: totpCode(secret, now()) });

    expect(disabled.status).toBe(204);
    expect(await userRow(user.id)).toMatchObject({ mfaSecret: null, mfaEnabledAt: null });
    expect(await services.database.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toEqual([]);
    expect(await auditOf("mfa.disabled", user.id)).toHaveLength(1);
    expect((await signIn(user)).res.body).toEqual({ status: "signed_in" });
  });

  it("with requireMfa, members without MFA are held at mfa_enrolment_required (403 mfa_enrolment_required) until they enrol", async () => {
    const { people: team } = await buildWorkspace(services);
    const owner = await signIn(team.owner);
    const member = await signIn(team.member);
    const token = await member.client.post("/api/v1/me/api-tokens", { name: "script", scopes: ["members:read"], expiresInDays: 30 });
    expect(token.status).toBe(200);

    const turnedOn = await owner.client.patch("/api/v1/workspace", { requireMfa: true });

    expect(turnedOn.status).toBe(200);
    expect(turnedOn.body.requireMfa).toBe(true);
    const me = await member.client.get("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body.state).toBe("mfa_enrolment_required");
    for (const client of [member.client, httpClient(app, { bearer: token.body.token })]) {
      const refused = await client.get("/api/v1/workspace/members");
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("mfa_enrolment_required");
    }

    await enrol(member.client);

    expect((await member.client.get("/api/v1/me")).body.state).toBe("active");
    expect((await member.client.get("/api/v1/workspace/members")).status).toBe(200);
    expect((await httpClient(app, { bearer: token.body.token }).get("/api/v1/workspace/members")).status).toBe(200);
  });
});
