import { and, eq } from "drizzle-orm";
import type { DrillInject } from "../../../../contracts/crisis-review";
import type { Ctx } from "../../../context";
import { crisisDrills } from "../crisis.schema";
import { drillApproverUnreachable } from "./drills.errors";

/**
 * Whether the approver_unreachable inject is at work for this crisis: it is a running drill's crisis and the inject was
 * delivered. While it is, the statement's approver (the holder of the severity's approver role when it was submitted)
 * cannot decide it — only the backup can, once the approval deadline passed (`crisis.room-deadlines` escalates it). A
 * crisis that is not a running drill's is never affected. The room shows it (a statement's `approverUnreachable`, and
 * the approver sees why instead of Approve/Reject).
 */
export async function isApproverUnreachable(tx: Ctx, crisisId: string): Promise<boolean> {
  const [drill] = await tx.db
    .select({ injects: crisisDrills.injects })
    .from(crisisDrills)
    .where(and(eq(crisisDrills.crisisId, crisisId), eq(crisisDrills.status, "running")))
    .limit(1);
  return Boolean(drill && (drill.injects as DrillInject[]).some((i) => i.kind === "approver_unreachable" && i.deliveredAt));
}

/** The room's decideStatement asks this before an approver's (not the backup's) decision: `drill_approver_unreachable` while the inject is at work. */
export async function assertApproverReachable(tx: Ctx, crisisId: string): Promise<void> {
  if (await isApproverUnreachable(tx, crisisId)) throw drillApproverUnreachable();
}
