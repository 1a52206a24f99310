import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../http/app";
import { describeEachDatabase } from "../../../../test/support/databases";
import { PASSWORD, buildUser } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { totpCode } from "./totp";

const MAX_FAILURES = 3;

describeEachDatabase("the current password of a signed-in person", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000", LOGIN_MAX_FAILURES: String(MAX_FAILURES) });
    app = createApp(services);
  });
  afterAll(() => services.close());

  const signIn = async (email: string): Promise<HttpClient> => {
    const client = httpClient(app);
    expect((await client.post("/api/v1/auth/sign-in", { email, password: PASSWORD })).status).toBe(200);
    return client;
  };

  it("counts wrong guesses through the password change toward the lockout, then ends every session", async () => {
    const user = await buildUser(services);
    const stolen = await signIn(user.email);
    const other = await signIn(user.email);

    for (let i = 1; i < MAX_FAILURES; i++) {
      const res = await stolen.post("/api/v1/me/password", { currentPassword: `guess-${i}-guess`, newPassword: "a-brand-new-password" });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("wrong_password");
      expect(res.body.error.fields.currentPassword).toBeDefined();
    }
    const last = await stolen.post("/api/v1/me/password", { currentPassword: "last-guess-guess", newPassword: "a-brand-new-password" });

    expect(last.body.error.code).toBe("wrong_password");
    expect((await stolen.get("/api/v1/me")).status).toBe(401);
    expect((await other.get("/api/v1/me")).status).toBe(401);
    const again = await httpClient(app).post("/api/v1/auth/sign-in", { email: user.email, password: PASSWORD });
    expect(again.status).toBe(423);
    expect(again.body.error.code).toBe("account_locked");
  });

  it("puts a wrong password for turning MFA off under the `password` field it came from", async () => {
    const user = await buildUser(services);
    const client = await signIn(user.email);
    const setup = await client.post("/api/v1/me/mfa/setup");
    expect((await client.post("/api/v1/me/mfa/confirm", { code: totpCode(setup.body.secret, services.clock()) })).status).toBe(200);

    const res = await client.post("/api/v1/me/mfa/disable", { password: "not-my-password", code: "123456" });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("wrong_password");
    expect(Object.keys(res.body.error.fields)).toEqual(["password"]);
  });

  it("accepts an email typed with spaces around it", async () => {
    const user = await buildUser(services);
    const res = await httpClient(app).post("/api/v1/auth/sign-in", { email: `  ${user.email.toUpperCase()} `, password: PASSWORD });
    expect(res.status).toBe(200);
  });

  it("answers a truncated invitation or reset link with 410, like any other dead link", async () => {
    const client = httpClient(app);
    const invitation = await client.get("/api/v1/invitations/abc");
    expect(invitation.status).toBe(410);
    expect(invitation.body.error.code).toBe("invitation_invalid");
    const reset = await client.post("/api/v1/auth/password-reset/complete", { token: "abc", password: "a-brand-new-password" });
    expect(reset.status).toBe(410);
    expect(reset.body.error.code).toBe("invalid_reset_token");
  });
});
