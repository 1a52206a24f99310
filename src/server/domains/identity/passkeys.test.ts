import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { createApp } from "../../http/app";
import { workspaces } from "../workspaces/workspaces.schema";
import { ssoProviders } from "../sso/sso.schema";
import { recoveryCodes, users } from "./identity.schema";
import { passkeyChallenges, passkeys } from "./passkeys.schema";
import { totpCode } from "./index";
import { describeEachDatabase } from "../../../../test/support/databases";
import { PASSWORD, buildWorkspace } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { softwareAuthenticator, type SoftwareCredential } from "../../../../test/support/software-authenticator";

const MAX_FAILURES = 4;

describeEachDatabase("passkeys", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let origin: string;
  let authenticator: ReturnType<typeof softwareAuthenticator>;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000", LOGIN_MAX_FAILURES: String(MAX_FAILURES) });
    app = createApp(services);
    origin = new URL(services.config.publicUrl).origin;
    authenticator = softwareAuthenticator({ origin });
  });
  afterAll(() => services.close());

  const db = () => services.database.db;
  const auditOf = (action: string, userId: string) =>
    db().select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, userId))).orderBy(asc(auditEvents.seq));
  const userRow = async (id: string) => (await db().select().from(users).where(eq(users.id, id)))[0];
  const passkeyRows = (userId: string) => db().select().from(passkeys).where(eq(passkeys.userId, userId));

  const signInWithPassword = async (user: { email: string }) => {
    const client = httpClient(app);
    const res = await client.post("/api/v1/auth/sign-in", { email: user.email, password: PASSWORD });
    return { client, res };
  };
  /** Registers a passkey through the API as the Security page does; returns the authenticator's credential. */
  const register = async (client: HttpClient, name = "Work laptop"): Promise<{ credential: SoftwareCredential; passkeyId: string }> => {
    const options = await client.post("/api/v1/me/passkeys/options");
    expect(options.status, options.text).toBe(200);
    const { credential, answer } = authenticator.create(options.body.options);
    const registered = await client.post("/api/v1/me/passkeys", { name, answer });
    expect(registered.status, registered.text).toBe(200);
    return { credential, passkeyId: registered.body.passkey.id };
  };
  /** A fresh member with one passkey (and no authenticator app). */
  const memberWithPasskey = async () => {
    const { people, workspace } = await buildWorkspace(services);
    const { client } = await signInWithPassword(people.member);
    const { credential, passkeyId } = await register(client);
    return { user: people.member, workspace, credential, passkeyId, client };
  };
  /** Asks for passwordless options and answers them with `credential` (tweaks play a misbehaving browser). */
  const passwordless = async (credential: SoftwareCredential, tweaks: Parameters<typeof authenticator.get>[2] = {}, client = httpClient(app)) => {
    const options = await client.post("/api/v1/auth/passkey/options");
    expect(options.status, options.text).toBe(200);
    const answer = authenticator.get(options.body.options, credential, tweaks);
    const res = await client.post("/api/v1/auth/passkey/sign-in", { answer });
    return { client, res, answer };
  };

  it("registers a passkey with a real attestation: listed by name with created and last used, audited, only public key material stored", async () => {
    const { people } = await buildWorkspace(services);
    const { client } = await signInWithPassword(people.manager);

    const options = await client.post("/api/v1/me/passkeys/options");
    expect(options.status).toBe(200);
    expect(options.body.options.rp).toEqual({ name: "Parapet", id: "localhost" });
    expect(options.body.options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    const { credential, answer } = authenticator.create(options.body.options);
    const registered = await client.post("/api/v1/me/passkeys", { name: "  Work laptop ", answer });

    expect(registered.status, registered.text).toBe(200);
    expect(registered.body.passkey).toMatchObject({ name: "Work laptop", lastUsedAt: null });
    // Their only second factor: ten recovery codes come with it, once.
    expect(registered.body.recoveryCodes).toHaveLength(10);
    const list = await client.get("/api/v1/me/passkeys");
    expect(list.body.passkeys).toEqual([registered.body.passkey]);
    expect(list.text).not.toContain(credential.id);
    const [row] = await passkeyRows(people.manager.id);
    expect(row.credentialId).toBe(credential.id);
    expect(row.counter).toBe(0);
    expect(row.transports).toEqual(["internal"]);
    const events = await auditOf("passkey.registered", people.manager.id);
    expect(events.map((e) => e.data)).toEqual([{ userId: people.manager.id, passkeyId: row.id, name: "Work laptop", recoveryCodesIssued: true }]);
    // The challenge was used up.
    expect(await db().select().from(passkeyChallenges).where(eq(passkeyChallenges.challenge, options.body.options.challenge))).toEqual([]);
  });

  it("refuses a registration answer replayed against its used-up challenge (passkey_challenge_invalid)", async () => {
    const { people } = await buildWorkspace(services);
    const { client } = await signInWithPassword(people.member);
    const options = await client.post("/api/v1/me/passkeys/options");
    const { answer } = authenticator.create(options.body.options);
    expect((await client.post("/api/v1/me/passkeys", { name: "Phone", answer })).status).toBe(200);

    const replay = await client.post("/api/v1/me/passkeys", { name: "Phone again", answer });

    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe("passkey_challenge_invalid");
    expect(await passkeyRows(people.member.id)).toHaveLength(1);
  });

  it("refuses a registration made for another origin or without user verification, and uses the challenge up anyway", async () => {
    const { people } = await buildWorkspace(services);
    const { client } = await signInWithPassword(people.member);

    for (const tweaks of [{ origin: "https://evil.example" }, { userVerified: false }, { rpId: "evil.example" }]) {
      const options = await client.post("/api/v1/me/passkeys/options");
      const { answer } = authenticator.create(options.body.options, tweaks);
      const refused = await client.post("/api/v1/me/passkeys", { name: "Phone", answer });
      expect(refused.status, JSON.stringify(tweaks)).toBe(400);
      expect(refused.body.error.code, JSON.stringify(tweaks)).toBe("passkey_refused");
      const again = await client.post("/api/v1/me/passkeys", { name: "Phone", answer: authenticator.create(options.body.options).answer });
      expect(again.body.error.code, "the challenge is spent").toBe("passkey_challenge_invalid");
    }
    expect(await passkeyRows(people.member.id)).toEqual([]);
  });

  it("refuses a registration answer from another session than the one that asked for the options", async () => {
    const { people } = await buildWorkspace(services);
    const first = await signInWithPassword(people.member);
    const second = await signInWithPassword(people.member);
    const options = await first.client.post("/api/v1/me/passkeys/options");

    const res = await second.client.post("/api/v1/me/passkeys", { name: "Phone", answer: authenticator.create(options.body.options).answer });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("passkey_challenge_invalid");
  });

  it("refuses an expired challenge (5 minutes)", async () => {
    const { people } = await buildWorkspace(services);
    const { client } = await signInWithPassword(people.member);
    const options = await client.post("/api/v1/me/passkeys/options");
    services.clock.advance(5 * 60_000 + 1);

    const res = await client.post("/api/v1/me/passkeys", { name: "Phone", answer: authenticator.create(options.body.options).answer });

    expect(res.body.error.code).toBe("passkey_challenge_invalid");
  });

  it("signs in with a passkey alone: the session is complete (both factors), audited, last use and counter stored", async () => {
    const { user, credential, passkeyId } = await memberWithPasskey();

    const { client, res } = await passwordless(credential);

    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: "signed_in" });
    const me = await client.get("/api/v1/me");
    expect(me.body.state).toBe("active");
    expect(me.body.user.id).toBe(user.id);
    expect((await client.get("/api/v1/workspace/members")).status).toBe(200);
    expect((await auditOf("passkey.signed_in", user.id)).map((e) => e.data)).toEqual([{ userId: user.id, passkeyId }]);
    expect((await auditOf("user.signed_in", user.id)).at(-1)!.data).toEqual({ userId: user.id, mfa: true });
    const [row] = await passkeyRows(user.id);
    expect(row.counter).toBe(credential.counter);
    expect(row.lastUsedAt).not.toBeNull();
    expect((await client.get("/api/v1/me/passkeys")).body.passkeys[0].lastUsedAt).toBe(row.lastUsedAt!.toISOString());
  });

  it("refuses a passwordless answer replayed against its used-up challenge", async () => {
    const { credential } = await memberWithPasskey();
    const { res, answer } = await passwordless(credential);
    expect(res.status).toBe(200);

    const replay = await httpClient(app).post("/api/v1/auth/passkey/sign-in", { answer });

    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe("passkey_challenge_invalid");
  });

  it("refuses an answer signed for another origin, and counts it against the account", async () => {
    const { user, credential } = await memberWithPasskey();

    const { client, res } = await passwordless(credential, { origin: "http://localhost.evil.example" });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("passkey_refused");
    expect((await client.get("/api/v1/me")).status).toBe(401);
    expect((await userRow(user.id)).failedLogins).toBe(1);
    expect((await auditOf("passkey.sign_in_failed", user.id)).at(-1)!.data).toMatchObject({ reason: "refused", userId: user.id });
  });

  it("refuses a signature counter that went backwards (a cloned authenticator)", async () => {
    const { credential } = await memberWithPasskey();
    expect((await passwordless(credential, { counter: 10 })).res.status).toBe(200);

    const { res } = await passwordless(credential, { counter: 7 });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("passkey_refused");
    expect((await passwordless(credential, { counter: 11 })).res.status).toBe(200);
  });

  it("refuses a passkey without user verification for passwordless sign-in (it would be one factor)", async () => {
    const { credential } = await memberWithPasskey();

    const { res } = await passwordless(credential, { userVerified: false });

    expect(res.body.error.code).toBe("passkey_refused");
  });

  it("removes a passkey only with the password or a current code; a removed passkey cannot sign in", async () => {
    const { user, credential, passkeyId, client } = await memberWithPasskey();

    const nothing = await client.post(`/api/v1/me/passkeys/${passkeyId}/remove`, {});
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.code).toBe("invalid_input");
    const wrong = await client.post(`/api/v1/me/passkeys/${passkeyId}/remove`, { password: "not-my-password" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("wrong_password");
    expect((await userRow(user.id)).failedLogins).toBe(1);
    const badCode = await client.post(`/api/v1/me/passkeys/${passkeyId}/remove`, { code: "123456" });
    expect(badCode.body.error.code).toBe("invalid_mfa_code");
    expect(await passkeyRows(user.id)).toHaveLength(1);
    const someoneElses = await (await signInWithPassword((await buildWorkspace(services)).people.member)).client.post(`/api/v1/me/passkeys/${passkeyId}/remove`, { password: PASSWORD });
    expect(someoneElses.status).toBe(404);

    const removed = await client.post(`/api/v1/me/passkeys/${passkeyId}/remove`, { password: PASSWORD });

    expect(removed.status).toBe(204);
    expect(await passkeyRows(user.id)).toEqual([]);
    // The recovery codes that stood in for the passkey go with it.
    expect(await db().select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toEqual([]);
    expect((await auditOf("passkey.removed", user.id)).map((e) => e.data)).toEqual([{ userId: user.id, passkeyId, name: "Work laptop", confirmedWith: "password" }]);
    const { res } = await passwordless(credential);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("passkey_refused");
    // Without a passkey the password alone signs in again.
    expect((await signInWithPassword(user)).res.body).toEqual({ status: "signed_in" });
  });

  it("removes a passkey with a current authenticator code instead of the password", async () => {
    const { user, passkeyId, client } = await memberWithPasskey();
    const setup = await client.post("/api/v1/me/mfa/setup");
    await client.post("/api/v1/me/mfa/confirm", { code: totpCode(setup.body.secret, services.clock()) });
    services.clock.advance(30_000);

    const removed = await client.post(`/api/v1/me/passkeys/${passkeyId}/remove`, { code: totpCode(setup.body.secret, services.clock()) });

    expect(removed.status, removed.text).toBe(204);
    expect((await auditOf("passkey.removed", user.id)).at(-1)!.data).toMatchObject({ confirmedWith: "totp" });
  });

  it("removes a passkey confirmed with a passkey (for people without a password), refusing a bad answer", async () => {
    const { user, credential, client } = await memberWithPasskey();
    const { passkeyId: secondId } = await register(client, "Security key");
    const confirm = async (tweaks: Parameters<typeof authenticator.get>[2] = {}) => {
      const options = await client.post("/api/v1/auth/mfa/passkey/options");
      return client.post(`/api/v1/me/passkeys/${secondId}/remove`, { answer: authenticator.get(options.body.options, credential, tweaks) });
    };

    const refused = await confirm({ origin: "https://evil.example" });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("passkey_refused");
    expect((await userRow(user.id)).failedLogins).toBe(1);
    expect(await passkeyRows(user.id)).toHaveLength(2);

    const removed = await confirm();

    expect(removed.status, removed.text).toBe(204);
    expect((await passkeyRows(user.id)).map((p) => p.name)).toEqual(["Work laptop"]);
    expect((await auditOf("passkey.removed", user.id)).at(-1)!.data).toMatchObject({ passkeyId: secondId, confirmedWith: "passkey" });
  });

  it("refuses a disabled person, and a locked account, even with their passkey", async () => {
    const disabled = await memberWithPasskey();
    await db().update(users).set({ disabledAt: services.clock() }).where(eq(users.id, disabled.user.id));
    const refused = await passwordless(disabled.credential);
    expect(refused.res.status).toBe(403);
    expect(refused.res.body.error.code).toBe("account_disabled");
    expect((await refused.client.get("/api/v1/me")).status).toBe(401);

    const locked = await memberWithPasskey();
    for (let i = 0; i < MAX_FAILURES - 1; i++) expect((await passwordless(locked.credential, { origin: "https://evil.example" })).res.body.error.code).toBe("passkey_refused");
    const last = await passwordless(locked.credential, { origin: "https://evil.example" });
    expect(last.res.status).toBe(423);
    expect(last.res.body.error.code).toBe("account_locked");
    const evenRight = await passwordless(locked.credential);
    expect(evenRight.res.status).toBe(423);
    expect((await auditOf("passkey.sign_in_failed", locked.user.id)).at(-1)!.data).toMatchObject({ reason: "locked" });
    services.clock.advance(16 * 60_000);
    expect((await passwordless(locked.credential)).res.status).toBe(200);
  });

  it("refuses a passkey nobody registered here", async () => {
    const stranger = authenticator.create({ challenge: "x", rp: { id: "localhost" }, user: { id: "AAAA" } }).credential;

    const { res } = await passwordless(stranger);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("passkey_refused");
  });

  it("as a second factor: a person with only a passkey is asked for it after the password, and it completes the sign-in", async () => {
    const { user, credential, passkeyId } = await memberWithPasskey();
    const { client, res } = await signInWithPassword(user);
    expect(res.body).toEqual({ status: "mfa_required" });
    expect((await client.get("/api/v1/me")).body.state).toBe("mfa_challenge");
    expect((await client.post("/api/v1/me/passkeys/options")).status).toBe(403);
    expect((await client.get("/api/v1/auth/mfa/methods")).body).toEqual({ totp: false, passkey: true, recoveryCodes: true });

    const options = await client.post("/api/v1/auth/mfa/passkey/options");
    expect(options.status).toBe(200);
    expect(options.body.options.allowCredentials).toEqual([{ id: credential.id, type: "public-key", transports: ["internal"] }]);
    const verify = await client.post("/api/v1/auth/mfa/passkey/verify", { answer: authenticator.get(options.body.options, credential) });

    expect(verify.status, verify.text).toBe(200);
    expect(verify.body).toEqual({ status: "signed_in" });
    expect((await client.get("/api/v1/me")).body.state).toBe("active");
    expect((await auditOf("mfa.challenge_passed", user.id)).at(-1)!.data).toEqual({ userId: user.id, method: "passkey", passkeyId });
  });

  it("as a second factor: a refused or replayed answer counts like a wrong code and does not finish the sign-in", async () => {
    const { user, credential } = await memberWithPasskey();
    const { client } = await signInWithPassword(user);
    const options = await client.post("/api/v1/auth/mfa/passkey/options");
    const bad = await client.post("/api/v1/auth/mfa/passkey/verify", { answer: authenticator.get(options.body.options, credential, { origin: "https://evil.example" }) });

    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("passkey_refused");
    expect((await userRow(user.id)).failedLogins).toBe(1);
    expect(await auditOf("mfa.challenge_failed", user.id)).toHaveLength(1);
    const replay = await client.post("/api/v1/auth/mfa/passkey/verify", { answer: authenticator.get(options.body.options, credential) });
    expect(replay.body.error.code).toBe("passkey_challenge_invalid");
    expect((await client.get("/api/v1/me")).body.state).toBe("mfa_challenge");
  });

  it("as a second factor: a challenge given to one half-signed-in session cannot be answered in another", async () => {
    const { user, credential } = await memberWithPasskey();
    const first = await signInWithPassword(user);
    const second = await signInWithPassword(user);
    const options = await first.client.post("/api/v1/auth/mfa/passkey/options");

    const res = await second.client.post("/api/v1/auth/mfa/passkey/verify", { answer: authenticator.get(options.body.options, credential) });

    expect(res.body.error.code).toBe("passkey_challenge_invalid");
    expect((await second.client.get("/api/v1/me")).body.state).toBe("mfa_challenge");
  });

  it("lets a person with only a passkey finish the MFA step with a recovery code (single use)", async () => {
    const { people } = await buildWorkspace(services);
    const { client } = await signInWithPassword(people.member);
    const options = await client.post("/api/v1/me/passkeys/options");
    const registered = await client.post("/api/v1/me/passkeys", { name: "Phone", answer: authenticator.create(options.body.options).answer });
    const codes = registered.body.recoveryCodes as string[];
    const second = await client.post("/api/v1/me/passkeys/options");
    const another = await client.post("/api/v1/me/passkeys", { name: "Key", answer: authenticator.create(second.body.options).answer });
    expect(another.body.recoveryCodes, "codes come once, with the first").toBeUndefined();

    const lost = await signInWithPassword(people.member);
    expect((await lost.client.get("/api/v1/auth/mfa/methods")).body).toEqual({ totp: false, passkey: true, recoveryCodes: true });
    const verify = await lost.client.post("/api/v1/auth/mfa/verify", { code: codes[0] });

    expect(verify.status, verify.text).toBe(200);
    expect((await lost.client.get("/api/v1/me")).body.state).toBe("active");
    expect((await auditOf("mfa.challenge_passed", people.member.id)).at(-1)!.data).toEqual({ userId: people.member.id, method: "recovery_code", recoveryCodesLeft: 9 });
    const again = await signInWithPassword(people.member);
    expect((await again.client.post("/api/v1/auth/mfa/verify", { code: codes[0] })).body.error.code).toBe("invalid_mfa_code");
  });

  it("gives no recovery codes with a passkey to someone who has an authenticator app", async () => {
    const { people } = await buildWorkspace(services);
    const { client } = await signInWithPassword(people.member);
    const setup = await client.post("/api/v1/me/mfa/setup");
    await client.post("/api/v1/me/mfa/confirm", { code: totpCode(setup.body.secret, services.clock()) });
    const options = await client.post("/api/v1/me/passkeys/options");

    const registered = await client.post("/api/v1/me/passkeys", { name: "Phone", answer: authenticator.create(options.body.options).answer });

    expect(registered.status).toBe(200);
    expect(registered.body.recoveryCodes).toBeUndefined();
  });

  it("refuses passkey sign-in to a member of a workspace that requires single sign-on, except its break-glass owner", async () => {
    const { people, workspace } = await buildWorkspace(services);
    const member = await register((await signInWithPassword(people.member)).client);
    const owner = await register((await signInWithPassword(people.owner)).client);
    await db().insert(ssoProviders).values({
      workspaceId: workspace.id, issuer: "https://idp.example.test", clientId: "parapet", clientSecret: "not-used-here",
      allowedDomains: ["example.test"], defaultRole: "member", ssoRequired: true, breakGlassUserId: people.owner.id,
    });

    const { res } = await passwordless(member.credential);

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("sso_required");
    expect((await auditOf("passkey.sign_in_failed", people.member.id)).at(-1)!.data).toMatchObject({ reason: "sso_required" });
    expect((await passwordless(owner.credential)).res.status).toBe(200);
  });

  it("asks a person with only a passkey for it after accepting an invitation with their password", async () => {
    const { user } = await memberWithPasskey();
    const { people } = await buildWorkspace(services);
    const owner = await signInWithPassword(people.owner);
    const invited = await owner.client.post("/api/v1/workspace/invitations", { email: user.email, role: "member" });
    expect(invited.status, invited.text).toBe(200);
    const token = new URL(invited.body.link).searchParams.get("token")!;
    const visitor = httpClient(app);

    const accepted = await visitor.post(`/api/v1/invitations/${token}/accept`, { password: PASSWORD });

    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toEqual({ status: "mfa_required" });
    expect((await visitor.get("/api/v1/me")).body.state).toBe("mfa_challenge");
  });

  it("keeps TOTP and recovery codes working next to a passkey", async () => {
    const { user, client } = await memberWithPasskey();
    const setup = await client.post("/api/v1/me/mfa/setup");
    const confirm = await client.post("/api/v1/me/mfa/confirm", { code: totpCode(setup.body.secret, services.clock()) });
    services.clock.advance(30_000);

    const withRecovery = await signInWithPassword(user);
    expect(withRecovery.res.body).toEqual({ status: "mfa_required" });
    expect((await withRecovery.client.post("/api/v1/auth/mfa/verify", { code: confirm.body.recoveryCodes[0] })).status).toBe(200);
    const withTotp = await signInWithPassword(user);
    expect((await withTotp.client.post("/api/v1/auth/mfa/verify", { code: totpCode(setup.body.secret, services.clock()) })).status).toBe(200);
  });

  it("counts as MFA for a workspace that requires it: a person with only a passkey is enrolled, and registering one enrols", async () => {
    const { user, workspace, credential } = await memberWithPasskey();
    await db().update(workspaces).set({ requireMfa: true }).where(eq(workspaces.id, workspace.id));
    const { client } = await passwordless(credential);
    expect((await client.get("/api/v1/me")).body.state).toBe("active");

    const { people, workspace: other } = await buildWorkspace(services);
    const member = people.member;
    await db().update(workspaces).set({ requireMfa: true }).where(eq(workspaces.id, other.id));
    const { client: newcomer } = await signInWithPassword(member);
    expect((await newcomer.get("/api/v1/me")).body.state).toBe("mfa_enrolment_required");
    expect((await newcomer.get("/api/v1/workspace/members")).body.error.code).toBe("mfa_enrolment_required");

    await register(newcomer, "Security key");

    expect((await newcomer.get("/api/v1/me")).body.state).toBe("active");
    expect((await newcomer.get("/api/v1/workspace/members")).status).toBe(200);
    expect(user.id).not.toBe(member.id);
  });

  it("keeps API tokens away from passkeys", async () => {
    const { client } = await memberWithPasskey();
    const token = await client.post("/api/v1/me/api-tokens", { name: "script", scopes: ["members:read"], expiresInDays: 1 });
    const api = httpClient(app, { bearer: token.body.token });

    for (const [method, path] of [["GET", "/api/v1/me/passkeys"], ["POST", "/api/v1/me/passkeys/options"]] as const) {
      expect((await api.request(method, path, method === "GET" ? undefined : {})).status, path).toBe(403);
    }
  });
});

