import type { AwaitingCrisisApproval } from "../../../../../contracts/crises";
import { authorize, can } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { myLevels } from "../../../channels";
import { unsafePostsAwaitingCrisisTeam } from "../../../publishing";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { isOnCrisisTeam, loadCrisis } from "../records";

/**
 * The posts waiting for this crisis team's approval (a lock down sent them there; they stay after it ends), listed in
 * the room next to the held posts: soonest first, with where each is in its approval. The crisis team and crisis
 * managers, who decide them, see every one; anyone else who reads the room sees those on channels they can read.
 */
export async function listAwaitingApproval(ctx: Ctx, crisisId: string): Promise<Array<typeof AwaitingCrisisApproval._output>> {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId);
    const posts = await unsafePostsAwaitingCrisisTeam(tx, workspaceId, crisis.id);
    const decides = can(tx.actor, "crisis.manage") || (tx.actor.type === "user" && (await isOnCrisisTeam(tx, crisis.id, tx.actor.userId)));
    if (decides || !posts.length) return posts.map((p) => ({ ...p, mayDecide: decides && p.atCrisisTeamStep && p.authorId !== (tx.actor.type === "user" ? tx.actor.userId : null) }));
    const levels = await myLevels(tx);
    return posts.filter((p) => p.channels.some((c) => (levels.get(c.id) ?? "none") !== "none")).map((p) => ({ ...p, mayDecide: false }));
  });
}
