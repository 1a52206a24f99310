import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { ROLE_ALLOWS } from "../../../authz";
import type { Role } from "../../../../contracts/roles";
import { memberships } from "../../workspaces/workspaces.schema";
import { approvedByCrisisTeam } from "../../publishing";
import type { CrisisTeamSlot, DueTarget, LockdownPolicy } from "../../publishing/lockdown-policy";
import { crises, crisisHeldPosts, crisisModes, crisisRoles } from "../crisis.schema";
import { recordCrisisEvent } from "../timeline";
import { crisisRef, isOnCrisisTeam } from "./records";

/**
 * Lock down: while a crisis mode with lock down is in force, only that crisis's team may publish or reply on the
 * workspace's channels (a drill's lock down covers Sandbox channels only). Everyone else:
 * - publishing or replying directly is refused (`crisis_lockdown`, channels' authorizeOnChannel);
 * - a post they submit for approval gets one more step, "crisis team", that only the crisis team decides (the
 *   crisis's current role holders, or anyone who may manage crises — the room's own access rule). It takes the
 *   place of the "anyone with Full publishing" step the lock down alone would cause; a workflow the channel has
 *   still runs first, and the crisis team has the last word. The step stays on the run when the lock down ends:
 *   what was written during the crisis is still decided by the crisis team (the author may withdraw and resubmit);
 * - a post of theirs that falls due on a locked channel (scheduled or approved before the lock down) is held by the
 *   publisher and recorded among the crisis's held posts, so the crisis team decides it like the pause's.
 * A crisis statement (pause_exempt) and a post the crisis team approved or released are never held by it.
 *
 * A post's person is its author (made with an API token: the token's owner); a post with nobody at all (its author's
 * account is gone) is treated as an outsider's. Publishing asks through its port (publishing/lockdown-policy.ts),
 * which `crisisLockdownPolicy` below implements; the composition root registers it (services.ts).
 */

export type Lockdown = { crisisId: string; number: number; isDrill: boolean };

/** The lock downs in force in the workspace. */
export async function activeLockdowns(ctx: Ctx, workspaceId: string): Promise<Lockdown[]> {
  return ctx.db
    .select({ crisisId: crisisModes.crisisId, number: crises.number, isDrill: crises.isDrill })
    .from(crisisModes)
    .innerJoin(crises, eq(crises.id, crisisModes.crisisId))
    .where(and(eq(crisisModes.workspaceId, workspaceId), isNull(crisisModes.endedAt), eq(crisisModes.lockdown, true)));
}

/** The lock downs that cover a channel of this network (a drill's: Sandbox only). */
export const locksOn = (locks: Lockdown[], network: string) => locks.filter((l) => !l.isDrill || network === "sandbox");

/**
 * The lock downs that lock `userId` out of a channel of this network (none when they are on one of their teams).
 * Nobody (null) is on no team: every lock down covering the channel applies.
 */
async function locksAgainst(ctx: Ctx, locks: Lockdown[], network: string, userId: string | null): Promise<Lockdown[]> {
  const applying = locksOn(locks, network);
  if (userId === null) return applying;
  for (const lock of applying) if (await isOnCrisisTeam(ctx, lock.crisisId, userId)) return [];
  return applying;
}

/** Returns true when `userId` is locked out of publishing and replying on this channel (channels' authorizeOnChannel). */
export async function lockedDownFor(ctx: Ctx, workspaceId: string, channel: { network: string }, userId: string): Promise<boolean> {
  const locks = await activeLockdowns(ctx, workspaceId);
  if (!locks.length) return false;
  return (await locksAgainst(ctx, locks, channel.network, userId)).length > 0;
}

/** Whether `userId` is outside the team of this lock down's crisis (for the banner: the composer tells them). */
export async function lockedOutOf(ctx: Ctx, crisisId: string, userId: string): Promise<boolean> {
  return !(await isOnCrisisTeam(ctx, crisisId, userId));
}

/**
 * The people who decide a "crisis team" approval step: `team`, the crisis's current role holders (workspace members),
 * and `managers`, those who may manage crises. Either decides; publishing mails the team (the managers only when the
 * team has nobody to mail).
 */
export async function crisisTeamApprovers(ctx: Ctx, workspaceId: string, crisisId: string): Promise<{ team: Set<string>; managers: Set<string> }> {
  const managerRoles = (Object.keys(ROLE_ALLOWS) as Role[]).filter((role) => (ROLE_ALLOWS[role] as readonly string[]).includes("crisis.manage"));
  const team = await ctx.db
    .select({ userId: crisisRoles.userId })
    .from(crisisRoles)
    .innerJoin(memberships, and(eq(memberships.userId, crisisRoles.userId), eq(memberships.workspaceId, workspaceId)))
    .where(and(eq(crisisRoles.crisisId, crisisId), isNull(crisisRoles.renouncedAt)));
  const managers = await ctx.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.role, managerRoles)));
  return { team: new Set(team.map((r) => r.userId)), managers: new Set(managers.map((r) => r.userId)) };
}

