import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { CrisisScenario } from "../../../../contracts/crisis-plans";
import type { Crisis, CrisisStatus } from "../../../../contracts/crises";
import type { Ctx } from "../../../context";
import { notFound } from "../../../errors";
import { users } from "../../identity/identity.schema";
import { crises, crisisHeldPosts, crisisModes, crisisRoles, crisisSeverities } from "../crisis.schema";
import { TRANSITIONS } from "./transitions";
import { ensureSeverities } from "../plans";

export type CrisisRow = typeof crises.$inferSelect;
export type CrisisModeRow = typeof crisisModes.$inferSelect;
export type SeverityRow = Pick<typeof crisisSeverities.$inferSelect, "level" | "name" | "approverRole" | "autoCrisisMode" | "internalUpdateMinutes" | "publicUpdateMinutes" | "approvalDeadlineMinutes">;

/** The workspace's severity of this level (its defaults are written on first use by the plans part); null when the level does not exist. */
export async function severityOf(tx: Ctx, workspaceId: string, level: number): Promise<SeverityRow | null> {
  return (await ensureSeverities(tx, workspaceId)).find((s) => s.level === level) ?? null;
}

/** A crisis of the current workspace (locked for update when asked); not_found otherwise. */
export async function loadCrisis(tx: Ctx, crisisId: string, options: { forUpdate?: boolean } = {}): Promise<CrisisRow> {
  const workspaceId = tx.workspaceId;
  if (!workspaceId) throw notFound("Crisis");
  const query = tx.db.select().from(crises).where(and(eq(crises.id, crisisId), eq(crises.workspaceId, workspaceId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("Crisis");
  return row;
}

/** Everyone holding a current role in the crisis (backups included), with their roles. */
export async function crisisTeam(tx: Ctx, crisisId: string) {
  return tx.db
    .select({ id: crisisRoles.id, role: crisisRoles.role, userId: crisisRoles.userId, isBackup: crisisRoles.isBackup, assumedAt: crisisRoles.assumedAt, name: users.name, email: users.email, locale: users.locale })
    .from(crisisRoles)
    .innerJoin(users, eq(users.id, crisisRoles.userId))
    .where(and(eq(crisisRoles.crisisId, crisisId), isNull(crisisRoles.renouncedAt)))
    .orderBy(asc(crisisRoles.assumedAt));
}

/** True when the person holds a current role in the crisis. */
export async function isOnCrisisTeam(tx: Ctx, crisisId: string, userId: string): Promise<boolean> {
  const [row] = await tx.db
    .select({ id: crisisRoles.id })
    .from(crisisRoles)
    .where(and(eq(crisisRoles.crisisId, crisisId), eq(crisisRoles.userId, userId), isNull(crisisRoles.renouncedAt)))
    .limit(1);
  return Boolean(row);
}

/** The crisis's crisis mode in force (not ended), if any. */
export async function activeModeOf(tx: Ctx, crisisId: string): Promise<CrisisModeRow | null> {
  const [row] = await tx.db.select().from(crisisModes).where(and(eq(crisisModes.crisisId, crisisId), isNull(crisisModes.endedAt)));
  return row ?? null;
}

export async function heldCounts(tx: Ctx, crisisId: string) {
  const rows = await tx.db
    .select({ decision: crisisHeldPosts.decision, n: sql<number>`count(*)::int` })
    .from(crisisHeldPosts)
    .where(eq(crisisHeldPosts.crisisId, crisisId))
    .groupBy(crisisHeldPosts.decision);
  const total = rows.reduce((sum, r) => sum + Number(r.n), 0);
  return { total, pending: Number(rows.find((r) => r.decision === "pending")?.n ?? 0) };
}

export const crisisRef = (row: { number: number }) => `CR-${row.number}`;
const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentMode(mode: CrisisModeRow): NonNullable<Crisis["mode"]> {
  return {
    id: mode.id,
    pause: mode.pause,
    pauseChannelIds: mode.pauseChannelIds ?? null,
    pauseId: mode.pauseId,
    lockdown: mode.lockdown,
    secured: (mode.secured as NonNullable<Crisis["mode"]>["secured"]) ?? null,
    notified: (mode.notified as NonNullable<Crisis["mode"]>["notified"]) ?? null,
    reason: mode.reason,
    automaticSeverity: mode.automaticSeverity,
    activatedBy: mode.activatedBy,
    activatedAt: mode.activatedAt.toISOString(),
    endedAt: iso(mode.endedAt),
    keptOnClose: mode.keptOnClose,
  };
}

/** The crisis as the API shows it, with its team, crisis mode and held-post counts. */
export async function presentCrisis(tx: Ctx, row: CrisisRow): Promise<Crisis> {
  const team = await crisisTeam(tx, row.id);
  const [declarer] = row.declaredBy ? await tx.db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, row.declaredBy)) : [];
  const mode = (await activeModeOf(tx, row.id)) ?? (await lastKeptMode(tx, row.id));
  const severity = await severityOf(tx, row.workspaceId, row.severityLevel);
  const me = tx.actor.type === "user" ? tx.actor.userId : null;
  return {
    id: row.id,
    number: row.number,
    ref: crisisRef(row),
    title: row.title,
    summary: row.summary,
    scenario: row.scenario as CrisisScenario,
    severityLevel: row.severityLevel,
    severityName: severity?.name ?? `SEV${row.severityLevel}`,
    status: row.status as CrisisStatus,
    isDrill: row.isDrill,
    originKind: row.originKind as Crisis["originKind"],
    originAlertId: row.originAlertId,
    originRef: row.originRef,
    planId: row.planId,
    planVersion: row.planVersion,
    declaredBy: row.declaredBy,
    declaredByName: declarer ? declarer.name || declarer.email : null,
    detectedAt: iso(row.detectedAt),
    declaredAt: row.declaredAt.toISOString(),
    activatedAt: iso(row.activatedAt),
    stableAt: iso(row.stableAt),
    closedAt: iso(row.closedAt),
    cancelledAt: iso(row.cancelledAt),
    mergedIntoId: row.mergedIntoId,
    firstPublicResponseAt: iso(row.firstPublicResponseAt),
    resolution: row.resolution,
    nextInternalUpdateDueAt: iso(row.nextInternalUpdateDueAt),
    nextPublicUpdateDueAt: iso(row.nextPublicUpdateDueAt),
    version: row.version,
    allowedTransitions: [...TRANSITIONS[row.status as CrisisStatus]],
    roles: team.map((r) => ({ id: r.id, role: r.role as Crisis["roles"][number]["role"], userId: r.userId, name: r.name || r.email, isBackup: r.isBackup, assumedAt: r.assumedAt.toISOString() })),
    mode: mode ? presentMode(mode) : null,
    heldPosts: await heldCounts(tx, row.id),
    onTeam: me ? team.some((r) => r.userId === me) : false,
  };
}

async function lastKeptMode(tx: Ctx, crisisId: string): Promise<CrisisModeRow | null> {
  const [row] = await tx.db.select().from(crisisModes).where(and(eq(crisisModes.crisisId, crisisId), eq(crisisModes.keptOnClose, true)));
  return row ?? null;
}

/** Names of users by id (for timeline data and notifications). */
export async function namesOf(tx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await tx.db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name || r.email]));
}
