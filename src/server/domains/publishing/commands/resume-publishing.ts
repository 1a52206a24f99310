import { and, eq, isNull } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { notFound } from "../../../errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { lockPublishing, presentPause } from "../pauses";
import { postTargets, publishingPauses } from "../publishing.schema";
import { notPaused } from "../publishing.errors";

/**
 * Ends a pause. Posts it held stay held: the answer lists them, and a person decides for each (publish now,
 * reschedule, keep held: see releaseHeldTargets), so resuming never releases a burst of stale posts.
 */
export async function resumePublishing(ctx: Ctx, input: { pauseId: string }) {
  authorize(ctx.actor, "publishing.pause");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    await lockPublishing(tx, workspaceId, "update");
    const [pause] = await tx.db.select().from(publishingPauses).where(and(eq(publishingPauses.workspaceId, workspaceId), eq(publishingPauses.id, input.pauseId)));
    if (!pause) throw notFound("Pause");
    if (pause.resumedAt) throw notPaused();
    const [resumed] = await tx.db
      .update(publishingPauses)
      .set({ resumedAt: tx.now(), resumedBy: tx.actor.type === "user" ? tx.actor.userId : null })
      .where(and(eq(publishingPauses.id, pause.id), isNull(publishingPauses.resumedAt)))
      .returning();
    const held = await tx.db
      .select({ id: postTargets.id, postId: postTargets.postId, channelId: postTargets.channelId, dueAt: postTargets.dueAt })
      .from(postTargets)
      .where(and(eq(postTargets.heldByPauseId, pause.id), eq(postTargets.status, "held")));
    await tx.audit({ type: "publishing.resumed", data: { pauseId: pause.id, stillHeld: held.length } }, { type: "workspace", id: workspaceId });
    return { pause: presentPause(resumed), held: held.map((t) => ({ targetId: t.id, postId: t.postId, channelId: t.channelId, dueAt: t.dueAt?.toISOString() ?? null })) };
  });
}
