import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, describeSettings, loadConfig } from "./config";

/** The ConfigError `loadConfig` throws for `env` (fails the test if it does not throw one). */
function problemsOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("loadConfig accepted the settings");
}

describe("loadConfig", () => {
  it("lists every problem at once: several bad settings give one ConfigError naming them all, with how to fix each", () => {
    const error = problemsOf({
      PORT: "eighty",
      DATABASE_URL: "mysql://db/parapet",
      SMTP_URL: "mail.example.test",
      LOGIN_MAX_FAILURES: "0",
      LOG_LEVEL: "chatty",
      TRUST_PROXY: "maybe",
    });

    expect(error.problems).toHaveLength(6);
    const names = error.problems.map((p) => p.split("=")[0]);
    expect(names.sort()).toEqual(["DATABASE_URL", "LOGIN_MAX_FAILURES", "LOG_LEVEL", "PORT", "SMTP_URL", "TRUST_PROXY"]);
    for (const name of names) expect(error.message).toContain(name);
    expect(error.problems.find((p) => p.startsWith("DATABASE_URL"))).toContain("must start with postgres:// or postgresql://");
    // Each problem carries the setting's documentation, so the operator knows what a right value looks like.
    expect(error.problems.find((p) => p.startsWith("SMTP_URL"))).toContain("smtp://user:pass@mail.example.com:587");
    expect(error.message).toMatch(/^Parapet cannot start; fix these settings:\n/);
  });

  it("never repeats the value of a setting that holds a secret in its complaint", () => {
    const error = problemsOf({
      DATABASE_URL: "mysql://parapet:db-password-321@db/parapet",
      SMTP_URL: "smtp+starttls://mailer:smtp-password-789@mail.example.test",
      PARAPET_SECRET_KEY: "dG9vLXNob3J0LWtleQ==",
      PARAPET_DEMO_PASSWORD: "tiny-pw",
    });

    expect(error.problems).toHaveLength(4);
    for (const secret of ["db-password-321", "smtp-password-789", "dG9vLXNob3J0LWtleQ==", "tiny-pw"]) expect(error.message).not.toContain(secret);
    expect(error.problems.find((p) => p.startsWith("PARAPET_DEMO_PASSWORD"))).toContain("must be at least 10 characters");
  });

  it("repeats the value of an ordinary setting, so a typo is easy to spot", () => {
    expect(problemsOf({ PORT: "30oo" }).problems[0]).toContain('PORT="30oo"');
  });

  it("has a working default for every setting", () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      publicUrl: "http://localhost:3000",
      secureCookies: false,
      dataDir: path.resolve("./data"),
      databaseUrl: undefined,
      secretKey: undefined,
      services: ["web", "worker"],
      demo: { enabled: true, email: "admin@demo.parapet.local", password: undefined },
      smtpUrl: undefined,
      mailFrom: "Parapet <parapet@localhost>",
      session: { idleMinutes: 720, maxHours: 168 },
      login: { maxFailures: 5, lockoutMinutes: 15, ratePerMinute: 20 },
      trustProxy: false,
      logLevel: "info",
      isTest: false,
    });
  });

  it("treats an unset or empty DATABASE_URL as the embedded database, not as an error", () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: "postgresql://parapet@db:5432/parapet" }).databaseUrl).toBe("postgresql://parapet@db:5432/parapet");
  });

  it("treats any empty setting as unset", () => {
    expect(loadConfig({ PORT: "", LOG_LEVEL: "", TRUST_PROXY: "" })).toMatchObject({ port: 3000, logLevel: "info", trustProxy: false });
  });

  it("derives the public URL from PORT, drops a trailing slash, and turns on Secure cookies for https only", () => {
    expect(loadConfig({ PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    expect(loadConfig({ PARAPET_PUBLIC_URL: "https://parapet.example.test/" })).toMatchObject({ publicUrl: "https://parapet.example.test", secureCookies: true });
    expect(loadConfig({ PARAPET_PUBLIC_URL: "http://parapet.example.test" }).secureCookies).toBe(false);
  });

  it("accepts only an http or https public URL (it goes into mailed links)", () => {
    expect(problemsOf({ PARAPET_PUBLIC_URL: "parapet.example.test" }).problems[0]).toMatch(/^PARAPET_PUBLIC_URL=/);
    expect(problemsOf({ PARAPET_PUBLIC_URL: "ftp://parapet.example.test" }).problems[0]).toMatch(/^PARAPET_PUBLIC_URL=/);
  });

  it("reads yes/no settings in their usual spellings", () => {
    for (const yes of ["true", "1", "yes"]) expect(loadConfig({ TRUST_PROXY: yes }).trustProxy).toBe(true);
    for (const no of ["false", "0", "no"]) expect(loadConfig({ PARAPET_DEMO: no }).demo.enabled).toBe(false);
  });

  it("reads PARAPET_SERVICES as a list without repeats and refuses unknown services", () => {
    expect(loadConfig({ PARAPET_SERVICES: "web" }).services).toEqual(["web"]);
    expect(loadConfig({ PARAPET_SERVICES: "worker,web,worker" }).services).toEqual(["worker", "web"]);
    expect(problemsOf({ PARAPET_SERVICES: "web,mail" }).problems[0]).toMatch(/^PARAPET_SERVICES=/);
  });

  it("accepts a 32-byte base64 secret key and refuses any other length", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(loadConfig({ PARAPET_SECRET_KEY: key }).secretKey).toBe(key);
    expect(problemsOf({ PARAPET_SECRET_KEY: Buffer.alloc(16, 7).toString("base64") }).problems[0]).toContain("must be 32 bytes");
  });

  it("enforces the floors of the security settings", () => {
    const error = problemsOf({ SESSION_IDLE_MINUTES: "1", SESSION_MAX_HOURS: "0", LOGIN_LOCKOUT_MINUTES: "0", LOGIN_RATE_PER_MINUTE: "0" });
    expect(error.problems.map((p) => p.split("=")[0]).sort()).toEqual(["LOGIN_LOCKOUT_MINUTES", "LOGIN_RATE_PER_MINUTE", "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS"]);
  });

  it("allows PORT=0 (any free port) and knows when it runs under the test runner", () => {
    expect(loadConfig({ PORT: "0", NODE_ENV: "test" })).toMatchObject({ port: 0, isTest: true });
  });

  it("documents every setting with a default and a meaning", () => {
    const settings = describeSettings();
    expect(settings.length).toBeGreaterThanOrEqual(20);
    for (const setting of settings) {
      expect(setting.name).toMatch(/^[A-Z_]+$/);
      expect(setting.doc.length, setting.name).toBeGreaterThan(10);
    }
  });
});
