import path from "node:path";
import { z } from "zod";

/**
 * The only reader of process.env. Every setting is listed here with its default and meaning;
 * `describeSettings()` feeds the README table and `parapet --help`, so they cannot drift apart.
 */
const boolean = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const settings = {
  PORT: { schema: z.coerce.number().int().min(0).max(65535), default: "3000", doc: "HTTP port of the web app and API (`0`: any free port)." },
  HOST: { schema: z.string().min(1), default: "127.0.0.1", doc: "Interface to listen on; `0.0.0.0` to accept connections from other hosts (e.g. in a container)." },
  PARAPET_PUBLIC_URL: {
    schema: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
    default: "",
    doc: "The URL people use to reach Parapet; used in emailed links. An `https://` URL also turns on Secure cookies and HSTS. Default `http://localhost:PORT`.",
  },
  PARAPET_DATA_DIR: { schema: z.string().min(1), default: "./data", doc: "Folder for the embedded database and the generated secret key file." },
  DATABASE_URL: {
    schema: z.string().regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://"),
    secret: true,
    default: "",
    doc: "A PostgreSQL (15+) server, e.g. `postgres://parapet:…@db:5432/parapet`. Unset: the embedded database (PGlite) in the data folder.",
  },
  PARAPET_SECRET_KEY: {
    schema: z.string().refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)"),
    secret: true,
    default: "",
    doc: "Key that encrypts secrets at rest (channel credentials, MFA secrets). Unset: a key file `secret.key` (mode 0600) is made in the data folder on first start. Set it when several processes share a database.",
  },
  PARAPET_PREVIOUS_SECRET_KEYS: {
    schema: z
      .string()
      .refine((v) => v.split(",").every((k) => Buffer.from(k.trim(), "base64").length === 32), "must be comma-separated keys of 32 bytes each, base64-encoded")
      .transform((v) => v.split(",").map((k) => k.trim())),
    secret: true,
    default: "",
    doc: "Keys that `PARAPET_SECRET_KEY` replaced (comma-separated, base64): still accepted to open secrets sealed with them, never used to seal. Set while rotating the key; remove once `parapet keys check` reports nothing left on them (see docs/security.md).",
  },
  PARAPET_SERVICES: {
    schema: z.string().regex(/^(web|worker)(,(web|worker))*$/, "a comma-separated list of: web, worker"),
    default: "web,worker",
    doc: "What `parapet start` runs in this process.",
  },
  PARAPET_DEMO: { schema: boolean, default: "true", doc: "`parapet start` creates the demo workspace on first start (idempotent). `parapet serve` never does." },
  PARAPET_DEMO_EMAIL: { schema: z.email(), default: "admin@demo.parapet.local", doc: "Sign-in email of the demo owner." },
  PARAPET_DEMO_PASSWORD: { schema: z.string().min(10, "must be at least 10 characters"), secret: true, default: "", doc: "Password of the demo owner (and the other demo people). Unset: a random one is generated on first start, kept in `DATA_DIR/demo-password.txt` (mode 0600) and printed at each start." },
  SMTP_URL: {
    schema: z.string().regex(/^smtps?:\/\//, "must start with smtp:// or smtps://"),
    secret: true,
    default: "",
    doc: "Mail server, e.g. `smtp://user:pass@mail.example.com:587`. Unset: mail stays in the local outbox (Settings → Outbox) and is written to the log.",
  },
  MAIL_FROM: { schema: z.string().min(3), default: "Parapet <parapet@localhost>", doc: "Sender of the mail Parapet sends." },
  SESSION_IDLE_MINUTES: { schema: z.coerce.number().int().min(5), default: "720", doc: "A session unused for this long ends." },
  SESSION_MAX_HOURS: { schema: z.coerce.number().int().min(1), default: "168", doc: "A session ends this long after sign-in, used or not." },
  LOGIN_MAX_FAILURES: { schema: z.coerce.number().int().min(1), default: "5", doc: "Failed sign-ins in a row before an account is locked." },
  LOGIN_LOCKOUT_MINUTES: { schema: z.coerce.number().int().min(1), default: "15", doc: "How long a locked account stays locked." },
  LOGIN_RATE_PER_MINUTE: { schema: z.coerce.number().int().min(1), default: "20", doc: "Sign-in attempts allowed per IP address per minute." },
  TRUST_PROXY: { schema: boolean, default: "false", doc: "Take the client IP from the last hop of `X-Forwarded-For`, the one your reverse proxy appends (only behind one reverse proxy you run)." },
  METRICS_TOKEN: {
    schema: z.string().min(16, "must be at least 16 characters"),
    secret: true,
    default: "",
    doc: "When set, `/metrics` answers only requests with `Authorization: Bearer <this token>` (for Prometheus' `authorization` setting). Unset: `/metrics` is open; expose it only to your monitoring network.",
  },
  PARAPET_LINK_PREVIEW_ALLOWED_HOSTS: {
    schema: z
      .string()
      .transform((v) => v.split(",").map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, "")).filter(Boolean)),
    default: "",
    doc: "Host names (comma-separated) whose link previews may be read although they resolve to a loopback, private or link-local address, e.g. an intranet `wiki.internal`. Unset: link previews only read pages on public addresses (see docs/security.md, \"Link previews\").",
  },
  PARAPET_WEBHOOK_ALLOWED_HOSTS: {
    schema: z
      .string()
      .transform((v) => v.split(",").map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, "")).filter(Boolean)),
    default: "",
    doc: "Host names (comma-separated) that alert webhooks (Slack, Teams, signed webhooks) may be sent to although they resolve to a loopback, private or link-local address, e.g. an internal receiver `alerts.internal`. Unset: alerts are only sent to public addresses (see docs/security.md, \"Alert webhooks\").",
  },
  PARAPET_LINK_PREVIEW_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(500).max(60_000),
    default: "5000",
    doc: "How long the server waits for a linked page (all its redirects included) when reading its preview.",
  },
  LOG_LEVEL: { schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]), default: "info", doc: "pino log level." },
  NODE_ENV: { schema: z.string(), default: "production", doc: "`test` under the test runner; nothing else changes behaviour." },
} as const;

