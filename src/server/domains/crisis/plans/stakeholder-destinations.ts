import { asc, eq } from "drizzle-orm";
import type { StakeholderDestination } from "../../../../contracts/crisis-plans";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { alertDestinations } from "../../listening/listening.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";

/**
 * The workspace's alert destinations as a plan editor chooses a stakeholder's channel from them: kind, name and
 * whether it is on — never the address or secret (managing destinations stays with admins). Everyone who reads
 * plans sees which channel a stakeholder is told through.
 */
export async function listStakeholderDestinations(ctx: Ctx): Promise<StakeholderDestination[]> {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select({ id: alertDestinations.id, kind: alertDestinations.kind, name: alertDestinations.name, disabledAt: alertDestinations.disabledAt })
    .from(alertDestinations)
    .where(eq(alertDestinations.workspaceId, workspaceId))
    .orderBy(asc(alertDestinations.name), asc(alertDestinations.id));
  return rows.map((r) => ({ id: r.id, kind: r.kind as StakeholderDestination["kind"], name: r.name, enabled: r.disabledAt === null }));
}
