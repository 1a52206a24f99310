import { and, asc, eq } from "drizzle-orm";
import type { Role } from "../../../../contracts/roles";
import type { Db } from "../../../db/client";
import { memberships, workspaces } from "../workspaces.schema";

export type Workspace = typeof workspaces.$inferSelect;

/** The user's role in a workspace, with the workspace; undefined when not a member. */
export async function membershipOf(db: Db, userId: string, workspaceId: string) {
  const [row] = await db
    .select({ role: memberships.role, workspace: workspaces })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(memberships.userId, userId), eq(memberships.workspaceId, workspaceId)));
  return row ? { role: row.role as Role, workspace: row.workspace } : undefined;
}

/** Every workspace the user belongs to, oldest membership first. */
export async function workspacesOf(db: Db, userId: string) {
  const rows = await db
    .select({ role: memberships.role, workspace: workspaces })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
  return rows.map((r) => ({ role: r.role as Role, workspace: r.workspace }));
}

export function presentWorkspace(w: Workspace) {
  return { id: w.id, name: w.name, slug: w.slug, requireMfa: w.requireMfa, isDemo: w.isDemo, createdAt: w.createdAt.toISOString() };
}

/** The demo workspace, if `parapet start` or `parapet demo` made one. */
export async function findDemoWorkspace(db: Db): Promise<Workspace | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.isDemo, true)).limit(1);
  return row;
}

/** Ids of a workspace's members, for scoping other data to it (not a listing: no authorization of its own). */
export async function memberIdsOf(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.workspaceId, workspaceId));
  return rows.map((r) => r.userId);
}
