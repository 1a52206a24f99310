import { and, asc, eq, inArray, isNull, notInArray } from "drizzle-orm";
import { DEFAULT_SEVERITY_TEXTS, type Severity } from "../../../../contracts/crisis-plans";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { crises, crisisPlans, crisisPlanVersions, crisisSeverities } from "../crisis.schema";
import { severityExists, severityInUse, severityNotFound } from "./plans.errors";

type Row = typeof crisisSeverities.$inferSelect;
type Fields = Omit<Severity, "level" | "updatedAt">;

/**
 * The default levels (../shared/notes/crisis-domain.md §4), written for a workspace on first use. SEV1: safety,
 * security, legal or mainstream media — Legal approves, crisis mode starts by itself, updates every 30 minutes.
 * SEV4: an emergent issue to watch, no crisis mode, a daily internal update.
 */
export const DEFAULT_SEVERITIES: Array<Fields & { level: number }> = [
  {
    level: 1,
    ...DEFAULT_SEVERITY_TEXTS[1],
    approverRole: "legal",
    autoCrisisMode: true,
    internalUpdateMinutes: 30,
    publicUpdateMinutes: 60,
    approvalDeadlineMinutes: 15,
  },
  {
    level: 2,
    ...DEFAULT_SEVERITY_TEXTS[2],
    approverRole: "pr",
    autoCrisisMode: true,
    internalUpdateMinutes: 60,
    publicUpdateMinutes: 120,
    approvalDeadlineMinutes: 30,
  },
  {
    level: 3,
    ...DEFAULT_SEVERITY_TEXTS[3],
    approverRole: "pr",
    autoCrisisMode: false,
    internalUpdateMinutes: 240,
    publicUpdateMinutes: null,
    approvalDeadlineMinutes: 60,
  },
  {
    level: 4,
    ...DEFAULT_SEVERITY_TEXTS[4],
    approverRole: "lead",
    autoCrisisMode: false,
    internalUpdateMinutes: 1440,
    publicUpdateMinutes: null,
    approvalDeadlineMinutes: 120,
  },
];

export function toSeverity(row: Row): Severity {
  return {
    level: row.level,
    name: row.name,
    description: row.description,
    approverRole: row.approverRole as Severity["approverRole"],
    autoCrisisMode: row.autoCrisisMode,
    internalUpdateMinutes: row.internalUpdateMinutes,
    publicUpdateMinutes: row.publicUpdateMinutes,
    approvalDeadlineMinutes: row.approvalDeadlineMinutes,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Writes the default SEV1–SEV4 levels for a workspace that has none yet (first use), in the caller's transaction,
 * and answers the workspace's levels, most urgent first. Safe when two requests do it at once.
 */
export async function ensureSeverities(tx: Ctx, workspaceId: string): Promise<Row[]> {
  const rows = await tx.db.select().from(crisisSeverities).where(eq(crisisSeverities.workspaceId, workspaceId)).orderBy(asc(crisisSeverities.level));
  if (rows.length) return rows;
  await tx.db
    .insert(crisisSeverities)
    .values(DEFAULT_SEVERITIES.map((s) => ({ ...s, workspaceId, updatedAt: tx.now() })))
    .onConflictDoNothing();
  return tx.db.select().from(crisisSeverities).where(eq(crisisSeverities.workspaceId, workspaceId)).orderBy(asc(crisisSeverities.level));
}

/** One severity level of a workspace (defaults written first if needed); `severity_not_found` if there is no such level. */
export async function severityOf(tx: Ctx, workspaceId: string, level: number): Promise<Severity> {
  const rows = await ensureSeverities(tx, workspaceId);
  const row = rows.find((r) => r.level === level);
  if (!row) throw severityNotFound(level);
  return toSeverity(row);
}

/** The workspace's severity levels, most urgent first. */
export async function listSeverities(ctx: Ctx): Promise<Severity[]> {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => (await ensureSeverities(tx, workspaceId)).map(toSeverity));
}

/** Adds a level (admins). */
export async function createSeverity(ctx: Ctx, input: Fields & { level: number }): Promise<Severity> {
  authorize(ctx.actor, "crisis.severities");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const rows = await ensureSeverities(tx, workspaceId);
    if (rows.some((r) => r.level === input.level)) throw severityExists(input.level);
    const [row] = await tx.db.insert(crisisSeverities).values({ ...input, workspaceId, updatedAt: tx.now() }).returning();
    await tx.audit({ type: "crisis.severity_created", data: { level: row.level, name: row.name } }, { type: "crisis_severity", id: row.id });
    return toSeverity(row);
  });
}

/** Changes what a level means, who approves, whether crisis mode starts by itself, and its cadences (admins). */
export async function updateSeverity(ctx: Ctx, level: number, change: Partial<Fields>): Promise<Severity> {
  authorize(ctx.actor, "crisis.severities");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    await ensureSeverities(tx, workspaceId);
    const [row] = await tx.db.select().from(crisisSeverities).where(and(eq(crisisSeverities.workspaceId, workspaceId), eq(crisisSeverities.level, level))).for("update");
    if (!row) throw severityNotFound(level);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(change) as Array<[keyof Fields, unknown]>) {
      if (value === undefined || value === row[key]) continue;
      before[key] = row[key];
      after[key] = value;
    }
    if (!Object.keys(after).length) return toSeverity(row);
    const [updated] = await tx.db
      .update(crisisSeverities)
      .set({ ...(after as Partial<Row>), updatedAt: tx.now() })
      .where(eq(crisisSeverities.id, row.id))
      .returning();
    await tx.audit({ type: "crisis.severity_updated", data: { level, before, after } }, { type: "crisis_severity", id: row.id });
    return toSeverity(updated);
  });
}

/** Removes a level no open crisis and no plan uses, unless it is the last one (admins). */
export async function deleteSeverity(ctx: Ctx, level: number): Promise<void> {
  authorize(ctx.actor, "crisis.severities");
  const { workspaceId } = currentWorkspace(ctx);
  await inTransaction(ctx, async (tx) => {
    const rows = await ensureSeverities(tx, workspaceId);
    const row = rows.find((r) => r.level === level);
    if (!row) throw severityNotFound(level);
    if (rows.length === 1) throw severityInUse("it is the only level");
    const [open] = await tx.db
      .select({ id: crises.id })
      .from(crises)
      .where(and(eq(crises.workspaceId, workspaceId), eq(crises.severityLevel, level), notInArray(crises.status, ["closed", "cancelled", "merged"])))
      .limit(1);
    if (open) throw severityInUse("a crisis that is not closed has this level");
    const plans = await tx.db
      .select({ name: crisisPlans.name, content: crisisPlanVersions.content })
      .from(crisisPlans)
      .innerJoin(crisisPlanVersions, and(eq(crisisPlanVersions.planId, crisisPlans.id), eq(crisisPlanVersions.version, crisisPlans.currentVersion)))
      .where(and(eq(crisisPlans.workspaceId, workspaceId), isNull(crisisPlans.archivedAt)));
    const using = plans.filter((p) => (p.content as { defaultSeverity?: number }).defaultSeverity === level);
    if (using.length) throw severityInUse(`the plan “${using[0].name}” starts at this level`);
    await tx.db.delete(crisisSeverities).where(inArray(crisisSeverities.id, [row.id]));
    await tx.audit({ type: "crisis.severity_deleted", data: { level, name: row.name } }, { type: "crisis_severity", id: row.id });
  });
}
