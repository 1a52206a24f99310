import type { AddressInfo } from "node:net";
import { and, asc, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { createApp } from "../../http/app";
import { mailOutbox } from "../../mail/mail.schema";
import { passwordResets } from "./identity.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { PASSWORD, buildUser, buildWorkspace } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";

const NEW_PASSWORD = "a-fresh-passphrase-42";
const PUBLIC_URL = "http://parapet.example.test:8080";

type ReceivedMail = { from: string; to: string[]; subject: string; text: string };

/** Undoes quoted-printable (what nodemailer uses for long lines): soft line breaks and =XX bytes. */
function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => head.match(new RegExp(`^${name}:\\s*(.*)$`, "im"))?.[1] ?? "";
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const text = encoding === "quoted-printable" ? decodeQuotedPrintable(body) : encoding === "base64" ? Buffer.from(body, "base64").toString("utf8") : body;
  return { ...envelope, subject: header("Subject"), text: text.replace(/\r\n/g, "\n") };
}

/** A real SMTP server on a free loopback port that keeps what it receives; recipients starting with "bounce" are refused. */
async function startSmtpServer() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: 100,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("bounce")) return callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address) };
        mails.push(parseMail(Buffer.concat(chunks).toString("utf8"), envelope));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Polls until `find` returns something (the mail is sent after the transaction commits). */
async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const linkToken = (text: string) => {
  const match = text.match(/\/reset-password\?token=([^\s]+)/);
  if (!match) throw new Error(`no reset link in mail:\n${text}`);
  return decodeURIComponent(match[1]);
};

