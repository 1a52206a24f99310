import type { Ctx } from "../../context";
import { AppError } from "../../errors";
import type { ApproverRef } from "./approvals.schema";

/**
 * What publishing asks of a lock down (a crisis's, today): publishing owns this port and never imports who implements
 * it. The crisis domain implements it (crisis/crises/lockdown.ts) and the composition root registers it at start-up
 * (services.ts, `registerLockdownPolicy`), so imports point one way: crisis → publishing. Without one registered,
 * nothing is locked down.
 *
 * A post's person is its author (a post made with an API token: the token's owner). A post with nobody at all (its
 * author's account is gone) counts as written by someone outside every crisis team.
 */
export type LockdownPolicy = {
  /**
   * The approval step a post by `authorId` (null: nobody) for these channels needs because of a lock down, and the
   * channels it covers (their "anyone with Full publishing" step is replaced by it). Null when none applies.
   */
  approvalStep(
    tx: Ctx,
    workspaceId: string,
    channels: Array<{ id: string; network: string }>,
    authorId: string | null,
  ): Promise<{ step: { label: string; mode: "any"; approvers: CrisisTeamSlot[] }; lockedChannelIds: Set<string> } | null>;
  /**
   * Who decides a "crisis team" slot: `team` (the crisis's current role holders) and `managers` (anyone who may manage
   * crises). Either decides; only the team is mailed, the managers when the team has nobody to mail.
   */
  crisisTeam(tx: Ctx, workspaceId: string, crisisId: string): Promise<{ team: Set<string>; managers: Set<string> }>;
  /**
   * Opened once per workspace in the publisher's claim transaction: null when no lock down is in force there (the
   * publisher claims as usual), otherwise a gate that says which lock down holds a due post.
   */
  openGate(tx: Ctx, workspaceId: string): Promise<LockdownGate | null>;
};

/** A post target the publisher found due: what deciding whether a lock down holds it needs. */
export type DueTarget = { id: string; postId: string; channelId: string; authorId: string | null; network: string; pauseExempt: boolean; contentHash: string; dueAt: Date | null };

export type LockdownGate = {
  /** The id of the lock down's crisis that holds this due post, or null when it may go out. */
  holding(target: DueTarget): Promise<string | null>;
  /** Records, for the crisis team's decision, a post the publisher has just held for that crisis (same transaction). */
  held(crisisId: string, target: DueTarget): Promise<void>;
};

export type CrisisTeamSlot = Extract<ApproverRef, { kind: "crisis_team" }>;

const noLockdown: LockdownPolicy = {
  approvalStep: async () => null,
  crisisTeam: async () => ({ team: new Set(), managers: new Set() }),
  openGate: async () => null,
};

let policy: LockdownPolicy = noLockdown;

/** Registers the lock down publishing applies (the composition root does, once per process). */
export function registerLockdownPolicy(next: LockdownPolicy): void {
  policy = next;
}

/** The lock down policy in force (none registered: nothing is locked down). */
export const lockdownPolicy = (): LockdownPolicy => policy;

/** A post written by someone outside the crisis team during a lock down: its "crisis team" step is theirs alone. */
export const crisisTeamApprovalOnly = () =>
  new AppError("crisis_team_approval_only", 403, "This post was written during a crisis lock down: only the crisis team (or a crisis manager) approves it");
