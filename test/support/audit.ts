import { and, asc, eq, gt, max, type SQL } from "drizzle-orm";
import type { Services } from "../../src/server/context";
import { auditEvents } from "../../src/server/audit/audit.schema";

export type AuditRow = typeof auditEvents.$inferSelect;

/** The newest audit seq (0 on an empty log): take it before a command, then read what the command wrote. */
export async function lastAuditSeq(services: Services): Promise<number> {
  const [row] = await services.database.db.select({ seq: max(auditEvents.seq) }).from(auditEvents);
  return Number(row?.seq ?? 0);
}

/** Audit rows written after `seq`, oldest first, optionally only of one action or workspace. */
export async function auditSince(services: Services, seq: number, filter: { action?: string; workspaceId?: string } = {}): Promise<AuditRow[]> {
  const conditions: SQL[] = [gt(auditEvents.seq, seq)];
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.workspaceId) conditions.push(eq(auditEvents.workspaceId, filter.workspaceId));
  return services.database.db.select().from(auditEvents).where(and(...conditions)).orderBy(asc(auditEvents.seq));
}

/** Just the action names written after `seq`, oldest first: `["team.created"]`. */
export async function actionsSince(services: Services, seq: number): Promise<string[]> {
  return (await auditSince(services, seq)).map((r) => r.action);
}