describeEachDatabase("password reset", (kind) => {
  let lastOctet = 0;
  // Every test asks from its own address, so the per-IP throttle of reset requests does not carry over.
  const nextIp = () => `198.51.100.${++lastOctet}`;
  const requestReset = (email: string, ip = nextIp()) => httpClient(app).post("/api/v1/auth/password-reset/request", { email }, { "x-forwarded-for": ip });
  const completeReset = (token: string, password = NEW_PASSWORD) => httpClient(app).post("/api/v1/auth/password-reset/complete", { token, password });
  const signIn = async (email: string, password: string): Promise<{ status: number; client: HttpClient }> => {
    const client = httpClient(app);
    const res = await client.post("/api/v1/auth/sign-in", { email, password });
    return { status: res.status, client };
  };
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  describe("with an SMTP server", () => {
    beforeAll(async () => {
      smtp = await startSmtpServer();
      services = await createTestServices(kind, { SMTP_URL: smtp.url, PARAPET_PUBLIC_URL: PUBLIC_URL, TRUST_PROXY: "true", LOGIN_RATE_PER_MINUTE: "1000", MAIL_FROM: "Parapet <parapet@example.test>" });
      app = createApp(services);
    });
    afterAll(async () => {
      await services.close();
      await smtp.close();
    });

    const mailTo = (email: string, nth = 0) => waitFor(() => smtp.mails.filter((m) => m.to.includes(email))[nth], `mail #${nth + 1} to ${email}`);
    const auditOf = (action: string, userId: string) =>
      services.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, userId))).orderBy(asc(auditEvents.seq));

    it("mails a link; the new password works, the old one does not, every session ends and the link is spent", async () => {
      const user = await buildUser(services);
      const sessions = [(await signIn(user.email, PASSWORD)).client, (await signIn(user.email, PASSWORD)).client];

      const requested = await requestReset(user.email);

      expect(requested.status).toBe(202);
      const mail = await mailTo(user.email);
      expect(mail.from).toBe("parapet@example.test");
      expect(mail.subject).toBe("Reset your Parapet password");
      expect(mail.text).toContain(`${PUBLIC_URL}/reset-password?token=`);
      const [outboxRow] = await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, user.email));
      expect(outboxRow.sentAt).not.toBeNull();
      const token = linkToken(mail.text);
      // Only a hash of the link's token is stored.
      expect(JSON.stringify(await services.database.db.select().from(passwordResets).where(eq(passwordResets.userId, user.id)))).not.toContain(token);

      const completed = await completeReset(token);

      expect(completed.status).toBe(204);
      expect((await signIn(user.email, PASSWORD)).status).toBe(401);
      expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
      for (const session of sessions) expect((await session.get("/api/v1/me")).status).toBe(401);
      const again = await completeReset(token, "yet-another-passphrase-7");
      expect(again.status).toBe(410);
      expect(again.body.error.code).toBe("invalid_reset_token");
      expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
      expect(await auditOf("password_reset.requested", user.id)).toHaveLength(1);
      expect((await auditOf("password_reset.completed", user.id))[0].data).toEqual({ userId: user.id, sessionsEnded: 2 });
    });

    it("refuses a link older than 60 minutes (410) and keeps the old password", async () => {
      const user = await buildUser(services);
      await requestReset(user.email);
      const token = linkToken((await mailTo(user.email)).text);

      services.clock.advance(61 * 60_000);
      const res = await completeReset(token);

      expect(res.status).toBe(410);
      expect(res.body.error.code).toBe("invalid_reset_token");
      expect((await signIn(user.email, PASSWORD)).status).toBe(200);
    });

    it("spends every other open link of the account once one is used", async () => {
      const user = await buildUser(services);
      await requestReset(user.email);
      await requestReset(user.email);
      const older = linkToken((await mailTo(user.email, 0)).text);
      const newer = linkToken((await mailTo(user.email, 1)).text);

      expect((await completeReset(newer)).status).toBe(204);
      const res = await completeReset(older, "an-attackers-passphrase");

      expect(res.status).toBe(410);
      expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
    });

    it("refuses a weak new password with invalid_input and leaves the link usable", async () => {
      const user = await buildUser(services);
      await requestReset(user.email);
      const token = linkToken((await mailTo(user.email)).text);

      const weak = await completeReset(token, "short");

      expect(weak.status).toBe(400);
      expect(weak.body.error.code).toBe("invalid_input");
      expect(weak.body.error.fields.password).toBeDefined();
      expect((await completeReset(token)).status).toBe(204);
    });

    it("unlocks a locked account", async () => {
      const user = await buildUser(services);
      for (let i = 0; i < services.config.login.maxFailures; i++) await signIn(user.email, "not-the-password");
      expect((await signIn(user.email, PASSWORD)).status).toBe(423);

      await requestReset(user.email);
      expect((await completeReset(linkToken((await mailTo(user.email)).text))).status).toBe(204);

      expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
    });

    it("answers 202 for an unknown email too, and sends nothing", async () => {
      const before = smtp.mails.length;
      const outboxBefore = (await services.database.db.select().from(mailOutbox)).length;

      const res = await requestReset(`nobody-${Date.now()}@example.test`);

      expect(res.status).toBe(202);
      await new Promise((r) => setTimeout(r, 200));
      expect(smtp.mails.length).toBe(before);
      expect((await services.database.db.select().from(mailOutbox)).length).toBe(outboxBefore);
    });

    it("throttles reset requests to 10 an hour per IP (429 rate_limited)", async () => {
      const ip = nextIp();
      for (let i = 0; i < 10; i++) expect((await requestReset(`nobody-${i}@example.test`, ip)).status).toBe(202);
      const res = await requestReset(`nobody-10@example.test`, ip);
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe("rate_limited");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    });

    it("keeps a mail the SMTP server refuses in the outbox with its error, and still answers 202", async () => {
      const user = await buildUser(services, { email: `bounce-${Date.now()}@example.test` });

      const res = await requestReset(user.email);

      expect(res.status).toBe(202);
      const [row] = await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, user.email));
      expect(row.sentAt).toBeNull();
      expect(row.attempts).toBe(1);
      expect(row.lastError).toMatch(/550|unavailable/i);
      expect(smtp.mails.some((m) => m.to.includes(user.email))).toBe(false);
    });
  });

  describe("without SMTP", () => {
    beforeAll(async () => {
      services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000", TRUST_PROXY: "true" });
      app = createApp(services);
    });
    afterAll(() => services.close());

    it("keeps the mail in the outbox, which an admin can read and a member cannot", async () => {
      const { people } = await buildWorkspace(services);

      expect((await requestReset(people.member.email)).status).toBe(202);

      const [row] = await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, people.member.email));
      expect(row).toMatchObject({ subject: "Reset your Parapet password", sentAt: null, attempts: 0 });
      const admin = (await signIn(people.admin.email, PASSWORD)).client;
      const outbox = await admin.get("/api/v1/workspace/outbox");
      expect(outbox.status).toBe(200);
      expect(outbox.body.delivering).toBe(false);
      const mail = outbox.body.mails.find((m: { to: string }) => m.to === people.member.email);
      expect(mail).toMatchObject({ subject: "Reset your Parapet password", sentAt: null });
      expect(mail.text).toContain("/reset-password?token=");
      const member = (await signIn(people.member.email, PASSWORD)).client;
      const refused = await member.get("/api/v1/workspace/outbox");
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("forbidden");

      // The link from the outbox works like a mailed one.
      expect((await completeReset(linkToken(mail.text))).status).toBe(204);
      expect((await signIn(people.member.email, NEW_PASSWORD)).status).toBe(200);
    });
  });
});
