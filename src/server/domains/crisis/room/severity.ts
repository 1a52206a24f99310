import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { crisisSeverities } from "../crisis.schema";

export type RoomSeverity = { approverRole: string; internalUpdateMinutes: number; publicUpdateMinutes: number | null; approvalDeadlineMinutes: number };

/**
 * What the room needs of a crisis's severity level: who approves statements, the update cadences and the approval
 * deadline. A workspace whose severities were never written (the plans part writes SEV1–SEV4 on first use) gets
 * cautious defaults: the lead approves within 15 minutes, internal updates hourly.
 */
export async function severityOf(tx: Ctx, workspaceId: string, level: number): Promise<RoomSeverity> {
  const [row] = await tx.db.select().from(crisisSeverities).where(and(eq(crisisSeverities.workspaceId, workspaceId), eq(crisisSeverities.level, level)));
  if (row) return { approverRole: row.approverRole, internalUpdateMinutes: row.internalUpdateMinutes, publicUpdateMinutes: row.publicUpdateMinutes, approvalDeadlineMinutes: row.approvalDeadlineMinutes };
  return { approverRole: "lead", internalUpdateMinutes: 60, publicUpdateMinutes: null, approvalDeadlineMinutes: 15 };
}
