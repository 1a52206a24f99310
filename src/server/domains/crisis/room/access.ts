import { and, eq } from "drizzle-orm";
import { can } from "../../../authz";
import type { Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { crises } from "../crisis.schema";
import { isOnCrisisTeam } from "../crises/records";
import { crisisNotFound, crisisNotOpen, notOnCrisisTeam } from "./room.errors";

export type CrisisRow = typeof crises.$inferSelect;
const OVER = ["closed", "cancelled", "merged"];

/** The crisis in the caller's workspace (404 `crisis_not_found` otherwise), locked when `forUpdate`. */
export async function roomCrisis(tx: Ctx, crisisId: string, options: { forUpdate?: boolean } = {}): Promise<CrisisRow> {
  const { workspaceId } = currentWorkspace(tx);
  const query = tx.db.select().from(crises).where(and(eq(crises.id, crisisId), eq(crises.workspaceId, workspaceId)));
  const [crisis] = options.forUpdate ? await query.for("update") : await query;
  if (!crisis) throw crisisNotFound();
  return crisis;
}

/** Whether the actor may act in the room: the crisis team, anyone holding crisis.manage, or the system (jobs). */
export async function mayActInRoom(tx: Ctx, crisisId: string): Promise<boolean> {
  const actor = tx.actor;
  if (actor.type === "system") return true;
  if (actor.type !== "user" || !can(actor, "crisis.respond")) return false;
  if (can(actor, "crisis.manage")) return true;
  return isOnCrisisTeam(tx, crisisId, actor.userId);
}

/** Loads the crisis (locked) for a change in its room: it must be open and the actor on its team or a manager. */
export async function crisisForAction(tx: Ctx, crisisId: string): Promise<CrisisRow> {
  const crisis = await roomCrisis(tx, crisisId, { forUpdate: true });
  if (!(await mayActInRoom(tx, crisisId))) throw notOnCrisisTeam();
  if (OVER.includes(crisis.status)) throw crisisNotOpen();
  return crisis;
}

export const actorId = (tx: Ctx): string | null => (tx.actor.type === "user" ? tx.actor.userId : null);
