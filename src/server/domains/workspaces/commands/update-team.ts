import { and, eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { notFound } from "../../../errors";
import { teams } from "../workspaces.schema";
import { currentWorkspace } from "../workspace-actor";
import { assertTeamNameFree, rethrowTeamNameTaken } from "./create-team";

/** Renames a team or changes its description. */
export async function updateTeam(ctx: Ctx, input: { teamId: string; name?: string; description?: string }) {
  authorize(ctx.actor, "teams.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(teams).where(and(eq(teams.id, input.teamId), eq(teams.workspaceId, workspaceId))).for("update");
    if (!before) throw notFound("Team");
    if (input.name !== undefined) await assertTeamNameFree(tx, workspaceId, input.name, before.id);
    const changes = Object.fromEntries(
      Object.entries({ name: input.name?.trim(), description: input.description?.trim() }).filter(([k, v]) => v !== undefined && before[k as keyof typeof before] !== v),
    );
    if (!Object.keys(changes).length) return before;
    const [after] = await tx.db.update(teams).set(changes).where(eq(teams.id, before.id)).returning().catch(rethrowTeamNameTaken);
    const was = Object.fromEntries(Object.keys(changes).map((k) => [k, before[k as keyof typeof before]]));
    await tx.audit({ type: "team.updated", data: { teamId: before.id, before: was, after: changes } }, { type: "team", id: before.id });
    return after;
  });
}
