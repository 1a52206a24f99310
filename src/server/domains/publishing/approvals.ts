import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../../context";
import { AppError, conflict } from "../../errors";
import { mailMessages } from "../../mail/messages";
import { users } from "../identity/identity.schema";
import { channels } from "../channels/channels.schema";
import { effectiveLevels } from "../channels/channel-access";
import { memberships, teamMembers, teams, workspaces } from "../workspaces/workspaces.schema";
import { approvalDecisions, approvalRuns, approvalWorkflows, channelApprovalWorkflows, type ApprovalStep, type ApproverRef } from "./approvals.schema";
import { recordPostEvent, textFor, type PostRow } from "./post-records";
import { EXTERNAL_LINK_VALID_DAYS, sendExternalLinks } from "./external-links";
import { postTargets } from "./publishing.schema";
import { lockdownPolicy } from "./lockdown-policy";

export type RunRow = typeof approvalRuns.$inferSelect;
/** A slot of a run's step: who it names; `dropped` when its person left and nobody took it over. */
export type RunSlot = ApproverRef & {
  dropped?: boolean;
  reassignedFrom?: string;
  /** An external approver's link: only its token's hash is kept (see external-approval.ts). */
  link?: { hash: string; sentAt: string; expiresAt: string; revokedAt?: string | null };
};
export type RunStep = { label: string; mode: "any" | "all"; approvers: RunSlot[] };

export const notInReview = (state: string) => conflict("post_not_in_review", `This post is not waiting for approval (it is ${state})`);
export const ownPost = () => new AppError("cannot_approve_own_post", 403, "Nobody approves their own post: someone else named in the step decides");
export const notAnApprover = () => new AppError("not_an_approver", 403, "The current approval step does not name you (or its slots that name you are already filled)");
export const alreadyDecided = () => conflict("already_decided", "You already decided on this step of the approval");
export const approvalTooLate = () => conflict("approval_too_late", "The post's scheduled time has passed: it was not approved in time and will not be published");
export const versionChanged = () => conflict("post_changed", "The post changed since you opened it: look at the new version before you decide");

/** Reminder windows before the scheduled time: each is mailed once per run. */
export const REMINDERS: Array<{ key: string; ms: number }> = [
  { key: "24h", ms: 24 * 3_600_000 },
  { key: "1h", ms: 3_600_000 },
];

/**
 * Whether a post for `channelIds` written by the actor needs approval: a channel with a workflow always does (for
 * every writer but the system); otherwise when the writer may not publish on one of the channels ("Approval
 * required", or "Can reply").
 */
export async function approvalNeeded(tx: Ctx, levels: Map<string, string>, channelIds: string[]): Promise<boolean> {
  if (tx.actor.type === "system") return false;
  if (channelIds.some((id) => levels.get(id) !== "publish")) return true;
  const assigned = await tx.db.select({ channelId: channelApprovalWorkflows.channelId }).from(channelApprovalWorkflows).where(inArray(channelApprovalWorkflows.channelId, channelIds));
  return assigned.length > 0;
}

/**
 * The people in the workspace each slot kind stands for (current members only). A "crisis team" slot stands for the
 * crisis team and crisis managers (`decide`); its mails go to the team only, to the managers when the team has nobody
 * to mail (`notify`: see currentApprovers).
 */
