import { and, eq, isNull } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import type { Stream } from "../../../../contracts/listening";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { streamNotFound } from "../listening.errors";
import { listeningStreams } from "../listening.schema";
import { presentStream } from "../queries/present-stream";

/**
 * Archives a stream: it stops matching (matchers skip archived streams) and leaves the board; its mentions and
 * counts are kept. For managers; audited `listening.stream_archived`.
 */
export async function archiveStream(ctx: Ctx, input: { streamId: string }): Promise<Stream> {
  authorize(ctx.actor, "listening.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(listeningStreams)
      .set({ archivedAt: tx.now(), updatedAt: tx.now() })
      .where(and(eq(listeningStreams.id, input.streamId), eq(listeningStreams.workspaceId, workspaceId), isNull(listeningStreams.archivedAt)))
      .returning();
    if (!row) throw streamNotFound();
    await tx.audit({ type: "listening.stream_archived", data: { streamId: row.id, name: row.name } }, { type: "stream", id: row.id });
    return presentStream(row);
  });
}
