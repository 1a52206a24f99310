import { and, eq } from "drizzle-orm";
import type { Role } from "../../../contracts/roles";
import type { Ctx } from "../../context";
import { notFound } from "../../errors";
import { memberships, workspaces } from "./workspaces.schema";
import { lastOwner } from "./workspaces.errors";

/**
 * The membership a role change or removal is about, locked for the rest of the transaction. Takes the
 * workspace's membership-change lock first: without it, two owners demoting each other at the same moment each
 * lock their own row and then wait for the other's, and PostgreSQL aborts one as a deadlock (a 500) instead of
 * answering `last_owner`. `no key update` does not block inserts that reference the workspace.
 */
export async function lockedMembership(tx: Ctx, workspaceId: string, userId: string): Promise<{ role: Role }> {
  await tx.db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)).for("no key update");
  const [member] = await tx.db
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .for("update");
  if (!member) throw notFound("Member");
  return { role: member.role as Role };
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
