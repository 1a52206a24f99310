import { and, eq, lt, notExists } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Services } from "../../../context";
import { mailMessages } from "../../../mail/messages";
import { peopleWhoMay } from "../../workspaces";
import { workspaces } from "../../workspaces/workspaces.schema";
import { accessReviewReminders, accessReviewSignOffs } from "../access-review.schema";
import { quarterOf, quarterStart } from "../quarters";
import { unsafeAccessReviewContent } from "../queries/build-access-review";

/**
 * Runs as the system across every workspace (hence unsafe): once per calendar quarter, mails the owners and admins of
 * each workspace whose access review has not been signed off this quarter, in each reader's language. A workspace
 * created during the quarter is first reminded the next one. The reminder row (workspace, quarter) is the claim: it
 * is written in the same transaction as the mails and the audit event, so a reminder goes out at most once.
 */
export async function unsafeSendAccessReviewReminders(services: Services): Promise<{ reminded: number }> {
  const now = services.clock();
  const quarter = quarterOf(now);
  const db = services.database.db;
  const due = await db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaces)
    .where(
      and(
        lt(workspaces.createdAt, quarterStart(now)),
        notExists(db.select({ q: accessReviewReminders.quarter }).from(accessReviewReminders).where(and(eq(accessReviewReminders.workspaceId, workspaces.id), eq(accessReviewReminders.quarter, quarter)))),
        notExists(db.select({ q: accessReviewSignOffs.quarter }).from(accessReviewSignOffs).where(and(eq(accessReviewSignOffs.workspaceId, workspaces.id), eq(accessReviewSignOffs.quarter, quarter)))),
      ),
    );
  let reminded = 0;
  for (const workspace of due) {
    const ctx = unsafeSystemCtx(services, "access-review.remind", workspace.id);
    await inTransaction(ctx, async (tx) => {
      // Checked again in the transaction: someone may have signed off since the list was read.
      const [signed] = await tx.db
        .select({ id: accessReviewSignOffs.id })
        .from(accessReviewSignOffs)
        .where(and(eq(accessReviewSignOffs.workspaceId, workspace.id), eq(accessReviewSignOffs.quarter, quarter)))
        .limit(1);
      if (signed) return;
      const admins = await peopleWhoMay(tx.db, workspace.id, "access_review.sign_off");
      const claimed = await tx.db
        .insert(accessReviewReminders)
        .values({ workspaceId: workspace.id, quarter, sentAt: now, recipients: admins.map((a) => a.email) })
        .onConflictDoNothing()
        .returning();
      if (claimed.length === 0) return; // another worker sent it
      const { summary } = await unsafeAccessReviewContent(tx);
      for (const admin of admins) {
        const mail = mailMessages(admin.locale).accessReviewDue({
          name: admin.name,
          workspace: workspace.name,
          quarter,
          people: summary.people,
          withoutMfa: summary.withoutMfa,
          unused: summary.unused,
          partnersEndingSoon: summary.partnersEndingSoon,
          link: `${services.config.publicUrl}/settings/access-review`,
        });
        await tx.services.mailer.enqueue(tx.db, { to: admin.email, workspaceId: workspace.id, ...mail });
      }
      await tx.audit({ type: "access_review.reminder_sent", data: { quarter, recipients: admins.length } }, { type: "workspace", id: workspace.id });
      reminded += 1;
    });
  }
  return { reminded };
}
