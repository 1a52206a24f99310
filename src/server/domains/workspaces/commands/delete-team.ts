import { and, eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { notFound } from "../../../errors";
import { teams } from "../workspaces.schema";
import { currentWorkspace } from "../workspace-actor";

/** Deletes a team; its people stay members of the workspace. */
export async function deleteTeam(ctx: Ctx, input: { teamId: string }): Promise<void> {
  authorize(ctx.actor, "teams.manage");
  const { workspaceId } = currentWorkspace(ctx);
  await inTransaction(ctx, async (tx) => {
    const [team] = await tx.db.delete(teams).where(and(eq(teams.id, input.teamId), eq(teams.workspaceId, workspaceId))).returning();
    if (!team) throw notFound("Team");
    await tx.audit({ type: "team.deleted", data: { teamId: team.id, name: team.name } }, { type: "team", id: team.id });
  });
}
