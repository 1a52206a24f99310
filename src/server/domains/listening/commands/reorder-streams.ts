import { and, eq, isNull } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { streamOrderMismatch } from "../listening.errors";
import { listeningStreams } from "../listening.schema";

/**
 * Puts the board's columns in the given order. The list must name every active stream once (409
 * `stream_order_mismatch` when one was added or archived meanwhile). Column order is layout, not audited.
 */
export async function reorderStreams(ctx: Ctx, input: { streamIds: string[] }): Promise<void> {
  authorize(ctx.actor, "listening.manage");
  const { workspaceId } = currentWorkspace(ctx);
  if (new Set(input.streamIds).size !== input.streamIds.length) throw invalidInput({ streamIds: ["A stream is listed twice"] });
  await inTransaction(ctx, async (tx) => {
    const rows = await tx.db
      .select({ id: listeningStreams.id })
      .from(listeningStreams)
      .where(and(eq(listeningStreams.workspaceId, workspaceId), isNull(listeningStreams.archivedAt)))
      .for("update");
    const active = new Set(rows.map((r) => r.id));
    if (active.size !== input.streamIds.length || input.streamIds.some((id) => !active.has(id))) throw streamOrderMismatch();
    for (const [position, id] of input.streamIds.entries()) await tx.db.update(listeningStreams).set({ position }).where(eq(listeningStreams.id, id));
  });
}
