import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../../audit/audit.schema";
import { createApp } from "../../http/app";
import { mailOutbox } from "../../mail/mail.schema";
import { passwordResets } from "./identity.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { PASSWORD, buildUser, buildWorkspace } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { startSmtpServer, type TestSmtpServer } from "../../../../test/support/smtp";
import { waitFor } from "../../../../test/support/wait";

const NEW_PASSWORD = "a-fresh-passphrase-42";
const PUBLIC_URL = "http://parapet.example.test:8080";

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
  let smtp: TestSmtpServer;

  describe("with an SMTP server", () => {
    beforeAll(async () => {
      smtp = await startSmtpServer();
      services = await createTestServices(kind, { SMTP_URL: smtp.url, PARAPET_PUBLIC_URL: PUBLIC_URL, TRUST_PROXY: "true", LOGIN_RATE_PER_MINUTE: "1000", MAIL_FROM: "Parapet <parapet@example.test>" });
      app = createApp(services);
    });
    afterAll(async () => {
      smtp.release();
      await services.mailer.idle();
      await services.close();
      await smtp.close();
    });

    const mailTo = (email: string, nth = 0) => waitFor(`mail #${nth + 1} to ${email}`, () => smtp.mailsTo(email)[nth]);
    const outboxRow = async (email: string) => (await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)))[0];
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
      await waitFor("the outbox row to be marked sent", async () => (await outboxRow(user.email))?.sentAt);
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

    it("answers without waiting for the mail server, so the time it takes does not tell whether the account exists", async () => {
      const user = await buildUser(services);
      smtp.hold();
      try {
        const answer = await Promise.race([
          requestReset(user.email).then((res) => res.status),
          new Promise((resolve) => setTimeout(() => resolve("still waiting for the mail server"), 3000)),
        ]);
        expect(answer).toBe(202);
        expect(smtp.mailsTo(user.email)).toEqual([]);
      } finally {
        smtp.release();
      }
      expect((await mailTo(user.email)).subject).toBe("Reset your Parapet password");
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
      const row = await waitFor("the refusal to be recorded", async () => {
        const found = await outboxRow(user.email);
        return found?.lastError ? found : undefined;
      });
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