async function slotPeople(tx: Ctx, workspaceId: string, slot: ApproverRef, levelsOf = () => effectiveLevels(tx, workspaceId)): Promise<Set<string>> {
  if (slot.kind === "external") return new Set();
  if (slot.kind === "user") {
    const rows = await tx.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, slot.userId)));
    return new Set(rows.map((r) => r.userId));
  }
  if (slot.kind === "role") {
    const rows = await tx.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, slot.role)));
    return new Set(rows.map((r) => r.userId));
  }
  if (slot.kind === "crisis_team") {
    const { team, managers } = await lockdownPolicy().crisisTeam(tx, workspaceId, slot.crisisId);
    return new Set([...team, ...managers]);
  }
  if (slot.kind === "team") {
    const rows = await tx.db
      .select({ userId: teamMembers.userId })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .innerJoin(memberships, and(eq(memberships.userId, teamMembers.userId), eq(memberships.workspaceId, workspaceId)))
      .where(and(eq(teams.workspaceId, workspaceId), eq(teams.id, slot.teamId)));
    return new Set(rows.map((r) => r.userId));
  }
  const levels = await levelsOf();
  return new Set([...levels].filter(([, byChannel]) => byChannel.get(slot.channelId)?.level === "publish").map(([userId]) => userId));
}

/**
 * The steps a post for these channels goes through: for each of its channels in order, the channel's workflow
 * (each workflow once, even when several channels use it), or, for a channel without one where the writer needs
 * approval, one step "anyone with Full publishing on that channel". A slot naming the author or someone no longer
 * a member is dropped; a step left without slots falls back to its channel's publishers.
 */
export async function resolveSteps(
  tx: Ctx,
  workspaceId: string,
  channelIds: string[],
  authorId: string | null,
  levels: Map<string, string>,
  /** Channels under a crisis lock down for the author: the crisis team's step replaces their publishers' one. */
  lockedChannelIds: Set<string> = new Set(),
): Promise<RunStep[]> {
  const assigned = await tx.db
    .select({ channelId: channelApprovalWorkflows.channelId, workflow: approvalWorkflows })
    .from(channelApprovalWorkflows)
    .innerJoin(approvalWorkflows, eq(approvalWorkflows.id, channelApprovalWorkflows.workflowId))
    .where(inArray(channelApprovalWorkflows.channelId, channelIds));
  const handles = new Map((await tx.db.select({ id: channels.id, handle: channels.handle }).from(channels).where(inArray(channels.id, channelIds))).map((c) => [c.id, c.handle]));
  const steps: RunStep[] = [];
  const seen = new Set<string>();
  for (const channelId of channelIds) {
    const entry = assigned.find((a) => a.channelId === channelId);
    const fallback: RunSlot = { kind: "channel_publishers", channelId };
    if (entry) {
      if (seen.has(entry.workflow.id)) continue;
      seen.add(entry.workflow.id);
      for (const [index, step] of (entry.workflow.steps as ApprovalStep[]).entries()) {
        const approvers: RunSlot[] = [];
        for (const ref of step.approvers) {
          if (ref.kind === "user" && (ref.userId === authorId || !(await slotPeople(tx, workspaceId, ref)).size)) continue;
          approvers.push(ref);
        }
        steps.push({ label: `${entry.workflow.name} · ${index + 1}`, mode: step.mode, approvers: approvers.length ? approvers : [fallback] });
      }
    } else if (levels.get(channelId) !== "publish" && !lockedChannelIds.has(channelId)) {
      steps.push({ label: `@${handles.get(channelId) ?? channelId}`, mode: "any", approvers: [fallback] });
    }
  }
  return steps;
}

/** Who a slot stands for (see slotPeople). */
export type SlotPeople = (slot: ApproverRef) => Promise<Set<string>>;

/**
 * slotPeople for reading many runs at once (the approval queue): each distinct slot (a role, a team, a channel's
 * publishers, a crisis's team…) is looked up once, and the channel levels once, however many runs name it.
 */
export function slotPeopleOnce(tx: Ctx, workspaceId: string): SlotPeople {
  let levels: ReturnType<typeof effectiveLevels> | undefined;
  const levelsOf = () => (levels ??= effectiveLevels(tx, workspaceId));
  const seen = new Map<string, Promise<Set<string>>>();
  return (slot) => {
    const key = JSON.stringify([slot.kind, "userId" in slot ? slot.userId : "teamId" in slot ? slot.teamId : "role" in slot ? slot.role : "channelId" in slot ? slot.channelId : "crisisId" in slot ? slot.crisisId : null]);
    let people = seen.get(key);
    if (!people) seen.set(key, (people = slotPeople(tx, workspaceId, slot, levelsOf)));
    return people;
  };
}

