import { and, eq, isNull } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import type { Stream } from "../../../../contracts/listening";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { streamNotFound, streamVersionConflict } from "../listening.errors";
import { listeningStreams } from "../listening.schema";
import { presentStream } from "../queries/present-stream";
import { checkQuery } from "./check-query";
import { settingsOf, type StreamSettings } from "./create-stream";

export type UpdateStreamInput = { streamId: string; version: number; name?: string; query?: string } & StreamSettings;

/**
 * Changes a stream's name, query or alert settings, only if nobody changed it since `version` was read (409
 * `stream_version_conflict` otherwise); the version moves on, which tells the matchers to recompile. Audited
 * `listening.stream_updated` with what changed before and after.
 */
export async function updateStream(ctx: Ctx, input: UpdateStreamInput): Promise<Stream> {
  authorize(ctx.actor, "listening.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const query = input.query === undefined ? undefined : checkQuery(input.query);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select()
      .from(listeningStreams)
      .where(and(eq(listeningStreams.id, input.streamId), eq(listeningStreams.workspaceId, workspaceId), isNull(listeningStreams.archivedAt)))
      .for("update");
    if (!before) throw streamNotFound();
    if (before.version !== input.version) throw streamVersionConflict(before.version);
    const next = { ...(input.name !== undefined ? { name: input.name.trim() } : {}), ...(query !== undefined ? { query } : {}), ...settingsOf(input) };
    const changed = Object.fromEntries(Object.entries(next).filter(([key, value]) => JSON.stringify(before[key as keyof typeof before]) !== JSON.stringify(value)));
    if (!Object.keys(changed).length) return presentStream(before);
    const [row] = await tx.db
      .update(listeningStreams)
      .set({ ...changed, version: before.version + 1, updatedAt: tx.now() })
      .where(eq(listeningStreams.id, before.id))
      .returning();
    await tx.audit(
      {
        type: "listening.stream_updated",
        data: {
          streamId: row.id,
          version: row.version,
          before: Object.fromEntries(Object.keys(changed).map((key) => [key, before[key as keyof typeof before]])),
          after: changed,
        },
      },
      { type: "stream", id: row.id },
    );
    return presentStream(row);
  });
}
