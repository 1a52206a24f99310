import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger } from "../log";
import { CLAIM_LEASE_MINUTES, Mailer } from "./mailer";
import { mailOutbox } from "./mail.schema";
import { describeEachDatabase } from "../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../test/support/services";
import { startSmtpServer, type TestSmtpServer } from "../../../test/support/smtp";
import { waitFor } from "../../../test/support/wait";

describeEachDatabase("mail outbox", (kind) => {
  let services: TestServices;
  let smtp: TestSmtpServer;
  let counter = 0;
  const address = (prefix = "person") => `${prefix}-${++counter}@example.test`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    services = await createTestServices(kind, { SMTP_URL: smtp.url, MAIL_FROM: "Parapet <parapet@example.test>" });
  });
  afterAll(async () => {
    await services.mailer.idle();
    await services.close();
    await smtp.close();
  });

  const db = () => services.database.db;
  const rowTo = async (to: string) => (await db().select().from(mailOutbox).where(eq(mailOutbox.toAddress, to)))[0];

  it("writes mail to the outbox first and sends it over SMTP, marking it sent", async () => {
    const to = address();
    await services.mailer.enqueue(db(), { to, subject: "Hello", text: "Plain text, with a link: http://parapet.example.test/x?token=abc" });
    expect((await rowTo(to)).sentAt).toBeNull();

    const sent = await services.mailer.deliverPending(db());

    expect(sent).toBeGreaterThanOrEqual(1);
    const [mail] = smtp.mailsTo(to);
    expect(mail).toMatchObject({ from: "parapet@example.test", subject: "Hello" });
    expect(mail.text).toContain("http://parapet.example.test/x?token=abc");
    expect(await rowTo(to)).toMatchObject({ attempts: 1, lastError: null, sentAt: expect.any(Date) });
    expect(await services.mailer.deliverPending(db())).toBe(0);
    expect(smtp.mailsTo(to)).toHaveLength(1);
  });

  it("sends each mail once when two deliveries run at the same time (the minute job and a request's delivery)", async () => {
    const recipients = [address(), address(), address()];
    for (const to of recipients) await services.mailer.enqueue(db(), { to, subject: "Once", text: "Only once, please." });

    const rounds = await Promise.all([services.mailer.deliverPending(db()), services.mailer.deliverPending(db())]);

    expect(rounds[0] + rounds[1]).toBe(3);
    for (const to of recipients) expect(smtp.mailsTo(to)).toHaveLength(1);
  });

  it("sends each mail once when two processes deliver at once, also while one is still sending; a dead sender's mail is retried after the lease", async () => {
    // A second Mailer on the same database: another process (web and worker apart).
    const other = new Mailer({ smtpUrl: smtp.url, from: "Parapet <parapet@example.test>", log: createLogger("silent") });
    try {
      const to = address();
      await services.mailer.enqueue(db(), { to, subject: "Slow", text: "The SMTP server takes its time." });
      smtp.hold();
      const first = services.mailer.deliverPending(db());
      await waitFor("the claim", async () => (await rowTo(to)).attempts === 1); // claimed, and being sent
      expect(await other.deliverPending(db())).toBe(0); // the other process leaves it alone
      smtp.release();
      expect(await first).toBeGreaterThanOrEqual(1);
      expect(smtp.mailsTo(to)).toHaveLength(1);
      expect(await other.deliverPending(db())).toBe(0);

      // A process that died mid-send: claimed long ago, never marked sent. The lease has run out, so it goes again.
      const lost = address();
      await services.mailer.enqueue(db(), { to: lost, subject: "Lost", text: "Its sender died." });
      await db()
        .update(mailOutbox)
        .set({ attempts: 1, claimedAt: new Date(Date.now() - (CLAIM_LEASE_MINUTES + 1) * 60_000) })
        .where(eq(mailOutbox.toAddress, lost));
      expect(await other.deliverPending(db())).toBe(1);
      expect(smtp.mailsTo(lost)).toHaveLength(1);
      expect(await rowTo(lost)).toMatchObject({ attempts: 2, sentAt: expect.any(Date) });
    } finally {
      smtp.release();
      other.close();
    }
  });

  it("keeps refused mail in the outbox with its error and tries again next round", async () => {
    const to = address("bounce");
    await services.mailer.enqueue(db(), { to, subject: "Nope", text: "Refused." });

    await services.mailer.deliverPending(db());
    await services.mailer.deliverPending(db());

    const row = await rowTo(to);
    expect(row.sentAt).toBeNull();
    expect(row.attempts).toBe(2);
    expect(row.lastError).toMatch(/550|unavailable/i);
  });

  it("delivers in the background with deliverSoon, which returns at once and never throws", async () => {
    const to = address();
    await services.mailer.enqueue(db(), { to, subject: "Soon", text: "In a moment." });
    smtp.hold();
    try {
      expect(services.mailer.deliverSoon(db())).toBeUndefined();
      expect(smtp.mailsTo(to)).toEqual([]);
    } finally {
      smtp.release();
    }
    await waitFor("the mail", () => smtp.mailsTo(to)[0]);
    await services.mailer.idle();
    expect((await rowTo(to)).sentAt).not.toBeNull();
  });

  it("without SMTP, keeps mail in the outbox, sends nothing and logs it for the operator", async () => {
    const lines: string[] = [];
    const { Writable } = await import("node:stream");
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
    const local = new Mailer({ smtpUrl: undefined, from: "Parapet <parapet@example.test>", log: createLogger("info", sink) });
    const to = address();

    await local.enqueue(db(), { to, subject: "Local only", text: "Read me in the outbox." });

    expect(local.delivers).toBe(false);
    expect(await local.deliverPending(db())).toBe(0);
    local.deliverSoon(db());
    await local.idle();
    expect(await rowTo(to)).toMatchObject({ sentAt: null, attempts: 0 });
    expect(smtp.mailsTo(to)).toEqual([]);
    expect(lines.join("")).toContain("Local only");
  });
});
