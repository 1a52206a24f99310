import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./log";

/** A logger whose lines land in an array, exactly as pino would write them to stdout. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger("info", sink), lines, last: () => lines.at(-1)! };
}

const SECRETS = {
  password: "hunter2-correct-horse",
  newPassword: "new-secret-passphrase",
  token: "ppt_SeCrEtToKeNvAlUe0123456789",
  sessionToken: "sEsSiOnToKeN-abcdefghijklmnop",
  cookie: "parapet_session=cookie-secret-value-123",
  bearer: "Bearer ppt_bearer-secret-value-456",
  mfaCode: "492013",
  totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DP",
  recoveryCode: "k7pm-3xqa-9d",
  smtpUrl: "smtp://mailer:smtp-password-789@mail.example.test:587",
  databaseUrl: "postgres://parapet:db-password-321@db:5432/parapet",
  secretKey: "c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=",
};

describe("log redaction", () => {
  it("redacts the password of a sign-in request body", () => {
    const { log, last } = capturedLogger();
    log.info({ body: { email: "ada@example.test", password: SECRETS.password } }, "sign-in");
    expect(last()).toContain("[redacted]");
    expect(last()).toContain("ada@example.test");
    expect(last()).not.toContain(SECRETS.password);
  });

  it("redacts passwords, tokens and MFA codes at the top level and nested up to three levels", () => {
    const { log, lines } = capturedLogger();
    log.info({ password: SECRETS.password, token: SECRETS.token }, "top level");
    log.info({ input: { currentPassword: SECRETS.password, newPassword: SECRETS.newPassword, code: SECRETS.mfaCode } }, "nested");
    log.info({ request: { body: { password: SECRETS.password, token: SECRETS.token } } }, "deeper");
    log.info({ result: { ok: true, sessionToken: SECRETS.sessionToken } }, "sign-in result");
    for (const line of lines) {
      expect(line).toContain("[redacted]");
      for (const secret of Object.values(SECRETS)) expect(line).not.toContain(secret);
    }
  });

  it("redacts the cookie and authorization headers of requests and set-cookie of responses, wherever the headers sit", () => {
    const { log, lines } = capturedLogger();
    const headers = { authorization: SECRETS.bearer, cookie: SECRETS.cookie, "user-agent": "curl/8" };
    log.info({ req: { method: "GET", url: "/api/v1/me", headers } }, "pino-http style");
    log.info({ headers }, "bare headers");
    log.info({ request: { headers } }, "headers of a request object");
    log.info({ res: { statusCode: 200, headers: { "set-cookie": [SECRETS.cookie] } } }, "response");
    log.info({ response: { headers: { "set-cookie": SECRETS.cookie } } }, "another response");
    for (const line of lines) {
      expect(line).toContain("[redacted]");
      expect(line).not.toContain("cookie-secret-value");
      expect(line).not.toContain("bearer-secret-value");
    }
    expect(lines[0]).toContain("curl/8");
  });

  it("redacts MFA secrets, recovery codes and the settings that hold credentials", () => {
    const { log, lines } = capturedLogger();
    log.info({ secret: SECRETS.totpSecret, recoveryCodes: [SECRETS.recoveryCode] }, "mfa");
    log.info({ config: { smtpUrl: SECRETS.smtpUrl, databaseUrl: SECRETS.databaseUrl, secretKey: SECRETS.secretKey, port: 3000 } }, "config");
    log.info({ user: { email: "ada@example.test", passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", mfaSecret: "v1:sealed-secret-value" } }, "user row");
    for (const line of lines) {
      expect(line).toContain("[redacted]");
      for (const secret of [...Object.values(SECRETS), "$argon2id$", "sealed-secret-value"]) expect(line).not.toContain(secret);
    }
    expect(lines[1]).toContain('"port":3000');
  });

  it("keeps the rest of the line intact and parseable", () => {
    const { log, last } = capturedLogger();
    log.info({ requestId: "r-1", body: { email: "ada@example.test", password: SECRETS.password } }, "sign-in");
    const parsed = JSON.parse(last());
    expect(parsed).toMatchObject({ level: 30, service: "parapet", requestId: "r-1", msg: "sign-in", body: { email: "ada@example.test", password: "[redacted]" } });
  });

  it("writes nothing below the configured level", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger("warn", sink);
    log.info({ password: SECRETS.password }, "quiet");
    log.warn("loud");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("loud");
  });
});
