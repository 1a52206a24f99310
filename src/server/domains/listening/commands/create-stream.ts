import { and, eq, isNull, sql } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import type { Stream } from "../../../../contracts/listening";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { listeningStreams } from "../listening.schema";
import { presentStream } from "../queries/present-stream";
import { checkQuery } from "./check-query";

export type StreamSettings = {
  spikeSensitivity?: Stream["spikeSensitivity"];
  negativeAlerts?: boolean;
  criticalTerms?: string[];
  cooldownMinutes?: number;
};
export type CreateStreamInput = { name: string; query: string } & StreamSettings;

/** Saves a new stream (a query the brand listens for) at the end of the board; for managers; audited `listening.stream_created`. */
export async function createStream(ctx: Ctx, input: CreateStreamInput): Promise<Stream> {
  authorize(ctx.actor, "listening.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const query = checkQuery(input.query);
  return inTransaction(ctx, async (tx) => {
    const [{ last }] = await tx.db
      .select({ last: sql<number | null>`max(${listeningStreams.position})` })
      .from(listeningStreams)
      .where(and(eq(listeningStreams.workspaceId, workspaceId), isNull(listeningStreams.archivedAt)));
    const [row] = await tx.db
      .insert(listeningStreams)
      .values({
        workspaceId,
        name: input.name.trim(),
        query,
        position: last === null ? 0 : Number(last) + 1,
        ...settingsOf(input),
        createdBy: tx.actor.type === "user" ? tx.actor.userId : null,
        createdAt: tx.now(),
        updatedAt: tx.now(),
      })
      .returning();
    await tx.audit({ type: "listening.stream_created", data: { streamId: row.id, name: row.name, query: row.query } }, { type: "stream", id: row.id });
    return presentStream(row);
  });
}

/** The settings given, with critical terms trimmed and de-duplicated. */
export function settingsOf(input: StreamSettings) {
  return {
    ...(input.spikeSensitivity !== undefined ? { spikeSensitivity: input.spikeSensitivity } : {}),
    ...(input.negativeAlerts !== undefined ? { negativeAlerts: input.negativeAlerts } : {}),
    ...(input.criticalTerms !== undefined ? { criticalTerms: [...new Set(input.criticalTerms.map((t) => t.trim()).filter(Boolean))] } : {}),
    ...(input.cooldownMinutes !== undefined ? { cooldownMinutes: input.cooldownMinutes } : {}),
  };
}
