import type { CrisisEventType } from "../../../contracts/crisis-timeline";
import type { Ctx } from "../../context";
import { crisisEvents } from "./crisis.schema";

/**
 * Writes one event on a crisis's timeline, in the caller's transaction — the only way events are written, so
 * every part of the module (lifecycle, crisis mode, room, drills) records the same shape. `text` is a person's
 * note; automatic events leave it empty and carry their facts in `data`, worded by the web app.
 */
export async function recordCrisisEvent(
  tx: Ctx,
  crisisId: string,
  type: CrisisEventType,
  data: Record<string, unknown> = {},
  options: { text?: string; pinned?: boolean; at?: Date } = {},
) {
  const actor = tx.actor;
  const [row] = await tx.db
    .insert(crisisEvents)
    .values({
      crisisId,
      occurredAt: options.at ?? tx.now(),
      type,
      actorId: actor.type === "user" ? actor.userId : null,
      actorLabel: actor.type === "user" ? actor.name || actor.email : actor.type === "system" ? actor.label : "anonymous",
      text: options.text ?? "",
      data,
      pinned: options.pinned ?? false,
    })
    .returning();
  return row;
}
