import { inTransaction, type Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { membershipOf } from "../queries/membership";
import { authorize, mayRemoveMember } from "../../../authz";
import { roleNotAllowed } from "../workspaces.errors";
import { currentWorkspace } from "../workspace-actor";
import { assertAnotherOwner, lockedMembership } from "../membership-changes";
import { unsafeEndMembership } from "../end-membership";

/**
 * Removes a person's access to the workspace in one action (offboarding): every session and API token of theirs
 * ends at once (a request of theirs still running cannot write afterwards: see `inTransaction`), their channel
 * grants and team places go, and so does their membership. Returns the counts, which the audit log keeps too.
 * Their scheduled posts are held for review, and their open posts go to `transferTo` (a member; default: whoever
 * removes them). (Pending approvals join this with approval workflows.)
 */
export async function removeMember(ctx: Ctx, input: { userId: string; transferTo?: string }) {
  authorize(ctx.actor, "members.remove");
  const { workspaceId, role: actorRole } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const { role } = await lockedMembership(tx, workspaceId, input.userId);
    if (!mayRemoveMember(actorRole, role)) throw roleNotAllowed();
    if (role === "owner") await assertAnotherOwner(tx, workspaceId, input.userId);
    const newOwnerId = input.transferTo ?? (ctx.actor.type === "user" ? ctx.actor.userId : null);
    if (newOwnerId === input.userId) throw invalidInput({ transferTo: ["Choose someone who stays"] });
    if (newOwnerId && !(await membershipOf(tx.db, newOwnerId, workspaceId))) throw invalidInput({ transferTo: ["Choose a member of this workspace"] });
    return unsafeEndMembership(tx, { workspaceId, userId: input.userId, role, reason: "removed", newOwnerId });
  });
}
