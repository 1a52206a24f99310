import { and, eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { notFound } from "../../../errors";
import { memberships, teamMembers, teams } from "../workspaces.schema";
import { currentWorkspace } from "../workspace-actor";

/** Adds a member to a team or takes them out. Idempotent: no change, no audit event. */
export async function setTeamMembership(ctx: Ctx, input: { teamId: string; userId: string; member: boolean }): Promise<{ changed: boolean }> {
  authorize(ctx.actor, "teams.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [team] = await tx.db.select().from(teams).where(and(eq(teams.id, input.teamId), eq(teams.workspaceId, workspaceId)));
    if (!team) throw notFound("Team");
    const [member] = await tx.db.select().from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, input.userId)));
    if (!member) throw notFound("Member");
    const target = { type: "team", id: team.id };
    if (input.member) {
      const added = await tx.db.insert(teamMembers).values({ teamId: team.id, userId: input.userId }).onConflictDoNothing().returning();
      if (added.length) await tx.audit({ type: "team.member_added", data: { teamId: team.id, userId: input.userId } }, target);
      return { changed: added.length > 0 };
    }
    const removed = await tx.db.delete(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, input.userId))).returning();
    if (removed.length) await tx.audit({ type: "team.member_removed", data: { teamId: team.id, userId: input.userId } }, target);
    return { changed: removed.length > 0 };
  });
}
