import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { mailOutbox } from "./mail.schema";

/** How long a process may take to send one mail before another may try it (nodemailer gives up within 10 minutes). */
export const CLAIM_LEASE_MINUTES = 15;

export type MailMessage = { to: string; subject: string; text: string; workspaceId?: string | null };

/**
 * Mail goes through a transactional outbox: `enqueue` writes it with the change that caused it; `deliverPending`
 * sends what is waiting when SMTP is configured. Without SMTP, the outbox is where mail stays (admins read it
 * in Settings → Outbox) and each mail is written to the log.
 */
export class Mailer {
  private readonly transport: Transporter | null;

  constructor(
    private readonly options: { smtpUrl: string | undefined; from: string; log: Logger },
  ) {
    this.transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  }

  get delivers(): boolean {
    return this.transport !== null;
  }

  async enqueue(tx: Db, message: MailMessage): Promise<void> {
    await tx.insert(mailOutbox).values({ toAddress: message.to, subject: message.subject, text: message.text, workspaceId: message.workspaceId ?? null });
    if (!this.transport) this.options.log.info({ to: message.to, subject: message.subject, text: message.text }, "mail (no SMTP configured: kept in the outbox)");
  }

  // Delivery rounds of this process run one after another, so the minute job and a request's after-commit
  // delivery never pick up (and send) the same mail twice.
  private queue: Promise<unknown> = Promise.resolve();
  private roundWaiting = false;

  /** Sends waiting mail (oldest first, at most `limit`), after any round under way. Returns how many were sent. */
  deliverPending(db: Db, limit = 50): Promise<number> {
    const round = this.queue.then(() => this.deliverRound(db, limit));
    this.queue = round.catch(() => undefined);
    return round;
  }

  /**
   * Starts delivering waiting mail in the background and returns at once; never throws (failures are logged and
   * stay in the outbox for the next round). For requests, whose answer must not wait for (or reveal, by its
   * timing) a mail being sent.
   */
  deliverSoon(db: Db): void {
    if (!this.transport || this.roundWaiting) return; // a round that has not started yet will pick this mail up
    this.roundWaiting = true;
    const round = this.queue.then(() => {
      this.roundWaiting = false;
      return this.deliverRound(db, 50);
    });
    this.queue = round.catch((err) => this.options.log.error({ err }, "mail delivery round failed"));
  }

  /** Resolves once every delivery round started so far has finished. */
  async idle(): Promise<void> {
    await this.queue;
  }

  private async deliverRound(db: Db, limit: number): Promise<number> {
    if (!this.transport) return 0;
    // Unclaimed, or claimed by a process that has not finished within the lease (it died mid-send): retried.
    const free = or(isNull(mailOutbox.claimedAt), lt(mailOutbox.claimedAt, sql`now() - ${`${CLAIM_LEASE_MINUTES} minutes`}::interval`));
    const waiting = await db
      .select()
      .from(mailOutbox)
      .where(and(isNull(mailOutbox.sentAt), lt(mailOutbox.attempts, 10), free))
      .orderBy(asc(mailOutbox.createdAt))
      .limit(limit);
    let sent = 0;
    for (const mail of waiting) {
      // Claim the mail (count the attempt, take the lease) only if nobody did since it was read: a process that
      // read the same row finds it changed and skips it, also while this one is still talking to the SMTP server.
      const [claimed] = await db
        .update(mailOutbox)
        .set({ attempts: mail.attempts + 1, claimedAt: sql`now()` })
        .where(and(eq(mailOutbox.id, mail.id), eq(mailOutbox.attempts, mail.attempts), isNull(mailOutbox.sentAt), free))
        .returning({ id: mailOutbox.id });
      if (!claimed) continue;
      try {
        await this.transport.sendMail({ from: this.options.from, to: mail.toAddress, subject: mail.subject, text: mail.text });
        await db.update(mailOutbox).set({ sentAt: new Date(), lastError: null }).where(eq(mailOutbox.id, mail.id));
        sent += 1;
      } catch (err) {
        // Kept (and let go) for the next round; after 10 attempts it stays visible in the outbox with its error.
        this.options.log.warn({ err, mailId: mail.id }, "mail delivery failed");
        await db.update(mailOutbox).set({ lastError: String((err as Error).message), claimedAt: null }).where(eq(mailOutbox.id, mail.id));
      }
    }
    return sent;
  }

  close(): void {
    this.transport?.close();
  }
}
