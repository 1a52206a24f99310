import { inTransaction, type Ctx } from "../../../context";
import { authorize, mayRemoveMember } from "../../../authz";
import { roleNotAllowed } from "../workspaces.errors";
import { currentWorkspace } from "../workspace-actor";
import { assertAnotherOwner, lockedMembership } from "../membership-changes";
import { unsafeEndMembership } from "../end-membership";

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
    return unsafeEndMembership(tx, { workspaceId, userId: input.userId, role, reason: "removed" });
  });
}
