import { and, eq, lte } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Services } from "../../../context";
import { mailMessages } from "../../../mail/messages";
import { users } from "../../identity/identity.schema";
import { workspaces } from "../../workspaces/workspaces.schema";
import { REMINDERS, mailCurrentApprovers, pendingRunOf } from "../approvals";
import { approvalRuns } from "../approvals.schema";
import { recordPostEvent, textFor } from "../post-records";
import { posts, postTargets } from "../publishing.schema";

/**
 * Runs as the system across every workspace (hence unsafe), each post in its own transaction with the post locked:
 * - a post still in review when its scheduled time arrives is not published: it becomes `expired`, its run too, and
 *   its author is mailed (in their language);
 * - approvers of a run's current step are reminded before the scheduled time (24 h and 1 h before), each reminder
 *   once per run (recorded on the run in the same transaction as the mail).
 */
export async function unsafeRunApprovalDeadlines(services: Services): Promise<{ expired: number; reminded: number }> {
  const now = services.clock();
  const db = services.database.db;
  const horizon = new Date(now.getTime() + Math.max(...REMINDERS.map((r) => r.ms)));
  const due = await db
    .select({ id: posts.id, workspaceId: posts.workspaceId })
    .from(posts)
    .where(and(eq(posts.state, "in_review"), lte(posts.scheduledAt, horizon)));
  let expired = 0;
  let reminded = 0;
  for (const candidate of due) {
    const ctx = unsafeSystemCtx(services, "approvals.deadlines", candidate.workspaceId);
    await inTransaction(ctx, async (tx) => {
      const [post] = await tx.db.select().from(posts).where(eq(posts.id, candidate.id)).for("update");
      if (!post || post.state !== "in_review" || !post.scheduledAt) return; // decided meanwhile
      const run = await pendingRunOf(tx, post.id);
      if (post.scheduledAt.getTime() <= tx.now().getTime()) {
        await tx.db.update(posts).set({ state: "expired", updatedAt: tx.now() }).where(eq(posts.id, post.id));
        if (run) await tx.db.update(approvalRuns).set({ status: "expired", decidedAt: tx.now() }).where(eq(approvalRuns.id, run.id));
        await recordPostEvent(tx, post.id, "expired", { runId: run?.id ?? null, at: post.scheduledAt.toISOString(), step: run?.currentStep ?? null });
        await tx.audit({ type: "post.approval_expired", data: { postId: post.id, runId: run?.id ?? null, scheduledAt: post.scheduledAt.toISOString() } }, { type: "post", id: post.id });
        const [author] = post.authorId ? await tx.db.select().from(users).where(eq(users.id, post.authorId)) : [];
        if (author) {
          const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, post.workspaceId));
          const [target] = await tx.db.select().from(postTargets).where(eq(postTargets.postId, post.id)).limit(1);
          const text = target ? textFor(post, target) : post.text;
          const mail = mailMessages(author.locale).postApprovalExpired({
            name: author.name,
            workspace: workspace?.name ?? "",
            excerpt: text.length > 140 ? `${text.slice(0, 140)}…` : text,
            scheduledAt: post.scheduledAt,
            locale: author.locale,
            link: `${tx.services.config.publicUrl}/posts/${post.id}`,
          });
          await tx.services.mailer.enqueue(tx.db, { to: author.email, workspaceId: post.workspaceId, ...mail });
          tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
        }
        expired++;
        return;
      }
      if (!run) return;
      const left = post.scheduledAt.getTime() - tx.now().getTime();
      const window = REMINDERS.filter((r) => left <= r.ms && !run.remindersSent.includes(r.key));
      if (!window.length) return;
      // Every window now reached counts as sent: one mail, not one per window.
      await tx.db.update(approvalRuns).set({ remindersSent: [...run.remindersSent, ...window.map((r) => r.key)] }).where(eq(approvalRuns.id, run.id));
      const sent = await mailCurrentApprovers(tx, post, run, true);
      await recordPostEvent(tx, post.id, "approval_reminder_sent", { runId: run.id, before: window.map((r) => r.key), recipients: sent });
      reminded++;
    });
  }
  return { expired, reminded };
}
