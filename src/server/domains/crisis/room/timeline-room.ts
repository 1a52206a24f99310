import { and, asc, eq } from "drizzle-orm";
import type { CrisisEventType } from "../../../../contracts/crisis-timeline";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { crisisEvents } from "../crisis.schema";
import { recordCrisisEvent } from "../timeline";
import { actorId, crisisForAction, mayActInRoom, roomCrisis } from "./access";
import { crisisEventNotFound } from "./room.errors";

type EventRow = typeof crisisEvents.$inferSelect;

export function presentEvent(row: EventRow) {
  return {
    id: row.id,
    crisisId: row.crisisId,
    occurredAt: row.occurredAt.toISOString(),
    type: row.type as CrisisEventType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    text: row.text,
    data: (row.data ?? {}) as Record<string, unknown>,
    pinned: row.pinned,
  };
}

/** The crisis's timeline, oldest first, and whether the reader may act in its room. */
export async function listTimeline(ctx: Ctx, crisisId: string) {
  authorize(ctx.actor, "crisis.read");
  return inTransaction(ctx, async (tx) => {
    await roomCrisis(tx, crisisId);
    const rows = await tx.db.select().from(crisisEvents).where(eq(crisisEvents.crisisId, crisisId)).orderBy(asc(crisisEvents.occurredAt), asc(crisisEvents.seq));
    return { events: rows.map(presentEvent), access: { act: await mayActInRoom(tx, crisisId), userId: actorId(tx) } };
  });
}

/** Adds a person's note to the timeline (pinned when it is a key moment). */
export async function addNote(ctx: Ctx, crisisId: string, input: { text: string; pinned?: boolean }) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    await crisisForAction(tx, crisisId);
    const row = await recordCrisisEvent(tx, crisisId, "note", {}, { text: input.text.trim(), pinned: input.pinned ?? false });
    await tx.audit({ type: "crisis.note_added", data: { crisisId, eventId: row.id, pinned: row.pinned } }, { type: "crisis", id: crisisId });
    return presentEvent(row);
  });
}

/** Pins a timeline entry as a key moment (the review is built from pinned ones) or unpins it. */
export async function pinEvent(ctx: Ctx, crisisId: string, eventId: string, pinned: boolean) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    await crisisForAction(tx, crisisId);
    const [row] = await tx.db.update(crisisEvents).set({ pinned }).where(and(eq(crisisEvents.id, eventId), eq(crisisEvents.crisisId, crisisId))).returning();
    if (!row) throw crisisEventNotFound();
    await tx.audit({ type: "crisis.event_pinned", data: { crisisId, eventId, pinned } }, { type: "crisis", id: crisisId });
    return presentEvent(row);
  });
}
