import { and, gte, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { mailOutbox } from "./mail.schema";
import { MAX_MAIL_ATTEMPTS } from "./mailer";

/**
 * How a group of mails fared (one message to several addresses): `sent` once every one was sent; `failed` once one
 * was given up (MAX_MAIL_ATTEMPTS tried); `retrying` while one has failed and will be tried again; else `queued`.
 * No address and no server's error text: a mail server's refusal usually names the address.
 */
export type MailGroupDelivery = { status: "queued" | "sent" | "retrying" | "failed"; attempts: number; sentAt: Date | null };

/** The delivery of each group of mails (by the mails' ids; a mail no longer in the outbox is left out). */
export async function mailGroupDeliveries(db: Db, groups: string[][]): Promise<MailGroupDelivery[]> {
  const ids = [...new Set(groups.flat())];
  const rows = ids.length
    ? await db.select({ id: mailOutbox.id, sentAt: mailOutbox.sentAt, attempts: mailOutbox.attempts, lastError: mailOutbox.lastError }).from(mailOutbox).where(inArray(mailOutbox.id, ids))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return groups.map((group) => {
    const mails = group.map((id) => byId.get(id)).filter((m) => m !== undefined);
    const attempts = Math.max(0, ...mails.map((m) => m.attempts));
    const unsent = mails.filter((m) => !m.sentAt);
    if (!unsent.length) return { status: "sent", attempts, sentAt: mails.length ? new Date(Math.max(...mails.map((m) => m.sentAt!.getTime()))) : null };
    const status = unsent.some((m) => m.attempts >= MAX_MAIL_ATTEMPTS) ? "failed" : unsent.some((m) => m.lastError) ? "retrying" : "queued";
    return { status, attempts, sentAt: null };
  });
}

/** Gives the given-up mails among `ids` their attempts again (due at the next round); returns how many. */
export async function retryGivenUpMails(db: Db, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const retried = await db
    .update(mailOutbox)
    .set({ attempts: 0, claimedAt: null, lastError: null })
    .where(and(inArray(mailOutbox.id, ids), isNull(mailOutbox.sentAt), gte(mailOutbox.attempts, MAX_MAIL_ATTEMPTS)))
    .returning({ id: mailOutbox.id });
  return retried.length;
}