describeEachDatabase("passkey sign-in throttling", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "3" });
    app = createApp(services);
  });
  afterAll(() => services.close());

  it("shares the per-IP sign-in budget with passwords: past it, passkey sign-in answers 429 rate_limited", async () => {
    const client = httpClient(app);
    const authenticator = softwareAuthenticator({ origin: new URL(services.config.publicUrl).origin });
    const stranger = authenticator.create({ challenge: "x", rp: { id: "localhost" }, user: { id: "AAAA" } }).credential;
    const statuses: number[] = [];
    let answer: ReturnType<typeof authenticator.get> | undefined;
    for (let i = 0; i < 3; i++) {
      const options = await client.post("/api/v1/auth/passkey/options");
      answer = authenticator.get(options.body.options, stranger);
      statuses.push((await client.post("/api/v1/auth/passkey/sign-in", { answer })).status);
    }
    const fourth = await client.post("/api/v1/auth/passkey/sign-in", { answer });
    statuses.push(fourth.status);

    expect(statuses).toEqual([400, 400, 400, 429]);
    expect(fourth.body.error.code).toBe("rate_limited");
    const limited = await client.post("/api/v1/auth/sign-in", { email: "nobody@example.test", password: PASSWORD });
    expect(limited.status).toBe(429);
  });
});
