import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "../db/client";
import { deliverOutbox, RoundQueue, type Outbox } from "../jobs/outbox";
import type { Logger } from "../log";
import { mailOutbox } from "./mail.schema";

/** How long a process may take to send one mail before another may try it (nodemailer gives up within 10 minutes). */
export const CLAIM_LEASE_MINUTES = 15;

/** After this many attempts a mail stays in the outbox unsent, with its last error, for an admin to see. */
export const MAX_MAIL_ATTEMPTS = 10;

/** A failed mail is tried again by the next round (the minute job), up to MAX_MAIL_ATTEMPTS in all. */
const MAIL_RETRIES: readonly number[] = Array.from({ length: MAX_MAIL_ATTEMPTS - 1 }, () => 0);

/**
 * The mail outbox: waiting while unsent and not given up; claimed with `claimed_at` (the database's clock, one
 * lease for all processes); sent → `sent_at`; a failure keeps its error and lets the claim go for the next round.
 */
const MAIL_OUTBOX: Outbox<typeof mailOutbox> = {
  table: mailOutbox,
  key: (mail) => eq(mailOutbox.id, mail.id),
  order: mailOutbox.createdAt,
  // Unclaimed, or claimed by a process that has not finished within the lease (it died mid-send): retried.
  due: () =>
    and(
      isNull(mailOutbox.sentAt),
      lt(mailOutbox.attempts, MAX_MAIL_ATTEMPTS),
      or(isNull(mailOutbox.claimedAt), lt(mailOutbox.claimedAt, sql`now() - ${`${CLAIM_LEASE_MINUTES} minutes`}::interval`)),
    ),
  lease: () => ({ claimedAt: sql`now()` }),
  record: (settled) => (settled.state === "delivered" ? { sentAt: settled.at, lastError: null } : { lastError: settled.error, claimedAt: null }),
};

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

  /** Writes a mail into the outbox (in `tx`, with the change that caused it); returns its id, for whoever follows its delivery. */
  async enqueue(tx: Db, message: MailMessage): Promise<string> {
    const [row] = await tx.insert(mailOutbox).values({ toAddress: message.to, subject: message.subject, text: message.text, workspaceId: message.workspaceId ?? null }).returning({ id: mailOutbox.id });
    if (!this.transport) this.options.log.info({ to: message.to, subject: message.subject, text: message.text }, "mail (no SMTP configured: kept in the outbox)");
    return row.id;
  }

  // Delivery rounds of this process run one after another, so the minute job and a request's after-commit
  // delivery never work the same mail at once.
  private readonly rounds = new RoundQueue();

  /** Sends waiting mail (oldest first, at most `limit`), after any round under way. Returns how many were sent. */
  deliverPending(db: Db, limit = 50): Promise<number> {
    return this.rounds.run(() => this.deliverRound(db, limit));
  }

  /**
   * Starts delivering waiting mail in the background and returns at once; never throws (failures are logged and
   * stay in the outbox for the next round). For requests, whose answer must not wait for (or reveal, by its
   * timing) a mail being sent.
   */
  deliverSoon(db: Db): void {
    if (!this.transport) return;
    // A round that has not started yet will pick this mail up.
    this.rounds.soon(() => this.deliverRound(db, 50), (err) => this.options.log.error({ err }, "mail delivery round failed"));
  }

  /** Resolves once every delivery round started so far has finished. */
  async idle(): Promise<void> {
    await this.rounds.idle();
  }

  /** One round of the shared outbox (jobs/outbox.ts) over `mail_outbox`: a mail is claimed just before it is sent. */
  private async deliverRound(db: Db, limit: number): Promise<number> {
    const transport = this.transport;
    if (!transport) return 0;
    const { delivered } = await deliverOutbox(db, MAIL_OUTBOX, {
      limit,
      backoffMs: MAIL_RETRIES,
      now: () => new Date(),
      send: async (mail) => {
        try {
          await transport.sendMail({ from: this.options.from, to: mail.toAddress, subject: mail.subject, text: mail.text });
          return { ok: true };
        } catch (err) {
          // Kept (and let go) for the next round; after 10 attempts it stays visible in the outbox with its error.
          this.options.log.warn({ err, mailId: mail.id }, "mail delivery failed");
          return { ok: false, retry: true, error: String((err as Error).message) };
        }
      },
    });
    return delivered;
  }

  close(): void {
    this.transport?.close();
  }
}
