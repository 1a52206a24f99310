import { and, eq } from "drizzle-orm";
import type { Role } from "../../../../contracts/roles";
import { inTransaction, type Ctx } from "../../../context";
import { authorize, mayAssignRole } from "../../../authz";
import { memberships } from "../workspaces.schema";
import { roleNotAllowed } from "../workspaces.errors";
import { assertAnotherOwner, lockedMembership } from "../membership-changes";
import { currentWorkspace } from "../workspace-actor";

/** Changes a member's role. Only owners give or take the owner role; the last owner stays owner. */
export async function changeMemberRole(ctx: Ctx, input: { userId: string; role: Role }) {
  authorize(ctx.actor, "members.change_role");
  const { workspaceId, role: actorRole } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const { role: from } = await lockedMembership(tx, workspaceId, input.userId);
    if (from === input.role) return { userId: input.userId, role: from };
    if (!mayAssignRole(actorRole, from, input.role)) throw roleNotAllowed();
    if (from === "owner") await assertAnotherOwner(tx, workspaceId, input.userId);
    await tx.db.update(memberships).set({ role: input.role }).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, input.userId)));
    await tx.audit({ type: "member.role_changed", data: { userId: input.userId, from, to: input.role } }, { type: "user", id: input.userId });
    return { userId: input.userId, role: input.role };
  });
}

