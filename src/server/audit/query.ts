import { and, desc, eq, gte, ilike, inArray, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { AuditQuery } from "../../contracts/api";
import type { Db } from "../db/client";
import { auditEvents } from "./audit.schema";

/**
 * The audit events a workspace may see: its own, plus person-level events (sign-ins, MFA, passwords) of its
 * members, which are not tied to one workspace. `memberIds` is supplied by the caller (the kernel knows no domain).
 */
export async function listAuditEvents(db: Db, workspaceId: string, memberIds: string[], query: AuditQuery) {
  const limit = query.limit ?? 50;
  const scope = or(
    eq(auditEvents.workspaceId, workspaceId),
    and(isNull(auditEvents.workspaceId), memberIds.length ? or(inArray(auditEvents.actorId, memberIds), inArray(auditEvents.targetId, memberIds)) : sql`false`),
  )!;
  const filters: SQL[] = [scope];
  if (query.actor) filters.push(ilike(auditEvents.actorLabel, `%${query.actor.replace(/[%_\\]/g, "\\$&")}%`));
  if (query.action) filters.push(eq(auditEvents.action, query.action));
  if (query.from) filters.push(gte(auditEvents.occurredAt, new Date(query.from).toISOString()));
  if (query.to) filters.push(lte(auditEvents.occurredAt, new Date(query.to).toISOString()));
  if (query.cursor) filters.push(lt(auditEvents.seq, query.cursor));
  const rows = await db.select().from(auditEvents).where(and(...filters)).orderBy(desc(auditEvents.seq)).limit(limit + 1);
  const page = rows.slice(0, limit).map(presentAuditEvent);
  return { events: page, nextCursor: rows.length > limit ? page[page.length - 1].seq : null };
}

export function presentAuditEvent(row: typeof auditEvents.$inferSelect) {
  return {
    seq: row.seq,
    id: row.id,
    occurredAt: new Date(row.occurredAt).toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    data: row.data,
    ip: row.ip,
    userAgent: row.userAgent,
  };
}

/** People removed from the workspace: their sign-ins and other personal events stay in its log. */
export async function formerMemberIds(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: sql<string>`${auditEvents.data}->>'userId'` })
    .from(auditEvents)
    .where(and(eq(auditEvents.workspaceId, workspaceId), eq(auditEvents.action, "member.removed")));
  return rows.map((r) => r.userId).filter(Boolean);
}

const CSV_COLUMNS = ["seq", "occurredAt", "actorType", "actorLabel", "action", "targetType", "targetId", "data", "ip", "userAgent"] as const;

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv(events: Array<ReturnType<typeof presentAuditEvent>>): string {
  const cell = (value: unknown) => {
    let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [CSV_COLUMNS.join(","), ...events.map((e) => CSV_COLUMNS.map((c) => cell(e[c])).join(","))].join("\r\n") + "\r\n";
}