/**
 * The approval step a post by `authorId` (null: nobody, an outsider) for these channels needs because of a lock
 * down: one step "crisis team" (any one of its people approves) naming each crisis whose lock down covers one of the
 * channels, and the channels it covers (their "anyone with Full publishing" fallback step is replaced by it). Null
 * when none applies.
 */
export async function lockdownApprovalStep(
  ctx: Ctx,
  workspaceId: string,
  channels: Array<{ id: string; network: string }>,
  authorId: string | null,
): Promise<{ step: { label: string; mode: "any"; approvers: CrisisTeamSlot[] }; lockedChannelIds: Set<string> } | null> {
  const locks = await activeLockdowns(ctx, workspaceId);
  if (!locks.length) return null;
  const crisesNamed = new Map<string, Lockdown>();
  const lockedChannelIds = new Set<string>();
  for (const channel of channels) {
    const against = await locksAgainst(ctx, locks, channel.network, authorId);
    if (!against.length) continue;
    lockedChannelIds.add(channel.id);
    for (const lock of against) crisesNamed.set(lock.crisisId, lock);
  }
  if (!crisesNamed.size) return null;
  const named = [...crisesNamed.values()].sort((a, b) => a.number - b.number);
  return {
    step: { label: named.map((l) => crisisRef(l)).join(" · "), mode: "any", approvers: named.map((l) => ({ kind: "crisis_team", crisisId: l.crisisId, ref: crisisRef(l) })) },
    lockedChannelIds,
  };
}

/**
 * The crisis whose lock down holds this due post, or null when it may go out: its author (or nobody) is outside the
 * team of a lock down covering the channel, and the crisis team neither approved this content (a "crisis team" step of that
 * crisis in an approved run) nor released this post from the held posts (resume or reschedule).
 */
export async function lockdownHolding(ctx: Ctx, locks: Lockdown[], target: DueTarget): Promise<string | null> {
  if (target.pauseExempt) return null;
  const against = await locksAgainst(ctx, locks, target.network, target.authorId);
  if (!against.length) return null;
  const crisisIds = against.map((l) => l.crisisId);
  const released = await ctx.db
    .select({ decision: crisisHeldPosts.decision })
    .from(crisisHeldPosts)
    // Resumed or rescheduled in the crisis room; or still pending yet due again: released from publishing's held
    // posts, which under this lock down only the crisis team may do (authorizeOnChannel).
    .where(and(eq(crisisHeldPosts.postTargetId, target.id), inArray(crisisHeldPosts.crisisId, crisisIds), inArray(crisisHeldPosts.decision, ["resume", "reschedule", "pending"])));
  if (released.length) return null;
  const byTeam = await approvedByCrisisTeam(ctx, { postId: target.postId, contentHash: target.contentHash, crisisIds });
  return byTeam ? null : against[0].crisisId;
}

/**
 * Records a due post the publisher has just held for the lock down (inside its claim transaction, the target locked
 * and held with reason `crisis_lockdown`): among the crisis's held posts (pending a decision; its earlier decision,
 * if it was edited or discarded before, is reopened), and on the crisis's timeline.
 */
export async function recordLockdownHold(tx: Ctx, crisisId: string, target: DueTarget): Promise<void> {
  await tx.db
    .insert(crisisHeldPosts)
    .values({ crisisId, postTargetId: target.id, previousDueAt: target.dueAt })
    .onConflictDoUpdate({ target: [crisisHeldPosts.crisisId, crisisHeldPosts.postTargetId], set: { decision: "pending", decidedBy: null, decidedAt: null, previousDueAt: target.dueAt } });
  await recordCrisisEvent(tx, crisisId, "post_held_lockdown", { postId: target.postId, postTargetId: target.id, channelId: target.channelId, authorId: target.authorId, dueAt: target.dueAt?.toISOString() ?? null });
}

/** The crisis lock down as publishing's port asks for it (registered by the composition root, services.ts). */
export const crisisLockdownPolicy: LockdownPolicy = {
  approvalStep: lockdownApprovalStep,
  crisisTeam: crisisTeamApprovers,
  async openGate(tx, workspaceId) {
    const locks = await activeLockdowns(tx, workspaceId);
    if (!locks.length) return null;
    return { holding: (target) => lockdownHolding(tx, locks, target), held: (crisisId, target) => recordLockdownHold(tx, crisisId, target) };
  },
};
