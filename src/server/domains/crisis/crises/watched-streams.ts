import { and, eq, inArray } from "drizzle-orm";
import { CrisisPlanContent } from "../../../../contracts/crisis-plans";
import type { Ctx } from "../../../context";
import { listeningAlerts, listeningStreams } from "../../listening/listening.schema";
import { crisisPlanVersions } from "../crisis.schema";
import type { CrisisRow } from "./records";

/**
 * The listening streams a crisis watches: its plan's trigger streams (the plan version it runs on) and the stream of
 * the alert it was declared from, those still in its workspace. The room's live figures, the timeline's volume and
 * alert events and the review's volume all read these.
 */
export async function watchedStreams(tx: Ctx, crisis: CrisisRow): Promise<Array<{ id: string; name: string }>> {
  const ids = new Set<string>();
  if (crisis.planId && crisis.planVersion !== null) {
    const [version] = await tx.db
      .select({ content: crisisPlanVersions.content })
      .from(crisisPlanVersions)
      .where(and(eq(crisisPlanVersions.planId, crisis.planId), eq(crisisPlanVersions.version, crisis.planVersion)));
    const parsed = version ? CrisisPlanContent.safeParse(version.content) : null;
    if (parsed?.success) for (const id of parsed.data.triggers.streamIds) ids.add(id);
  }
  if (crisis.originAlertId) {
    const [alert] = await tx.db.select({ streamId: listeningAlerts.streamId }).from(listeningAlerts).where(eq(listeningAlerts.id, crisis.originAlertId));
    if (alert?.streamId) ids.add(alert.streamId);
  }
  if (!ids.size) return [];
  return tx.db
    .select({ id: listeningStreams.id, name: listeningStreams.name })
    .from(listeningStreams)
    .where(and(inArray(listeningStreams.id, [...ids]), eq(listeningStreams.workspaceId, crisis.workspaceId)));
}
