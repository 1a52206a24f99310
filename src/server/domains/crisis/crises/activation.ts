import { eq } from "drizzle-orm";
import { CrisisPlanContent } from "../../../../contracts/crisis-plans";
import type { Ctx } from "../../../context";
import { crises, crisisPlanVersions, crisisTasks } from "../crisis.schema";
import { recordCrisisEvent } from "../timeline";
import { and } from "drizzle-orm";
import { crisisTeam, severityOf, type CrisisRow, type SeverityRow } from "./records";

const minutes = (n: number) => n * 60_000;

/** The plan version a crisis was declared with, parsed; null without a plan. */
export async function planContentOf(tx: Ctx, crisis: Pick<CrisisRow, "planId" | "planVersion">): Promise<CrisisPlanContent | null> {
  if (!crisis.planId || !crisis.planVersion) return null;
  const [row] = await tx.db
    .select({ content: crisisPlanVersions.content })
    .from(crisisPlanVersions)
    .where(and(eq(crisisPlanVersions.planId, crisis.planId), eq(crisisPlanVersions.version, crisis.planVersion)));
  const parsed = row ? CrisisPlanContent.safeParse(row.content) : null;
  return parsed?.success ? parsed.data : null;
}

/** When the next internal and public updates are due, from the severity's cadence (slower once stable). */
export function nextUpdatesDue(now: Date, severity: SeverityRow | null, status: "active" | "stable") {
  if (!severity) return { nextInternalUpdateDueAt: null, nextPublicUpdateDueAt: null };
  const factor = status === "stable" ? 2 : 1;
  return {
    nextInternalUpdateDueAt: new Date(now.getTime() + minutes(severity.internalUpdateMinutes * factor)),
    nextPublicUpdateDueAt: severity.publicUpdateMinutes ? new Date(now.getTime() + minutes(severity.publicUpdateMinutes * factor)) : null,
  };
}

/**
 * A crisis becomes active for the first time: its plan's first-hour checklist becomes tasks (source plan, owned by
 * the role's holder, due at activation + the step's minutes), and the update timers start. Returns the fields to set.
 */
export async function activateFirstTime(tx: Ctx, crisis: CrisisRow, now: Date) {
  const plan = await planContentOf(tx, crisis);
  if (plan?.checklist.length) {
    const team = await crisisTeam(tx, crisis.id);
    const holderOf = (role: string) => team.find((r) => r.role === role && !r.isBackup)?.userId ?? null;
    await tx.db.insert(crisisTasks).values(
      plan.checklist.map((step, i) => ({
        crisisId: crisis.id,
        source: "plan",
        planStepId: step.id,
        kind: step.kind,
        title: step.title,
        ownerRole: step.role,
        ownerId: holderOf(step.role),
        dueAt: new Date(now.getTime() + minutes(step.dueMinutes)),
        position: i,
        createdAt: now,
      })),
    );
    await recordCrisisEvent(tx, crisis.id, "task_created", { source: "plan", count: plan.checklist.length, title: plan.checklist.map((s) => s.title).join(", "), planId: crisis.planId, planVersion: crisis.planVersion }, { at: now });
  }
  const severity = await severityOf(tx, crisis.workspaceId, crisis.severityLevel);
  await tx.db.update(crises).set({ activatedAt: now, ...nextUpdatesDue(now, severity, "active") }).where(eq(crises.id, crisis.id));
  return { plan, severity };
}
