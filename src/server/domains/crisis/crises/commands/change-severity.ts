import { eq } from "drizzle-orm";
import type { CrisisStatus } from "../../../../../contracts/crises";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { invalidInput } from "../../../../errors";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { crises } from "../../crisis.schema";
import { recordCrisisEvent } from "../../timeline";
import { nextUpdatesDue } from "../activation";
import { crisisNotOpen, crisisVersionConflict } from "../crises.errors";
import { loadCrisis, presentCrisis, severityOf } from "../records";
import { OPEN_STATUSES } from "../transitions";

/** Changes a crisis's severity, at any time while it is open (when unsure, choose the higher). The update timers follow the new cadence. */
export async function changeCrisisSeverity(ctx: Ctx, crisisId: string, input: { severityLevel: number; version: number; reason?: string }) {
  authorize(ctx.actor, "crisis.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId, { forUpdate: true });
    if (crisis.version !== input.version) throw crisisVersionConflict();
    if (!OPEN_STATUSES.includes(crisis.status as CrisisStatus)) throw crisisNotOpen();
    const severity = await severityOf(tx, workspaceId, input.severityLevel);
    if (!severity) throw invalidInput({ severityLevel: ["This workspace has no such severity level"] });
    if (severity.level === crisis.severityLevel) return presentCrisis(tx, crisis);
    const now = tx.now();
    const timers = crisis.status === "active" || crisis.status === "stable" ? nextUpdatesDue(now, severity, crisis.status) : {};
    await tx.db.update(crises).set({ severityLevel: severity.level, ...timers, version: crisis.version + 1, updatedAt: now }).where(eq(crises.id, crisis.id));
    const reason = input.reason?.trim() || null;
    await recordCrisisEvent(tx, crisis.id, "severity_changed", { from: crisis.severityLevel, to: severity.level, name: severity.name, reason }, { pinned: true, at: now });
    await tx.audit({ type: "crisis.severity_changed", data: { crisisId: crisis.id, from: crisis.severityLevel, to: severity.level, reason } }, { type: "crisis", id: crisis.id });
    return presentCrisis(tx, await loadCrisis(tx, crisis.id));
  });
}