/** The slots of `step` that `userId` may fill and that nobody filled yet. */
export async function openSlotsFor(tx: Ctx, workspaceId: string, run: RunRow, userId: string): Promise<number[]> {
  const step = (run.steps as RunStep[])[run.currentStep];
  if (!step) return [];
  const filled = new Set(
    (await tx.db.select({ slot: approvalDecisions.slot }).from(approvalDecisions).where(and(eq(approvalDecisions.runId, run.id), eq(approvalDecisions.step, run.currentStep), eq(approvalDecisions.decision, "approved")))).map((d) => d.slot),
  );
  return openSlotsAmong(step, filled, userId, (slot) => slotPeople(tx, workspaceId, slot));
}

/** The slots of `step` that `userId` may fill, given the slots already `filled` (approved) on it. */
export async function openSlotsAmong(step: RunStep, filled: ReadonlySet<number | null>, userId: string, peopleOf: SlotPeople): Promise<number[]> {
  const open: number[] = [];
  for (const [index, slot] of step.approvers.entries()) {
    if (slot.dropped || filled.has(index)) continue;
    if ((await peopleOf(slot)).has(userId)) open.push(index);
  }
  // A person named directly fills their own slot first, then a team's or a role's.
  return open.sort((a, b) => Number(step.approvers[b].kind === "user") - Number(step.approvers[a].kind === "user"));
}

/** Whether the current step has what it needs: one approval (any), or every slot not dropped filled (all). */
export async function stepComplete(tx: Ctx, run: RunRow): Promise<boolean> {
  const step = (run.steps as RunStep[])[run.currentStep];
  if (!step) return true;
  const filled = new Set(
    (await tx.db.select({ slot: approvalDecisions.slot }).from(approvalDecisions).where(and(eq(approvalDecisions.runId, run.id), eq(approvalDecisions.step, run.currentStep), eq(approvalDecisions.decision, "approved")))).map((d) => d.slot),
  );
  const live = step.approvers.map((s, i) => ({ s, i })).filter(({ s }) => !s.dropped);
  return step.mode === "any" ? filled.size > 0 : live.every(({ i }) => filled.has(i));
}

/**
 * The people to ask to decide on the run's current step now (not the author, not who already decided). A "crisis
 * team" slot asks the crisis team (its current role holders), and the crisis managers only when the team has nobody
 * left to ask: managers may decide it too, but are not mailed about every post of every crisis.
 */
export async function currentApprovers(tx: Ctx, workspaceId: string, run: RunRow, authorId: string | null) {
  const step = (run.steps as RunStep[])[run.currentStep];
  if (!step) return [];
  const decided = new Set(
    (await tx.db.select({ userId: approvalDecisions.userId }).from(approvalDecisions).where(and(eq(approvalDecisions.runId, run.id), eq(approvalDecisions.step, run.currentStep)))).map((d) => d.userId),
  );
  const filled = new Set(
    (await tx.db.select({ slot: approvalDecisions.slot }).from(approvalDecisions).where(and(eq(approvalDecisions.runId, run.id), eq(approvalDecisions.step, run.currentStep), eq(approvalDecisions.decision, "approved")))).map((d) => d.slot),
  );
  const ids = new Set<string>();
  for (const [index, slot] of step.approvers.entries()) {
    if (slot.dropped || filled.has(index)) continue;
    const askable = (people: Iterable<string>) => [...people].filter((id) => id !== authorId && !decided.has(id));
    if (slot.kind === "crisis_team") {
      const { team, managers } = await lockdownPolicy().crisisTeam(tx, workspaceId, slot.crisisId);
      const members = askable(team);
      for (const id of members.length ? members : askable(managers)) ids.add(id);
      continue;
    }
    for (const id of askable(await slotPeople(tx, workspaceId, slot))) ids.add(id);
  }
  if (!ids.size) return [];
  return tx.db.select({ id: users.id, email: users.email, name: users.name, locale: users.locale }).from(users).where(inArray(users.id, [...ids]));
}

