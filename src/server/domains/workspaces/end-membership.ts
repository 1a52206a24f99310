import { and, eq, inArray } from "drizzle-orm";
import type { Role } from "../../../contracts/roles";
import type { Ctx } from "../../context";
import { revokeAllAccessOf } from "../identity";
import { unsafeRemoveChannelGrantsOf } from "../channels/channel-access";
import { unsafeHandOverPostsOf } from "../publishing/commands/hand-over-posts";
import { unsafeReassignApprovalsOf } from "../publishing/commands/reassign-approvals";
import { memberships, teamMembers, teams } from "./workspaces.schema";

export type EndedMembership = { sessionsEnded: number; tokensRevoked: number; channelGrantsRemoved: number; teamsLeft: number; postsHeld: number; postsHandedOver: number; approvalsReassigned?: number; approvalsDropped?: number };

/**
 * Ends a person's access to a workspace (offboarding), inside the caller's transaction, after the caller decided
 * it may (a removal by an admin, a partner's end date): every session and API token of theirs ends at once, their
 * channel grants and team places go, their scheduled posts are held for review (not published under their name) and
 * their open posts go to `newOwnerId` (when given), their pending approval slots go to `newOwnerId` or are dropped
 * (counted only when there were any), then their membership; `member.removed` records the counts and why (also used when the identity provider deprovisions someone over SCIM).
 */
export async function unsafeEndMembership(
  tx: Ctx,
  input: { workspaceId: string; userId: string; role: Role; reason: "removed" | "partner_access_ended" | "deprovisioned"; newOwnerId?: string | null },
): Promise<EndedMembership> {
  const { workspaceId, userId } = input;
  const workspaceTeams = tx.db.select({ id: teams.id }).from(teams).where(eq(teams.workspaceId, workspaceId));
  const teamsLeft = (await tx.db.delete(teamMembers).where(and(eq(teamMembers.userId, userId), inArray(teamMembers.teamId, workspaceTeams))).returning()).length;
  const channelGrantsRemoved = await unsafeRemoveChannelGrantsOf(tx, workspaceId, userId);
  await tx.db.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  const revoked = await revokeAllAccessOf(tx, userId, workspaceId, input.reason === "removed" ? "removed_from_workspace" : input.reason);
  const handedOver = await unsafeHandOverPostsOf(tx, { workspaceId, userId, newOwnerId: input.newOwnerId ?? null });
  const approvals = await unsafeReassignApprovalsOf(tx, { workspaceId, userId, newOwnerId: input.newOwnerId ?? null });
  const counts = { ...revoked, channelGrantsRemoved, teamsLeft, ...handedOver, ...(approvals.approvalsReassigned || approvals.approvalsDropped ? approvals : {}) };
  await tx.audit(
    { type: "member.removed", data: { userId, role: input.role, ...counts, ...(input.reason === "removed" ? {} : { reason: input.reason }) } },
    { type: "user", id: userId },
  );
  return counts;
}
