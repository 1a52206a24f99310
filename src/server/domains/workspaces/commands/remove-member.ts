import { and, eq, inArray } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize, mayRemoveMember } from "../../../authz";
import { revokeAllAccessOf } from "../../identity";
import { unsafeRemoveChannelGrantsOf } from "../../channels/channel-access";
import { memberships, teamMembers, teams } from "../workspaces.schema";
import { roleNotAllowed } from "../workspaces.errors";
import { currentWorkspace } from "../workspace-actor";
import { assertAnotherOwner, lockedMembership } from "../membership-changes";

/**
 * Removes a person's access to the workspace in one action (offboarding): every session and API token of theirs
 * ends at once (a request of theirs still running cannot write afterwards: see `inTransaction`), their channel
 * grants and team places go, and so does their membership. Returns the counts, which the audit log keeps too.
 * (Pending approvals and scheduled posts join this when publishing exists.)
 */
export async function removeMember(ctx: Ctx, input: { userId: string }) {
  authorize(ctx.actor, "members.remove");
  const { workspaceId, role: actorRole } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const { role } = await lockedMembership(tx, workspaceId, input.userId);
    if (!mayRemoveMember(actorRole, role)) throw roleNotAllowed();
    if (role === "owner") await assertAnotherOwner(tx, workspaceId, input.userId);
    const workspaceTeams = tx.db.select({ id: teams.id }).from(teams).where(eq(teams.workspaceId, workspaceId));
    const teamsLeft = (await tx.db.delete(teamMembers).where(and(eq(teamMembers.userId, input.userId), inArray(teamMembers.teamId, workspaceTeams))).returning()).length;
    const channelGrantsRemoved = await unsafeRemoveChannelGrantsOf(tx, workspaceId, input.userId);
    await tx.db.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, input.userId)));
    const counts = { ...(await revokeAllAccessOf(tx, input.userId, workspaceId, "removed_from_workspace")), channelGrantsRemoved, teamsLeft };
    await tx.audit({ type: "member.removed", data: { userId: input.userId, role, ...counts } }, { type: "user", id: input.userId });
    return counts;
  });
}
