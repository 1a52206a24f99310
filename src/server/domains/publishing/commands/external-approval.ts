import { and, eq } from "drizzle-orm";
import { authorize, roleAllows } from "../../../authz";
import { inTransaction, unsafeSystemCtx, withActor, type Ctx } from "../../../context";
import { forbidden, invalidInput, notFound } from "../../../errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { mailRejection, presentRuns, type RunStep } from "../approvals";
import { approvalDecisions, approvalRuns } from "../approvals.schema";
import { openExternalLink, previewFor } from "../external-links";
import { findPost, recordPostEvent } from "../post-records";
import { posts } from "../publishing.schema";
import { advanceRun } from "./decide-approval";

/** Who acts through an external link, as the history and the audit log name them. */
const externalLabel = (slot: { name: string; email: string }) => `${slot.name} <${slot.email}> (external)`;

/** Finds the link's workspace, then acts in a transaction as the external approver (a system actor with their name). */
async function asExternal<T>(ctx: Ctx, token: string, fn: (tx: Ctx, open: Awaited<ReturnType<typeof openExternalLink>>) => Promise<T>): Promise<T> {
  const first = await openExternalLink(ctx, token);
  const actor = unsafeSystemCtx(ctx.services, externalLabel(first.slot), first.post.workspaceId);
  return inTransaction(withActor(actor, actor.actor, first.post.workspaceId), async (tx) => fn(tx, await openExternalLink(tx, token, { forUpdate: true })));
}

/**
 * What an external approver sees through their link, without an account: the post as it will appear on each channel,
 * when it goes out, and until when the link works. Every opening is audited.
 */
export async function viewExternalApproval(ctx: Ctx, input: { token: string }) {
  return asExternal(ctx, input.token, async (tx, open) => {
    await tx.audit(
      { type: "post.external_link_opened", data: { postId: open.post.id, runId: open.run.id, step: open.run.currentStep, slot: open.slotIndex, email: open.slot.email } },
      { type: "post", id: open.post.id },
    );
    return previewFor(tx, open);
  });
}

/**
 * An external approver's decision through their link (single purpose: it fills their slot of the current step, then
 * no longer works). Bound to the version they saw (`contentHash`). Reject needs a comment and sends the post back to
 * draft; approve may complete the step (and the run), as an approval by a member does.
 */
export async function decideExternalApproval(ctx: Ctx, input: { token: string; decision: "approve" | "reject"; contentHash: string; comment?: string | null }) {
  const comment = input.comment?.trim() || null;
  if (input.decision === "reject" && !comment) throw invalidInput({ comment: ["Say why, so the author can change it"] });
  return asExternal(ctx, input.token, async (tx, open) => {
    const { run, post, slotIndex, slot } = open;
    if (input.contentHash !== post.contentHash) throw invalidInput({ contentHash: ["The post changed since you opened it: open the link again"] });
    const decision: "approved" | "rejected" = input.decision === "approve" ? "approved" : "rejected";
    await tx.db.insert(approvalDecisions).values({
      runId: run.id,
      step: run.currentStep,
      slot: slotIndex,
      userId: null,
      actorLabel: externalLabel(slot),
      decision,
      comment,
      contentHash: post.contentHash,
      createdAt: tx.now(),
    });
    const step = (run.steps as RunStep[])[run.currentStep];
    await recordPostEvent(tx, post.id, decision, { runId: run.id, step: run.currentStep, stepLabel: step.label, version: post.version, contentHash: post.contentHash, comment, external: slot.email });
    await tx.audit(
      { type: decision === "approved" ? "post.approved" : "post.rejected", data: { postId: post.id, runId: run.id, step: run.currentStep, version: post.version, contentHash: post.contentHash, comment, external: slot.email } },
      { type: "post", id: post.id },
    );
    if (decision === "rejected") {
      await tx.db.update(approvalRuns).set({ status: "rejected", decidedAt: tx.now() }).where(eq(approvalRuns.id, run.id));
      await tx.db.update(posts).set({ state: "draft", updatedAt: tx.now() }).where(eq(posts.id, post.id));
      await mailRejection(tx, post, `${slot.name} (${slot.email})`, comment ?? "");
    } else {
      await advanceRun(tx, post, run);
    }
    const [fresh] = await tx.db.select({ state: posts.state }).from(posts).where(eq(posts.id, post.id));
    return { decision, postState: fresh.state };
  });
}

/**
 * Revokes an external approver's link on a post in review (its author, or whoever manages approval workflows): the
 * link stops working at once; the slot stays, so a new link is mailed when the post is submitted again.
 */
export async function revokeExternalLink(ctx: Ctx, input: { postId: string; step: number; slot: number }) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const { post } = await findPost(tx, workspaceId, input.postId, { forUpdate: true });
    const isAuthor = tx.actor.type === "user" && tx.actor.userId === post.authorId;
    const manages = tx.actor.type === "user" && tx.actor.role !== null && roleAllows(tx.actor.role, "approvals.manage");
    if (!isAuthor && !manages) throw forbidden("Only the post's author or someone who manages approval workflows revokes its links");
    const [pending] = await tx.db.select().from(approvalRuns).where(and(eq(approvalRuns.postId, post.id), eq(approvalRuns.status, "pending")));
    const steps = (pending?.steps ?? []) as RunStep[];
    const slot = steps[input.step]?.approvers[input.slot];
    if (!pending || !slot || slot.kind !== "external" || !slot.link || slot.link.revokedAt) throw notFound("Open approval link");
    const next = steps.map((s, i) => (i === input.step ? { ...s, approvers: s.approvers.map((a, j) => (j === input.slot ? { ...a, link: { ...a.link!, revokedAt: tx.now().toISOString() } } : a)) } : s));
    await tx.db.update(approvalRuns).set({ steps: next }).where(eq(approvalRuns.id, pending.id));
    await recordPostEvent(tx, post.id, "external_link_revoked", { runId: pending.id, step: input.step, slot: input.slot, email: slot.email });
    await tx.audit({ type: "post.external_link_revoked", data: { postId: post.id, runId: pending.id, step: input.step, slot: input.slot, email: slot.email } }, { type: "post", id: post.id });
    return { runs: await presentRuns(tx, post.id) };
  });
}
