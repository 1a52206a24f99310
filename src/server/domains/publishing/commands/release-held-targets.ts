import { and, eq, inArray } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput, notFound } from "../../../errors";
import { authorizeOnChannel } from "../../channels";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { activePauses, pauseCovering } from "../pauses";
import { recordPostEvent } from "../post-records";
import { postTargets } from "../publishing.schema";
import { publishingPaused, scheduledInThePast, targetNotHeld } from "../publishing.errors";

export type ReleaseDecision = { targetId: string; action: "publish_now" | "reschedule" | "keep_held"; at?: string | null };

/**
 * A person's decision on held posts (after a pause, or a channel that needed reconnecting): publish now, reschedule
 * to a new time, or keep held. Needs Full publishing on each channel; refused while a pause still covers it.
 */
export async function releaseHeldTargets(ctx: Ctx, input: { decisions: ReleaseDecision[] }) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  if (!input.decisions.length) throw invalidInput({ decisions: ["Decide for at least one post"] });
  return inTransaction(ctx, async (tx) => {
    const ids = input.decisions.map((d) => d.targetId);
    const rows = await tx.db.select().from(postTargets).where(and(eq(postTargets.workspaceId, workspaceId), inArray(postTargets.id, ids))).for("update");
    const pauses = await activePauses(tx, workspaceId);
    const results: Array<{ targetId: string; status: string; dueAt: string | null }> = [];
    for (const decision of input.decisions) {
      const target = rows.find((r) => r.id === decision.targetId);
      if (!target) throw notFound("Held post");
      await authorizeOnChannel(tx, target.channelId, "publish");
      if (target.status !== "held") throw targetNotHeld();
      if (decision.action === "keep_held") {
        results.push({ targetId: target.id, status: "held", dueAt: target.dueAt?.toISOString() ?? null });
        continue;
      }
      const covering = pauseCovering(pauses, target.channelId);
      if (covering) throw publishingPaused(covering.reason);
      const at = decision.action === "publish_now" ? tx.now() : decision.at ? new Date(decision.at) : null;
      if (!at || Number.isNaN(at.getTime())) throw invalidInput({ at: ["Choose when to publish it"] });
      if (decision.action === "reschedule" && at.getTime() < tx.now().getTime() - 60_000) throw scheduledInThePast();
      await tx.db.update(postTargets).set({ status: "scheduled", dueAt: at, heldReason: null, heldByPauseId: null, updatedAt: tx.now() }).where(eq(postTargets.id, target.id));
      await recordPostEvent(tx, target.postId, "released", { action: decision.action, at: at.toISOString() }, target.id);
      await tx.audit({ type: "post.released", data: { postId: target.postId, targetId: target.id, action: decision.action, at: at.toISOString() } }, { type: "post", id: target.postId });
      results.push({ targetId: target.id, status: "scheduled", dueAt: at.toISOString() });
    }
    return { results };
  });
}
