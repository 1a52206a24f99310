import { and, eq } from "drizzle-orm";
import type { DrillInject } from "../../../../contracts/crisis-review";
import type { Ctx } from "../../../context";
import { crisisDrills } from "../crisis.schema";
import { drillApproverUnreachable } from "./drills.errors";

/**
 * The approver_unreachable inject at work: while the drill of this crisis runs and the inject was delivered, the
 * statement's approver (the holder of the severity's approver role when it was submitted) cannot decide it — only the
 * backup can, once the approval deadline passed (`crisis.room-deadlines` escalates it). The room's decideStatement
 * asks this before an approver's decision; a crisis that is not a running drill's is never affected.
 */
export async function assertApproverReachable(tx: Ctx, crisisId: string): Promise<void> {
  const [drill] = await tx.db
    .select({ injects: crisisDrills.injects })
    .from(crisisDrills)
    .where(and(eq(crisisDrills.crisisId, crisisId), eq(crisisDrills.status, "running")))
    .limit(1);
  if (!drill) return;
  if ((drill.injects as DrillInject[]).some((i) => i.kind === "approver_unreachable" && i.deliveredAt)) throw drillApproverUnreachable();
}
