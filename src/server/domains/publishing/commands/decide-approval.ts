import { and, eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import {
  alreadyDecided,
  approvalTooLate,
  mailCurrentApprovers,
  notAnApprover,
  notInReview,
  openSlotsFor,
  mailRejection,
  ownPost,
  pendingRunOf,
  presentRuns,
  stepComplete,
  versionChanged,
  type RunRow,
  type RunStep,
} from "../approvals";
import { approvalDecisions, approvalRuns } from "../approvals.schema";
import { crisisTeamApprovalOnly } from "../lockdown-policy";
import { eventsOf, findPost, presentPost, recordPostEvent, type PostRow } from "../post-records";
import { posts, postTargets } from "../publishing.schema";

export type DecideInput = { postId: string; decision: "approve" | "reject"; /** The content hash the approver looked at. */ contentHash: string; comment?: string | null };

/**
 * An approver's decision on the current step of a post's approval, bound to the exact version they saw (`contentHash`):
 * - approve fills one slot of the step that names them (a person named directly first, then a team or a role); when
 *   the step has what it needs the next one becomes current (its approvers are mailed); after the last one the post
 *   is scheduled (it had a time) or `approved` (it did not);
 * - reject (a comment is required) ends the run and sends the post back to `draft`; its author is mailed the comment.
 * Refused: your own post (`cannot_approve_own_post`), a step that does not name you (`not_an_approver`; a crisis
 * lock down's "crisis team" step: `crisis_team_approval_only`), a second
 * decision on the same step (`already_decided`), another version (`post_changed`), after the scheduled time
 * (`approval_too_late`), a post not in review (`post_not_in_review`).
 */
export async function decideApproval(ctx: Ctx, input: DecideInput) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  const comment = input.comment?.trim() || null;
  if (input.decision === "reject" && !comment) throw invalidInput({ comment: ["Say why, so the author can change it"] });
  return inTransaction(ctx, async (tx) => {
    if (tx.actor.type !== "user") throw notAnApprover();
    const me = tx.actor.userId;
    const { post } = await findPost(tx, workspaceId, input.postId, { forUpdate: true });
    const run = await pendingRunOf(tx, post.id);
    if (post.state !== "in_review" || !run) throw notInReview(post.state);
    if (input.contentHash !== post.contentHash || run.contentHash !== post.contentHash) throw versionChanged();
    if (post.authorId === me) throw ownPost();
    if (post.scheduledAt && post.scheduledAt.getTime() <= tx.now().getTime()) throw approvalTooLate();
    const [mine] = await tx.db.select({ id: approvalDecisions.id }).from(approvalDecisions).where(and(eq(approvalDecisions.runId, run.id), eq(approvalDecisions.step, run.currentStep), eq(approvalDecisions.userId, me)));
    if (mine) throw alreadyDecided();
    const slots = await openSlotsFor(tx, workspaceId, run, me);
    const step = (run.steps as RunStep[])[run.currentStep];
    if (!slots.length) throw step.approvers.some((a) => a.kind === "crisis_team") ? crisisTeamApprovalOnly() : notAnApprover();
    const decision = input.decision === "approve" ? "approved" : "rejected";
    await tx.db.insert(approvalDecisions).values({
      runId: run.id,
      step: run.currentStep,
      slot: decision === "approved" ? slots[0] : null,
      userId: me,
      actorLabel: tx.actor.name || tx.actor.email,
      decision,
      comment,
      contentHash: post.contentHash,
      createdAt: tx.now(),
    });
    const about = { runId: run.id, step: run.currentStep, stepLabel: step.label, version: post.version, contentHash: post.contentHash, comment };
    await recordPostEvent(tx, post.id, decision, about);
    await tx.audit({ type: decision === "approved" ? "post.approved" : "post.rejected", data: { postId: post.id, runId: run.id, step: run.currentStep, version: post.version, contentHash: post.contentHash, comment } }, { type: "post", id: post.id });
    if (decision === "rejected") {
      await tx.db.update(approvalRuns).set({ status: "rejected", decidedAt: tx.now() }).where(eq(approvalRuns.id, run.id));
      await tx.db.update(posts).set({ state: "draft", updatedAt: tx.now() }).where(eq(posts.id, post.id));
      await mailRejection(tx, post, tx.actor.name || tx.actor.email, comment ?? "");
    } else {
      await advanceRun(tx, post, run);
    }
    const [fresh] = await tx.db.select().from(posts).where(eq(posts.id, post.id));
    const targets = await tx.db.select().from(postTargets).where(eq(postTargets.postId, post.id));
    return { post: presentPost(fresh, targets, await eventsOf(tx, [post.id])), approvals: await presentRuns(tx, post.id) };
  });
}

/**
 * Moves a run on while its current step has what it needs (inside the caller's transaction, the post locked): the
 * next step's approvers are mailed; after the last step the post is scheduled (targets scheduled: the publisher takes
 * them) or, without a time, `approved`.
 */
export async function advanceRun(tx: Ctx, post: PostRow, run: RunRow): Promise<void> {
  let current = run;
  const steps = run.steps as RunStep[];
  while (current.currentStep < steps.length && (await stepComplete(tx, current))) {
    const next = current.currentStep + 1;
    const done = next >= steps.length;
    [current] = await tx.db
      .update(approvalRuns)
      .set({ currentStep: next, ...(done ? { status: "approved", decidedAt: tx.now() } : {}) })
      .where(eq(approvalRuns.id, current.id))
      .returning();
    if (!done) {
      await recordPostEvent(tx, post.id, "approval_step_started", { runId: run.id, step: next, stepLabel: steps[next].label });
      await mailCurrentApprovers(tx, post, current, false);
    }
  }
  if (current.status !== "approved") return;
  await recordPostEvent(tx, post.id, "approval_completed", { runId: run.id, version: run.version, contentHash: run.contentHash });
  if (post.scheduledAt) {
    await tx.db.update(posts).set({ state: "scheduled", updatedAt: tx.now() }).where(eq(posts.id, post.id));
    await tx.db.update(postTargets).set({ status: "scheduled", dueAt: post.scheduledAt, updatedAt: tx.now() }).where(and(eq(postTargets.postId, post.id), eq(postTargets.status, "draft")));
    await recordPostEvent(tx, post.id, "scheduled", { at: post.scheduledAt.toISOString() });
  } else {
    await tx.db.update(posts).set({ state: "approved", updatedAt: tx.now() }).where(eq(posts.id, post.id));
  }
}
