import { and, eq } from "drizzle-orm";
import type { CrisisNotice } from "../../../../../contracts/crises";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { notFound } from "../../../../errors";
import { retryGivenUpMails } from "../../../../mail/mail-deliveries";
import { alertDestinations } from "../../../listening/listening.schema";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { crisisNotices } from "../../crisis.schema";
import { noticeNoAddress, noticeNotFailed } from "../crises.errors";
import { noticesOf } from "../queries/crisis-notices";
import { loadCrisis } from "../records";
import { unsafeDeliverCrisisNotices } from "./crisis-notices";

/**
 * Sends a failed crisis notice again now, for whoever may manage crises: its attempts start over (the same message,
 * the same `webhook-id`; a mail's given-up mails go back into the mail outbox; a mail list that had no address mails
 * the addresses it has now). Only a failed notice
 * (`crisis_notice_not_failed` otherwise: one on its way is retried by itself); audited.
 */
export async function retryCrisisNotice(ctx: Ctx, crisisId: string, noticeId: string): Promise<CrisisNotice> {
  authorize(ctx.actor, "crisis.manage");
  currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId);
    const [listed] = await noticesOf(tx, crisis.id, noticeId);
    if (!listed) throw notFound("Crisis notice");
    if (listed.status !== "failed") throw noticeNotFailed();
    const [row] = await tx.db.select().from(crisisNotices).where(eq(crisisNotices.id, noticeId)).for("update");
    if (row.status === "mailed" && !row.mailIds?.length) {
      // A mail list that had no address: mail whom it lists now (Settings → Alert destinations), if anyone.
      const [destination] = row.destinationId ? await tx.db.select().from(alertDestinations).where(eq(alertDestinations.id, row.destinationId)) : [];
      const addresses = destination ? tx.services.secrets.open(destination.target).split(/[\s,;]+/).filter(Boolean) : [];
      if (!addresses.length) throw noticeNoAddress();
      const mail = row.message as { subject: string; text: string };
      const mailIds: string[] = [];
      for (const to of addresses) mailIds.push(await tx.services.mailer.enqueue(tx.db, { to, workspaceId: crisis.workspaceId, ...mail }));
      await tx.db.update(crisisNotices).set({ mailIds }).where(eq(crisisNotices.id, noticeId));
      tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
    } else if (row.status === "mailed") {
      if (!(await retryGivenUpMails(tx.db, row.mailIds ?? []))) throw noticeNotFailed();
      tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
    } else {
      // Conditional on still failed: of two managers pressing at once, the second hears it is no longer failed.
      const retried = await tx.db
        .update(crisisNotices)
        .set({ status: "pending", attempts: 0, nextAttemptAt: tx.now(), lastError: null })
        .where(and(eq(crisisNotices.id, noticeId), eq(crisisNotices.status, "failed")))
        .returning({ id: crisisNotices.id });
      if (!retried.length) throw noticeNotFailed();
      tx.afterCommit(() => void unsafeDeliverCrisisNotices(tx.services).catch(() => undefined)); // the job retries what this misses
    }
    await tx.audit(
      { type: "crisis.notice_retried", data: { crisisId: crisis.id, noticeId, destinationId: listed.destination?.id ?? null, kind: listed.destination?.kind ?? listed.recipient.kind, attempts: listed.attempts } },
      { type: "crisis", id: crisis.id },
    );
    return (await noticesOf(tx, crisis.id, noticeId))[0];
  });
}
