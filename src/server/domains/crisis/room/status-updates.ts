import { desc, eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { crises, crisisStatusUpdates } from "../crisis.schema";
import { recordCrisisEvent } from "../timeline";
import { actorId, crisisForAction, roomCrisis } from "./access";
import { namesOf } from "./names";
import { severityOf } from "./severity";

export type StatusUpdateInput =
  | { kind: "tactical"; body: { conditions: string; actions: string; needs: string } }
  | { kind: "executive"; body: { status: string; overview: string; nextSteps: string } };

/** The crisis's internal status updates, newest first, with when the next one is due by the severity's cadence. */
export async function listStatusUpdates(ctx: Ctx, crisisId: string) {
  authorize(ctx.actor, "crisis.read");
  return inTransaction(ctx, async (tx) => {
    const crisis = await roomCrisis(tx, crisisId);
    const rows = await tx.db.select().from(crisisStatusUpdates).where(eq(crisisStatusUpdates.crisisId, crisisId)).orderBy(desc(crisisStatusUpdates.createdAt));
    const names = await namesOf(tx, rows.map((r) => r.authorId));
    const severity = await severityOf(tx, crisis.workspaceId, crisis.severityLevel);
    const nextDueAt = crisis.nextInternalUpdateDueAt;
    return {
      updates: rows.map((r) => ({ id: r.id, kind: r.kind as "tactical" | "executive", body: r.body as Record<string, string>, authorName: r.authorId ? (names.get(r.authorId) ?? null) : null, createdAt: r.createdAt.toISOString() })),
      nextDueAt: nextDueAt?.toISOString() ?? null,
      due: ["triage", "active", "stable"].includes(crisis.status) && nextDueAt !== null && nextDueAt.getTime() <= tx.now().getTime(),
      cadenceMinutes: severity.internalUpdateMinutes,
    };
  });
}

/** Posts an internal status update (tactical or executive); the next one is due one cadence later. */
export async function postStatusUpdate(ctx: Ctx, crisisId: string, input: StatusUpdateInput) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisForAction(tx, crisisId);
    const severity = await severityOf(tx, crisis.workspaceId, crisis.severityLevel);
    const now = tx.now();
    const body = Object.fromEntries(Object.entries(input.body).map(([k, v]) => [k, v.trim()]));
    const [row] = await tx.db.insert(crisisStatusUpdates).values({ crisisId, kind: input.kind, body, authorId: actorId(tx), createdAt: now }).returning();
    const nextDueAt = new Date(now.getTime() + severity.internalUpdateMinutes * 60_000);
    await tx.db.update(crises).set({ nextInternalUpdateDueAt: nextDueAt, updatedAt: now }).where(eq(crises.id, crisisId));
    // Was it on time? The review counts the cadence kept from these facts.
    const late = crisis.nextInternalUpdateDueAt !== null && crisis.nextInternalUpdateDueAt.getTime() < now.getTime();
    await recordCrisisEvent(tx, crisisId, "status_update", { updateId: row.id, kind: input.kind, dueAt: crisis.nextInternalUpdateDueAt?.toISOString() ?? null, late, nextDueAt: nextDueAt.toISOString() });
    await tx.audit({ type: "crisis.status_update_posted", data: { crisisId, updateId: row.id, kind: input.kind } }, { type: "crisis", id: crisisId });
    const names = await namesOf(tx, [row.authorId]);
    return { id: row.id, kind: input.kind, body, authorName: row.authorId ? (names.get(row.authorId) ?? null) : null, createdAt: row.createdAt.toISOString() };
  });
}
