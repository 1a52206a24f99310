import { and, asc, eq } from "drizzle-orm";
import type { HeldPost } from "../../../../../contracts/crises";
import { authorize, can } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { AppError, invalidInput, notFound } from "../../../../errors";
import { authorizeOnChannel } from "../../../channels";
import { cancelPostTarget, releaseHeldTargets, summarizeTargets } from "../../../publishing";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { crisisHeldPosts } from "../../crisis.schema";
import { recordCrisisEvent } from "../../timeline";
import { heldPostDecided, heldPostStillPaused, notOnCrisisTeam } from "../crises.errors";
import { isOnCrisisTeam, loadCrisis } from "../records";

/** Every post the crisis held (its pause, or its lock down when they fell due), with its decision so far (oldest due first). */
export async function listHeldPosts(ctx: Ctx, crisisId: string): Promise<Array<typeof HeldPost._output>> {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId);
    const held = await tx.db.select().from(crisisHeldPosts).where(eq(crisisHeldPosts.crisisId, crisis.id)).orderBy(asc(crisisHeldPosts.previousDueAt), asc(crisisHeldPosts.postTargetId));
    const targets = new Map((await summarizeTargets(tx, workspaceId, held.map((h) => h.postTargetId))).map((t) => [t.id, t]));
    return held.flatMap((h) => {
      const target = targets.get(h.postTargetId);
      if (!target) return [];
      return [
        {
          postTargetId: h.postTargetId,
          postId: target.postId,
          channelId: target.channelId,
          text: target.text,
          previousDueAt: h.previousDueAt?.toISOString() ?? null,
          decision: h.decision as (typeof HeldPost._output)["decision"],
          decidedBy: h.decidedBy,
          decidedAt: h.decidedAt?.toISOString() ?? null,
          targetStatus: target.status,
        },
      ];
    });
  });
}

/**
 * A decision on one held post (never all at once): resume (back on its old time, or now when that has passed),
 * reschedule (to `at`), edit (stays held for its author to change and release from the post's page), or discard
 * (cancelled on that channel). Resume and reschedule need the pause off for its channel. For the crisis team or
 * crisis managers; resuming needs Full publishing on the channel, as any release does.
 */
export async function decideHeldPost(ctx: Ctx, crisisId: string, postTargetId: string, input: { decision: "resume" | "reschedule" | "edit" | "discard"; at?: string }) {
  authorize(ctx.actor, "crisis.respond");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId);
    if (!can(tx.actor, "crisis.manage") && !(tx.actor.type === "user" && (await isOnCrisisTeam(tx, crisis.id, tx.actor.userId)))) throw notOnCrisisTeam();
    const [held] = await tx.db
      .select()
      .from(crisisHeldPosts)
      .where(and(eq(crisisHeldPosts.crisisId, crisis.id), eq(crisisHeldPosts.postTargetId, postTargetId)))
      .for("update");
    if (!held) throw notFound("Held post");
    if (held.decision !== "pending") throw heldPostDecided();
    const [target] = await summarizeTargets(tx, workspaceId, [postTargetId]);
    if (!target) throw notFound("Held post");
    const now = tx.now();
    let at: Date | null = null;
    if (input.decision === "resume" || input.decision === "reschedule") {
      if (target.status === "held") {
        if (input.decision === "reschedule") {
          at = input.at ? new Date(input.at) : null;
          if (!at || Number.isNaN(at.getTime())) throw invalidInput({ at: ["Choose when to publish it"] });
        } else at = held.previousDueAt && held.previousDueAt.getTime() > now.getTime() ? held.previousDueAt : null;
        await releaseHeldTargets(tx, { decisions: [{ targetId: target.id, action: at ? "reschedule" : "publish_now", at: at?.toISOString() ?? null }] }).catch((err: unknown) => {
          if (err instanceof AppError && err.code === "publishing_paused") throw heldPostStillPaused();
          throw err;
        });
        at = at ?? now;
      }
    } else if (input.decision === "discard") {
      await cancelPostTarget(tx, { workspaceId, targetId: target.id, because: { reason: "crisis", crisisId: crisis.id } });
    } else {
      await authorizeOnChannel(tx, target.channelId, "draft");
    }
    await tx.db
      .update(crisisHeldPosts)
      .set({ decision: input.decision, decidedBy: tx.actor.type === "user" ? tx.actor.userId : null, decidedAt: now })
      .where(and(eq(crisisHeldPosts.crisisId, crisis.id), eq(crisisHeldPosts.postTargetId, postTargetId)));
    await recordCrisisEvent(tx, crisis.id, "held_post_decided", { postTargetId, postId: target.postId, channelId: target.channelId, decision: input.decision, at: at?.toISOString() ?? null });
    await tx.audit({ type: "crisis.held_post_decided", data: { crisisId: crisis.id, postTargetId, postId: target.postId, decision: input.decision, at: at?.toISOString() ?? null } }, { type: "crisis", id: crisis.id });
    return { postTargetId, decision: input.decision, at: at?.toISOString() ?? null };
  });
}
