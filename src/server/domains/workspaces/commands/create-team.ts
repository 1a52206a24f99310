import { and, eq, sql } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { teams } from "../workspaces.schema";
import { teamNameTaken } from "../workspaces.errors";
import { currentWorkspace } from "../workspace-actor";
import { isUniqueViolation } from "../unique-violation";

/** Creates a team (Customer service, PR, Legal, …); later work and approvals are routed to teams. */
export async function createTeam(ctx: Ctx, input: { name: string; description?: string }) {
  authorize(ctx.actor, "teams.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    await assertTeamNameFree(tx, workspaceId, input.name);
    const [team] = await tx.db
      .insert(teams)
      .values({ workspaceId, name: input.name.trim(), description: input.description?.trim() ?? "", createdAt: tx.now() })
      .returning()
      .catch(rethrowTeamNameTaken);
    await tx.audit({ type: "team.created", data: { teamId: team.id, name: team.name } }, { type: "team", id: team.id });
    return team;
  });
}

export async function assertTeamNameFree(tx: Ctx, workspaceId: string, name: string, exceptTeamId?: string) {
  const same = await tx.db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), sql`lower(${teams.name}) = lower(${name.trim()})`));
  if (same.some((t) => t.id !== exceptTeamId)) throw teamNameTaken();
}

/** A concurrent request took the name between our check and our write: the unique index says so. */
export function rethrowTeamNameTaken(err: unknown): never {
  if (isUniqueViolation(err, "teams_workspace_name")) throw teamNameTaken();
  throw err;
}
