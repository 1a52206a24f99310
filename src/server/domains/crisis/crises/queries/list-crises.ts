import { and, desc, eq, inArray, isNull, ne } from "drizzle-orm";
import type { CrisisScenario } from "../../../../../contracts/crisis-plans";
import type { CrisisStatus } from "../../../../../contracts/crises";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { listeningAlerts } from "../../../listening/listening.schema";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { crises, crisisModes } from "../../crisis.schema";
import { alertNotFound } from "../crises.errors";
import { proposeFromAlert } from "../propose";
import { crisisRef, loadCrisis, namesOf, presentCrisis } from "../records";
import { DEFAULT_SEVERITIES } from "../../plans";
import { crisisSeverities } from "../../crisis.schema";
import { OPEN_STATUSES } from "../transitions";
import { lockedOutOf } from "../lockdown";

async function severityNames(tx: Ctx, workspaceId: string): Promise<Map<number, string>> {
  const own = await tx.db.select({ level: crisisSeverities.level, name: crisisSeverities.name }).from(crisisSeverities).where(eq(crisisSeverities.workspaceId, workspaceId));
  return new Map((own.length ? own : DEFAULT_SEVERITIES.map((s) => ({ level: s.level, name: s.name }))).map((s) => [s.level, s.name]));
}

/** The workspace's crises, newest first: open ones only, or all. */
export async function listCrises(ctx: Ctx, input: { status?: "open" | "all" }) {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const rows = await tx.db
      .select()
      .from(crises)
      .where(and(eq(crises.workspaceId, workspaceId), input.status === "open" ? inArray(crises.status, OPEN_STATUSES) : undefined))
      .orderBy(desc(crises.declaredAt))
      .limit(500);
    const names = await namesOf(tx, [...new Set(rows.map((r) => r.declaredBy).filter((id): id is string => Boolean(id)))]);
    const sev = await severityNames(tx, workspaceId);
    return rows.map((r) => ({
      id: r.id, number: r.number, ref: crisisRef(r), title: r.title, scenario: r.scenario as CrisisScenario, severityLevel: r.severityLevel,
      severityName: sev.get(r.severityLevel) ?? `SEV${r.severityLevel}`, status: r.status as CrisisStatus, isDrill: r.isDrill,
      originKind: r.originKind as "alert" | "inbox" | "manual" | "drill", declaredAt: r.declaredAt.toISOString(),
      declaredByName: r.declaredBy ? (names.get(r.declaredBy) ?? null) : null, closedAt: r.closedAt?.toISOString() ?? null,
    }));
  });
}

export async function getCrisis(ctx: Ctx, crisisId: string) {
  authorize(ctx.actor, "crisis.read");
  currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => presentCrisis(tx, await loadCrisis(tx, crisisId)));
}

/**
 * The banner on every page: open crises past triage (triage is quiet: no broadcast) — who declared what and why —
 * plus any closed crisis whose crisis mode was kept on.
 */
export async function crisisBanner(ctx: Ctx) {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const open = await tx.db
      .select()
      .from(crises)
      .where(and(eq(crises.workspaceId, workspaceId), inArray(crises.status, ["active", "stable"])))
      .orderBy(crises.severityLevel, desc(crises.declaredAt));
    const kept = await tx.db
      .select({ crisis: crises })
      .from(crisisModes)
      .innerJoin(crises, eq(crises.id, crisisModes.crisisId))
      .where(and(eq(crisisModes.workspaceId, workspaceId), isNull(crisisModes.endedAt), ne(crises.status, "active"), ne(crises.status, "stable"), ne(crises.status, "triage")));
    const rows = [...open, ...kept.map((k) => k.crisis)];
    const modes = rows.length ? await tx.db.select().from(crisisModes).where(and(inArray(crisisModes.crisisId, rows.map((r) => r.id)), isNull(crisisModes.endedAt))) : [];
    const names = await namesOf(tx, [...new Set(rows.map((r) => r.declaredBy).filter((id): id is string => Boolean(id)))]);
    const sev = await severityNames(tx, workspaceId);
    const lockedOut = new Set<string>();
    for (const mode of modes) if (mode.lockdown && tx.actor.type === "user" && (await lockedOutOf(tx, mode.crisisId, tx.actor.userId))) lockedOut.add(mode.crisisId);
    return {
      crises: rows.map((r) => {
        const mode = modes.find((m) => m.crisisId === r.id);
        return {
          id: r.id, ref: crisisRef(r), title: r.title, status: r.status as CrisisStatus, severityLevel: r.severityLevel, severityName: sev.get(r.severityLevel) ?? `SEV${r.severityLevel}`,
          isDrill: r.isDrill, declaredByName: r.declaredBy ? (names.get(r.declaredBy) ?? null) : null, declaredAt: r.declaredAt.toISOString(),
          reason: mode?.reason || r.summary || r.title, mode: mode ? { pause: mode.pause, lockdown: mode.lockdown } : null, lockedOut: lockedOut.has(r.id),
        };
      }),
    };
  });
}

/** What declaring from this alert would propose: scenario, severity, plan and a title. */
export async function proposeForAlert(ctx: Ctx, alertId: string) {
  authorize(ctx.actor, "crisis.declare");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [alert] = await tx.db.select().from(listeningAlerts).where(and(eq(listeningAlerts.id, alertId), eq(listeningAlerts.workspaceId, workspaceId)));
    if (!alert) throw alertNotFound();
    const proposal = await proposeFromAlert(tx, workspaceId, alert);
    return { ...proposal, title: alert.title, detectedAt: alert.raisedAt.toISOString() };
  });
}