/** Mails the people who may decide on the run's current step (when it becomes current, or as a reminder). */
export async function mailCurrentApprovers(tx: Ctx, post: PostRow, run: RunRow, reminder: boolean): Promise<number> {
  const external = reminder ? 0 : await sendExternalLinks(tx, post, run);
  const readers = await currentApprovers(tx, post.workspaceId, run, post.authorId);
  if (!readers.length) return external;
  const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, post.workspaceId));
  const [author] = post.authorId ? await tx.db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, post.authorId)) : [];
  const [target] = await tx.db.select().from(postTargets).where(eq(postTargets.postId, post.id)).limit(1);
  const text = target ? textFor(post, target) : post.text;
  const excerpt = text.length > 140 ? `${text.slice(0, 140)}…` : text;
  for (const reader of readers) {
    const mail = mailMessages(reader.locale).approvalRequested({
      name: reader.name,
      workspace: workspace?.name ?? "",
      author: author ? author.name || author.email : "—",
      excerpt,
      scheduledAt: post.scheduledAt,
      locale: reader.locale,
      reminder,
      link: `${tx.services.config.publicUrl}/posts/${post.id}`,
    });
    await tx.services.mailer.enqueue(tx.db, { to: reader.email, workspaceId: post.workspaceId, ...mail });
  }
  tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
  return readers.length + external;
}

/** The post's pending run, if any (locked with the post by the caller). */
export async function pendingRunOf(tx: Ctx, postId: string): Promise<RunRow | null> {
  const [run] = await tx.db.select().from(approvalRuns).where(and(eq(approvalRuns.postId, postId), eq(approvalRuns.status, "pending"))).orderBy(desc(approvalRuns.createdAt)).limit(1).for("update");
  return run ?? null;
}

/** The post's run that approved exactly `contentHash`, if any: the content may go out without another approval. */
export async function approvedRunFor(tx: Ctx, postId: string, contentHash: string): Promise<RunRow | null> {
  const [run] = await tx.db.select().from(approvalRuns).where(and(eq(approvalRuns.postId, postId), eq(approvalRuns.status, "approved"), eq(approvalRuns.contentHash, contentHash))).limit(1);
  return run ?? null;
}

/** Closes the post's pending or approved runs when its content changed (or it was cancelled): their approvals no longer apply. */
export async function invalidateRuns(tx: Ctx, post: PostRow, newHash: string | null, status: "invalidated" | "cancelled"): Promise<number> {
  const open = await tx.db.select().from(approvalRuns).where(and(eq(approvalRuns.postId, post.id), inArray(approvalRuns.status, ["pending", "approved"])));
  const stale = open.filter((r) => newHash === null || r.contentHash !== newHash);
  for (const run of stale) {
    await tx.db.update(approvalRuns).set({ status, decidedAt: tx.now() }).where(eq(approvalRuns.id, run.id));
    await recordPostEvent(tx, post.id, status === "cancelled" ? "approval_withdrawn" : "approval_invalidated", { runId: run.id, version: run.version, contentHash: run.contentHash, wasApproved: run.status === "approved" });
  }
  return stale.length;
}

/**
 * Submits a post for approval (inside the caller's transaction): a run bound to its current content hash and
 * version; the approvers of the first step are mailed. Reminder windows the post is already inside count as sent.
 */
