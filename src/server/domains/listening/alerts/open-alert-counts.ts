import { and, eq, sql } from "drizzle-orm";
import { ALERT_KINDS } from "../../../../contracts/listening-alerts";

type AlertKind = (typeof ALERT_KINDS)[number];
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { listeningAlerts } from "../listening.schema";

/** How many of the workspace's alerts are open, by kind (the Home page's overview): one grouped count. */
export async function openAlertCounts(ctx: Ctx): Promise<Record<AlertKind, number>> {
  authorize(ctx.actor, "listening.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select({ kind: listeningAlerts.kind, n: sql<number>`count(*)::int` })
    .from(listeningAlerts)
    .where(and(eq(listeningAlerts.workspaceId, workspaceId), eq(listeningAlerts.status, "open")))
    .groupBy(listeningAlerts.kind);
  const counts = Object.fromEntries(ALERT_KINDS.map((kind) => [kind, 0])) as Record<AlertKind, number>;
  for (const row of rows) if ((ALERT_KINDS as readonly string[]).includes(row.kind)) counts[row.kind as AlertKind] = Number(row.n);
  return counts;
}
