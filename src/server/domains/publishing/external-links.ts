import { and, eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { AppError } from "../../errors";
import { hashToken, newToken } from "../../crypto/secrets";
import { mailMessages } from "../../mail/messages";
import { channels } from "../channels/channels.schema";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";
import { approvalDecisions, approvalRuns } from "./approvals.schema";
import type { RunRow, RunSlot, RunStep } from "./approvals";
import { textFor, type PostRow } from "./post-records";
import { posts, postTargets } from "./publishing.schema";

/** How long an external approver's link works at most (and never past the post's scheduled time). */
export const EXTERNAL_LINK_VALID_DAYS = 7;

export const approvalLinkInvalid = () =>
  new AppError("approval_link_invalid", 410, "This approval link no longer works: it was used, revoked or expired, or the post changed. Ask the person who sent it for a new one");

export const externalLinkUrl = (ctx: Ctx, token: string) => `${ctx.services.config.publicUrl}/external-approval?token=${encodeURIComponent(token)}`;

/**
 * Mails each external approver of the run's current step (a slot not filled, not dropped, without a live link) a
 * single-purpose link: only its hash is stored, on the slot; it expires after EXTERNAL_LINK_VALID_DAYS or at the
 * post's scheduled time, whichever is first. Inside the caller's transaction. Returns how many were mailed.
 */
export async function sendExternalLinks(tx: Ctx, post: PostRow, run: RunRow): Promise<number> {
  const steps = run.steps as RunStep[];
  const step = steps[run.currentStep];
  if (!step?.approvers.some((a) => a.kind === "external")) return 0;
  const now = tx.now();
  const filled = new Set((await tx.db.select({ slot: approvalDecisions.slot }).from(approvalDecisions).where(and(eq(approvalDecisions.runId, run.id), eq(approvalDecisions.step, run.currentStep)))).map((d) => d.slot));
  const limit = now.getTime() + EXTERNAL_LINK_VALID_DAYS * 86_400_000;
  const expiresAt = new Date(post.scheduledAt ? Math.min(post.scheduledAt.getTime(), limit) : limit);
  const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, post.workspaceId));
  const [author] = post.authorId ? await tx.db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, post.authorId)) : [];
  const [sender] = tx.actor.type === "user" ? [{ locale: (await tx.db.select({ locale: users.locale }).from(users).where(eq(users.id, tx.actor.userId)))[0]?.locale ?? "en" }] : [{ locale: "en" }];
  let sent = 0;
  const approvers: RunSlot[] = [];
  for (const [index, slot] of step.approvers.entries()) {
    if (slot.kind !== "external" || slot.dropped || filled.has(index) || (slot.link && !slot.link.revokedAt && new Date(slot.link.expiresAt) > now)) {
      approvers.push(slot);
      continue;
    }
    const token = newToken("ppa_");
    approvers.push({ ...slot, link: { hash: hashToken(token), sentAt: now.toISOString(), expiresAt: expiresAt.toISOString(), revokedAt: null } });
    const mail = mailMessages(sender.locale).externalApprovalRequested({
      name: slot.name,
      workspace: workspace?.name ?? "",
      author: author ? author.name || author.email : "—",
      scheduledAt: post.scheduledAt,
      expiresAt,
      locale: sender.locale,
      link: externalLinkUrl(tx, token),
    });
    await tx.services.mailer.enqueue(tx.db, { to: slot.email, workspaceId: post.workspaceId, ...mail });
    await tx.audit({ type: "post.external_link_sent", data: { postId: post.id, runId: run.id, step: run.currentStep, slot: index, email: slot.email, expiresAt: expiresAt.toISOString() } }, { type: "post", id: post.id });
    sent++;
  }
  if (sent) {
    const next = steps.map((s, i) => (i === run.currentStep ? { ...s, approvers } : s));
    await tx.db.update(approvalRuns).set({ steps: next }).where(eq(approvalRuns.id, run.id));
    run.steps = next;
    tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
  }
  return sent;
}

export type OpenLink = { run: RunRow; post: PostRow; slotIndex: number; slot: RunSlot & { kind: "external" } };

/**
 * The pending run, post and slot an external approver's token stands for, when the link still works: the slot is in
 * the current step, not filled, not dropped, its link not revoked or expired, and the post is in review with the
 * content the run was submitted with. `approval_link_invalid` (410) otherwise, whatever the reason. The post is
 * locked when `forUpdate`.
 */
export async function openExternalLink(tx: Ctx, token: string, options: { forUpdate?: boolean } = {}): Promise<OpenLink> {
  if (!token.startsWith("ppa_") || token.length > 100) throw approvalLinkInvalid();
  const hash = hashToken(token);
  // Only pending runs are looked at; the hash is unguessable and unique, so a text search of their steps is exact.
  const [found] = await tx.db
    .select({ id: approvalRuns.id, postId: approvalRuns.postId })
    .from(approvalRuns)
    .where(and(eq(approvalRuns.status, "pending"), sql`${approvalRuns.steps}::text like ${`%"${hash}"%`}`));
  if (!found) throw approvalLinkInvalid();
  const postQuery = tx.db.select().from(posts).where(eq(posts.id, found.postId));
  const [post] = options.forUpdate ? await postQuery.for("update") : await postQuery;
  const [run] = await tx.db.select().from(approvalRuns).where(eq(approvalRuns.id, found.id));
  if (!post || !run || run.status !== "pending" || post.state !== "in_review" || post.contentHash !== run.contentHash) throw approvalLinkInvalid();
  const step = (run.steps as RunStep[])[run.currentStep];
  const slotIndex = step?.approvers.findIndex((a) => a.link?.hash === hash) ?? -1;
  const slot = step?.approvers[slotIndex];
  if (!slot || slot.kind !== "external" || slot.dropped || !slot.link || slot.link.revokedAt || new Date(slot.link.expiresAt) <= tx.now()) throw approvalLinkInvalid();
  const [filled] = await tx.db.select({ id: approvalDecisions.id }).from(approvalDecisions).where(and(eq(approvalDecisions.runId, run.id), eq(approvalDecisions.step, run.currentStep), eq(approvalDecisions.slot, slotIndex)));
  if (filled) throw approvalLinkInvalid();
  return { run, post, slotIndex, slot: slot as OpenLink["slot"] };
}

/** The post as it will appear on each of its channels, for the external approver's page. */
export async function previewFor(tx: Ctx, open: OpenLink) {
  const rows = await tx.db
    .select({ target: postTargets, handle: channels.handle, network: channels.network })
    .from(postTargets)
    .innerJoin(channels, eq(channels.id, postTargets.channelId))
    .where(eq(postTargets.postId, open.post.id));
  const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, open.post.workspaceId));
  const step = (open.run.steps as RunStep[])[open.run.currentStep];
  return {
    workspace: workspace?.name ?? "",
    approver: { name: open.slot.name, email: open.slot.email },
    step: { label: step.label, index: open.run.currentStep, of: (open.run.steps as RunStep[]).length },
    scheduledAt: open.post.scheduledAt?.toISOString() ?? null,
    expiresAt: open.slot.link!.expiresAt,
    contentHash: open.post.contentHash,
    channels: rows.map((r) => ({ network: tx.services.networks.displayNameOf(r.network), handle: r.handle, text: textFor(open.post, r.target) })),
  };
}