export async function submitForApproval(tx: Ctx, post: PostRow, channelIds: string[], levels: Map<string, string>): Promise<RunRow> {
  // A crisis lock down adds one last step that only the crisis team decides (lockdown-policy.ts).
  const networks = await tx.db.select({ id: channels.id, network: channels.network }).from(channels).where(inArray(channels.id, channelIds));
  const lockdown = await lockdownPolicy().approvalStep(tx, post.workspaceId, networks, post.authorId);
  const steps = await resolveSteps(tx, post.workspaceId, channelIds, post.authorId, levels, lockdown?.lockedChannelIds);
  if (lockdown) steps.push(lockdown.step);
  const now = tx.now();
  const remindersSent = post.scheduledAt ? REMINDERS.filter((r) => post.scheduledAt!.getTime() - now.getTime() <= r.ms).map((r) => r.key) : [];
  const [run] = await tx.db
    .insert(approvalRuns)
    .values({
      workspaceId: post.workspaceId,
      postId: post.id,
      contentHash: post.contentHash,
      version: post.version,
      status: "pending",
      steps,
      submittedBy: tx.actor.type === "user" ? tx.actor.userId : null,
      remindersSent,
      createdAt: now,
    })
    .returning();
  await recordPostEvent(tx, post.id, "submitted", { runId: run.id, version: post.version, contentHash: post.contentHash, steps: steps.map((s) => s.label) });
  await tx.audit({ type: "post.submitted", data: { postId: post.id, runId: run.id, version: post.version, contentHash: post.contentHash, steps: steps.length } }, { type: "post", id: post.id });
  await mailCurrentApprovers(tx, post, run, false);
  return run;
}

/** A run as the API shows it: its steps with who fills each slot, and every decision with the version it was on. */
export async function presentRuns(tx: Ctx, postId: string) {
  const runs = await tx.db.select().from(approvalRuns).where(eq(approvalRuns.postId, postId)).orderBy(asc(approvalRuns.createdAt));
  if (!runs.length) return [];
  const decisions = await tx.db.select().from(approvalDecisions).where(inArray(approvalDecisions.runId, runs.map((r) => r.id))).orderBy(asc(approvalDecisions.id));
  return runs.map((run) => ({
    id: run.id,
    status: run.status as "pending" | "approved" | "rejected" | "invalidated" | "expired" | "cancelled",
    version: run.version,
    contentHash: run.contentHash,
    currentStep: run.currentStep,
    submittedBy: run.submittedBy,
    createdAt: run.createdAt.toISOString(),
    decidedAt: run.decidedAt?.toISOString() ?? null,
    steps: (run.steps as RunStep[]).map((step) => ({
      label: step.label,
      mode: step.mode,
      // An external approver's link shows when it expires and whether it was revoked, never its hash.
      approvers: step.approvers.map(({ link, ...a }) => ({ ...a, dropped: a.dropped ?? false, ...(link ? { link: { sentAt: link.sentAt, expiresAt: link.expiresAt, revoked: Boolean(link.revokedAt) } } : {}) })),
    })),
    decisions: decisions
      .filter((d) => d.runId === run.id)
      .map((d) => ({ step: d.step, slot: d.slot, userId: d.userId, actor: d.actorLabel, decision: d.decision as "approved" | "rejected", comment: d.comment, contentHash: d.contentHash, at: d.createdAt.toISOString() })),
  }));
}

export type ApprovalPlan = {
  state: "draft" | "scheduled" | "in_review" | "approved";
  /** The post's time: a "publish now" that goes to review waits without one (approved, it is published on request). */
  scheduledAt: Date | null;
  /** Submit a new run once the post is written. */
  submit: boolean;
};

/**
 * What saving a post with this content makes of it: a draft (no time); scheduled (no approval needed, or this exact
 * content was approved and the writer is its author or may publish everywhere); in review (a new run, or the pending
 * one when the content is unchanged); approved (unchanged approved content saved without a time).
 */
