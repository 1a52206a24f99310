import { asc, eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { teamMembers, teams } from "../workspaces.schema";
import { currentWorkspace } from "../workspace-actor";

export async function listTeams(ctx: Ctx) {
  authorize(ctx.actor, "teams.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db.select().from(teams).where(eq(teams.workspaceId, workspaceId)).orderBy(asc(teams.name));
  const members = await ctx.db.select({ teamId: teamMembers.teamId, userId: teamMembers.userId }).from(teamMembers).innerJoin(teams, eq(teams.id, teamMembers.teamId)).where(eq(teams.workspaceId, workspaceId));
  return rows.map((t) => presentTeam(t, members.filter((m) => m.teamId === t.id).map((m) => m.userId)));
}

export function presentTeam(t: typeof teams.$inferSelect, memberIds: string[] = []) {
  return { id: t.id, name: t.name, description: t.description, memberIds, createdAt: t.createdAt.toISOString() };
}