type Settings = typeof settings;
type Raw = { [K in keyof Settings]: z.output<Settings[K]["schema"]> | undefined };

export type Config = {
  port: number;
  host: string;
  publicUrl: string;
  secureCookies: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  secretKey: string | undefined;
  /** Keys the secret key replaced, accepted to open what they sealed until `parapet keys rotate` re-seals it. */
  previousSecretKeys: string[];
  services: Array<"web" | "worker">;
  demo: { enabled: boolean; email: string; password: string | undefined };
  smtpUrl: string | undefined;
  mailFrom: string;
  session: { idleMinutes: number; maxHours: number };
  login: { maxFailures: number; lockoutMinutes: number; ratePerMinute: number };
  trustProxy: boolean;
  logLevel: string;
  metricsToken: string | undefined;
  /** Reading linked pages for previews: hosts allowed to resolve to non-public addresses, and the deadline. */
  linkPreview: { allowedHosts: string[]; timeoutMs: number };
  /** Sending alert webhooks: hosts allowed to resolve to non-public addresses. */
  webhooks: { allowedHosts: string[] };
  isTest: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Parapet cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads and validates every setting at once; throws ConfigError listing all problems. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const raw = {} as Record<string, unknown>;
  for (const [name, setting] of Object.entries(settings)) {
    const given = env[name];
    const value = given === undefined || given === "" ? setting.default : given;
    if (value === "") {
      raw[name] = undefined;
      continue;
    }
    const parsed = (setting.schema as z.ZodType).safeParse(value);
    if (parsed.success) raw[name] = parsed.data;
    else {
      // Settings that hold credentials are named, never echoed: this message ends up in terminals and container logs.
      const shown = "secret" in setting && setting.secret ? "(value hidden)" : JSON.stringify(given);
      problems.push(`${name}=${shown}: ${parsed.error.issues.map((i) => i.message).join("; ")}. ${setting.doc}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  const r = raw as Raw;
  const port = r.PORT!;
  const publicUrl = (r.PARAPET_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, "");
  return {
    port,
    host: r.HOST!,
    publicUrl,
    secureCookies: publicUrl.startsWith("https://"),
    dataDir: path.resolve(r.PARAPET_DATA_DIR!),
    databaseUrl: r.DATABASE_URL,
    secretKey: r.PARAPET_SECRET_KEY,
    previousSecretKeys: r.PARAPET_PREVIOUS_SECRET_KEYS ?? [],
    services: [...new Set(r.PARAPET_SERVICES!.split(","))] as Array<"web" | "worker">,
    demo: { enabled: r.PARAPET_DEMO!, email: r.PARAPET_DEMO_EMAIL!, password: r.PARAPET_DEMO_PASSWORD },
    smtpUrl: r.SMTP_URL,
    mailFrom: r.MAIL_FROM!,
    session: { idleMinutes: r.SESSION_IDLE_MINUTES!, maxHours: r.SESSION_MAX_HOURS! },
    login: { maxFailures: r.LOGIN_MAX_FAILURES!, lockoutMinutes: r.LOGIN_LOCKOUT_MINUTES!, ratePerMinute: r.LOGIN_RATE_PER_MINUTE! },
    trustProxy: r.TRUST_PROXY!,
    logLevel: r.LOG_LEVEL!,
    metricsToken: r.METRICS_TOKEN,
    linkPreview: { allowedHosts: r.PARAPET_LINK_PREVIEW_ALLOWED_HOSTS ?? [], timeoutMs: r.PARAPET_LINK_PREVIEW_TIMEOUT_MS! },
    webhooks: { allowedHosts: r.PARAPET_WEBHOOK_ALLOWED_HOSTS ?? [] },
    isTest: r.NODE_ENV === "test",
    ...overrides,
  };
}

/** Every setting with its default and meaning, for the README and `--help`. */
export function describeSettings(): Array<{ name: string; default: string; doc: string }> {
  return Object.entries(settings).map(([name, s]) => ({ name, default: s.default, doc: s.doc }));
}

/** Test-only settings read by the test harness; kept here so process.env has one reader. */
export function testSettings(env: Record<string, string | undefined> = process.env) {
  return {
    databaseUrl: env.TEST_DATABASE_URL || undefined,
    chromiumPath: env.CHROMIUM_PATH || "/usr/bin/chromium",
    ci: env.CI === "true",
    /** What a spawned CLI process inherits, and nothing else (so no stray setting reaches it). */
    childEnv: { PATH: env.PATH ?? "", HOME: env.HOME ?? "" },
  };
}