export async function planApproval(
  tx: Ctx,
  input: { post: PostRow | null; contentHash: string; channelIds: string[]; levels: Map<string, string>; scheduledAt: Date | null },
): Promise<ApprovalPlan> {
  const { post, contentHash } = input;
  if (!input.scheduledAt) {
    if (post && post.state === "approved" && (await approvedRunFor(tx, post.id, contentHash))) return { state: "approved", scheduledAt: null, submit: false };
    return { state: "draft", scheduledAt: null, submit: false };
  }
  if (!(await approvalNeeded(tx, input.levels, input.channelIds))) return { state: "scheduled", scheduledAt: input.scheduledAt, submit: false };
  const publishNow = input.scheduledAt.getTime() <= tx.now().getTime() + 60_000;
  const isAuthor = tx.actor.type === "user" && post?.authorId === tx.actor.userId;
  const mayPublishAll = input.channelIds.every((id) => input.levels.get(id) === "publish");
  if (post && (isAuthor || mayPublishAll) && (await approvedRunFor(tx, post.id, contentHash))) return { state: "scheduled", scheduledAt: input.scheduledAt, submit: false };
  const pending = post ? await pendingRunOf(tx, post.id) : null;
  return { state: "in_review", scheduledAt: publishNow ? null : input.scheduledAt, submit: !(pending && pending.contentHash === contentHash) };
}

/** Withdraws the post's pending run (the writer took it out of review, or cancelled it). */
export async function withdrawPendingRun(tx: Ctx, postId: string, why: "draft" | "cancelled"): Promise<void> {
  const pending = await pendingRunOf(tx, postId);
  if (!pending) return;
  await tx.db.update(approvalRuns).set({ status: "cancelled", decidedAt: tx.now() }).where(eq(approvalRuns.id, pending.id));
  await recordPostEvent(tx, postId, "approval_withdrawn", { runId: pending.id, version: pending.version, contentHash: pending.contentHash, why });
}

/** Tells a post's author (in their language) that it was rejected, with the approver's comment. */
export async function mailRejection(tx: Ctx, post: PostRow, approver: string, comment: string): Promise<void> {
  if (!post.authorId) return;
  const [author] = await tx.db.select({ email: users.email, name: users.name, locale: users.locale }).from(users).where(eq(users.id, post.authorId));
  if (!author) return;
  const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, post.workspaceId));
  const [target] = await tx.db.select().from(postTargets).where(eq(postTargets.postId, post.id)).limit(1);
  const text = target ? textFor(post, target) : post.text;
  const mail = mailMessages(author.locale).postRejected({
    name: author.name,
    workspace: workspace?.name ?? "",
    approver,
    comment,
    excerpt: text.length > 140 ? `${text.slice(0, 140)}…` : text,
    link: `${tx.services.config.publicUrl}/posts/${post.id}`,
  });
  await tx.services.mailer.enqueue(tx.db, { to: author.email, workspaceId: post.workspaceId, ...mail });
  tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
}

/**
 * A post in review moved to `at`: its approval deadline moves with it. Reminder windows the post is already inside
 * count as sent (as at submission), the others are sent again before the new time; each external approver's live
 * link of the current step expires at the new time (never later than EXTERNAL_LINK_VALID_DAYS after it was sent).
 */
export async function retimePendingRun(tx: Ctx, postId: string, at: Date): Promise<void> {
  const run = await pendingRunOf(tx, postId);
  if (!run) return;
  const left = at.getTime() - tx.now().getTime();
  const remindersSent = REMINDERS.filter((r) => left <= r.ms).map((r) => r.key);
  const steps = (run.steps as RunStep[]).map((step, index) =>
    index !== run.currentStep
      ? step
      : {
          ...step,
          approvers: step.approvers.map((slot) =>
            slot.link && !slot.link.revokedAt
              ? { ...slot, link: { ...slot.link, expiresAt: new Date(Math.min(at.getTime(), new Date(slot.link.sentAt).getTime() + EXTERNAL_LINK_VALID_DAYS * 86_400_000)).toISOString() } }
              : slot,
          ),
        },
  );
  await tx.db.update(approvalRuns).set({ remindersSent, steps }).where(eq(approvalRuns.id, run.id));
}
