import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { authorizeOnChannel, myLevels } from "../../channels";
import { channels } from "../../channels/channels.schema";
import { users } from "../../identity/identity.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { openSlotsAmong, openSlotsFor, presentRuns, slotPeopleOnce, type RunStep } from "../approvals";
import { approvalDecisions, approvalRuns } from "../approvals.schema";
import { findPost, presentPost, textFor } from "../post-records";
import { posts, postTargets } from "../publishing.schema";

/**
 * "Waiting for me": posts in review whose current step names the reader (a slot they may fill and nobody filled),
 * that they did not write and have not decided on yet; soonest deadline first. Approvers see the whole post (every
 * channel), since they decide on all of it.
 */
export async function approvalQueue(ctx: Ctx) {
  const waiting = await runsWaitingForReader(ctx);
  if (!waiting.length) return [];
  const targets = await ctx.db.select().from(postTargets).where(inArray(postTargets.postId, waiting.map((w) => w.post.id)));
  return waiting.map(({ run, post }) => ({
    post: presentPost(post, targets.filter((t) => t.postId === post.id)),
    step: { index: run.currentStep, of: (run.steps as RunStep[]).length, label: (run.steps as RunStep[])[run.currentStep].label, mode: (run.steps as RunStep[])[run.currentStep].mode },
    runId: run.id,
    submittedAt: run.createdAt.toISOString(),
  }));
}

/**
 * How many posts wait for the reader's decision (the posts of approvalQueue) and their scheduled times (each one's
 * approval deadline), soonest first: for counts (the Home overview, the badge) without reading the posts' channels.
 */
export async function approvalsWaiting(ctx: Ctx): Promise<{ count: number; deadlines: string[] }> {
  const waiting = await runsWaitingForReader(ctx);
  const deadlines = waiting.flatMap((w) => (w.post.scheduledAt ? [w.post.scheduledAt.toISOString()] : [])).sort();
  return { count: waiting.length, deadlines };
}

/**
 * The pending runs the reader may decide on now, in queue order. A fixed number of statements however many posts
 * are in review: the decisions of every run are read at once, and each distinct slot is looked up once.
 */
async function runsWaitingForReader(ctx: Ctx) {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  if (ctx.actor.type !== "user") return [];
  const me = ctx.actor.userId;
  const pending = (
    await ctx.db
      .select({ run: approvalRuns, post: posts })
      .from(approvalRuns)
      .innerJoin(posts, eq(posts.id, approvalRuns.postId))
      .where(and(eq(approvalRuns.workspaceId, workspaceId), eq(approvalRuns.status, "pending"), eq(posts.state, "in_review")))
      .orderBy(asc(posts.scheduledAt), asc(approvalRuns.createdAt))
  ).filter((row) => row.post.authorId !== me);
  if (!pending.length) return [];
  const decisions = await ctx.db
    .select({ runId: approvalDecisions.runId, step: approvalDecisions.step, slot: approvalDecisions.slot, userId: approvalDecisions.userId, decision: approvalDecisions.decision })
    .from(approvalDecisions)
    .where(inArray(approvalDecisions.runId, pending.map((row) => row.run.id)));
  const peopleOf = slotPeopleOnce(ctx, workspaceId);
  const waiting: typeof pending = [];
  for (const row of pending) {
    const step = (row.run.steps as RunStep[])[row.run.currentStep];
    const onStep = decisions.filter((d) => d.runId === row.run.id && d.step === row.run.currentStep);
    if (!step || onStep.some((d) => d.userId === me)) continue;
    const filled = new Set(onStep.filter((d) => d.decision === "approved").map((d) => d.slot));
    if ((await openSlotsAmong(step, filled, me, peopleOf)).length) waiting.push(row);
  }
  return waiting;
}

/**
 * A post's approval runs (oldest first), each with its steps and every decision with the version (content hash) it
 * was made on. For whoever can read one of the post's channels, or is named in one of its runs' steps.
 */
export async function approvalsOfPost(ctx: Ctx, input: { postId: string }) {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  const { post, targets } = await findPost(ctx, workspaceId, input.postId);
  const levels = await myLevels(ctx);
  const readable = ctx.actor.type === "system" || post.authorId === (ctx.actor.type === "user" ? ctx.actor.userId : null) || targets.some((t) => (levels.get(t.channelId) ?? "none") !== "none");
  if (!readable) {
    const named = ctx.actor.type === "user" && (await isNamedApprover(ctx, workspaceId, post.id, ctx.actor.userId));
    if (!named && targets[0]) await authorizeOnChannel(ctx, targets[0].channelId, "read");
  }
  return { runs: await presentRuns(ctx, post.id) };
}

async function isNamedApprover(ctx: Ctx, workspaceId: string, postId: string, userId: string) {
  const [run] = await ctx.db.select().from(approvalRuns).where(and(eq(approvalRuns.postId, postId), eq(approvalRuns.status, "pending")));
  return run ? (await openSlotsFor(ctx, workspaceId, run, userId)).length > 0 : false;
}

/**
 * Posts in review whose approval has a "crisis team" step of this crisis still to come or current (a lock down sent
 * them there): for the crisis room, soonest first. `atCrisisTeamStep` is false while an earlier step (a channel's
 * workflow) decides first. No access check: the crisis room's list (crisis/crises) checks who reads what.
 */
export async function unsafePostsAwaitingCrisisTeam(ctx: Ctx, workspaceId: string, crisisId: string) {
  const naming = JSON.stringify([{ approvers: [{ kind: "crisis_team", crisisId }] }]);
  const rows = await ctx.db
    .select({ run: approvalRuns, post: posts, authorName: users.name, authorEmail: users.email })
    .from(approvalRuns)
    .innerJoin(posts, eq(posts.id, approvalRuns.postId))
    .leftJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(approvalRuns.workspaceId, workspaceId), eq(approvalRuns.status, "pending"), eq(posts.state, "in_review"), sql`${approvalRuns.steps} @> ${naming}::jsonb`))
    .orderBy(asc(posts.scheduledAt), asc(approvalRuns.createdAt));
  if (!rows.length) return [];
  const targets = await ctx.db
    .select({ postId: postTargets.postId, channelId: postTargets.channelId, variantText: postTargets.variantText, handle: channels.handle, network: channels.network })
    .from(postTargets)
    .innerJoin(channels, eq(channels.id, postTargets.channelId))
    .where(inArray(postTargets.postId, rows.map((r) => r.post.id)))
    .orderBy(asc(postTargets.id));
  return rows.map(({ run, post, authorName, authorEmail }) => {
    const steps = run.steps as RunStep[];
    const mine = targets.filter((t) => t.postId === post.id);
    const current = steps[run.currentStep];
    return {
      postId: post.id,
      text: mine[0] ? textFor(post, mine[0]) : post.text,
      channels: mine.map((t) => ({ id: t.channelId, handle: t.handle, network: t.network })),
      authorId: post.authorId,
      authorName: post.authorId ? authorName || authorEmail : null,
      scheduledAt: post.scheduledAt?.toISOString() ?? null,
      submittedAt: run.createdAt.toISOString(),
      step: { index: run.currentStep, of: steps.length, label: current?.label ?? "" },
      atCrisisTeamStep: Boolean(current?.approvers.some((a) => a.kind === "crisis_team" && a.crisisId === crisisId)),
    };
  });
}
