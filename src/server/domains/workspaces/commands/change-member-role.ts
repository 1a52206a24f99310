import { and, eq } from "drizzle-orm";
import type { Role } from "../../../../contracts/roles";
import { inTransaction, type Ctx } from "../../../context";
import { authorize, mayAssignRole } from "../../../authz";
import { notFound } from "../../../errors";
import { memberships, workspaces } from "../workspaces.schema";
import { lastOwner, roleNotAllowed } from "../workspaces.errors";
import { currentWorkspace } from "../workspace-actor";

/** Changes a member's role. Only owners give or take the owner role; the last owner stays owner. */
export async function changeMemberRole(ctx: Ctx, input: { userId: string; role: Role }) {
  authorize(ctx.actor, "members.change_role");
  const { workspaceId, role: actorRole } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    await lockMembershipChanges(tx, workspaceId);
    const [member] = await tx.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, input.userId)))
      .for("update");
    if (!member) throw notFound("Member");
    const from = member.role as Role;
    if (from === input.role) return { userId: input.userId, role: from };
    if (!mayAssignRole(actorRole, from, input.role)) throw roleNotAllowed();
    if (from === "owner") await assertAnotherOwner(tx, workspaceId, input.userId);
    await tx.db.update(memberships).set({ role: input.role }).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, input.userId)));
    await tx.audit({ type: "member.role_changed", data: { userId: input.userId, from, to: input.role } }, { type: "user", id: input.userId });
    return { userId: input.userId, role: input.role };
  });
}

/**
 * Serializes role changes and removals within one workspace. Without it, two owners demoting each other at the
 * same moment each lock their own row first and then wait for the other's: PostgreSQL aborts one as a deadlock
 * (a 500) instead of answering `last_owner`. `no key update` does not block inserts that reference the workspace.
 */
export async function lockMembershipChanges(tx: Ctx, workspaceId: string): Promise<void> {
  await tx.db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)).for("no key update");
}

/** Throws `last_owner` unless an owner other than `userId` remains (owner rows are locked first). */
export async function assertAnotherOwner(tx: Ctx, workspaceId: string, userId: string): Promise<void> {
  const owners = await tx.db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "owner")))
    .for("update");
  if (!owners.some((o) => o.userId !== userId)) throw lastOwner();
}
