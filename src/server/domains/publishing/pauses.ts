import { and, eq, isNull, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { rowsOf } from "../../db/client";
import { workspaces } from "../workspaces/workspaces.schema";
import { publishingPauses } from "./publishing.schema";

export type PauseRow = typeof publishingPauses.$inferSelect;

/** The workspace's pauses in force. */
export async function activePauses(ctx: Ctx, workspaceId: string): Promise<PauseRow[]> {
  return ctx.db.select().from(publishingPauses).where(and(eq(publishingPauses.workspaceId, workspaceId), isNull(publishingPauses.resumedAt)));
}

/** The pause in force that covers `channelId` (a workspace-wide one first), if any. */
export function pauseCovering(pauses: PauseRow[], channelId: string): PauseRow | undefined {
  return pauses.find((p) => p.channelIds === null) ?? pauses.find((p) => p.channelIds?.includes(channelId));
}

/**
 * Takes the workspace's publishing lock. Claims take it shared, pause and resume exclusively: a pause waits for the
 * claims already under way to commit, and every claim after it sees the pause. (Taken before any post row is locked,
 * in both, so the two never wait for each other in opposite orders.)
 */
export async function lockPublishing(tx: Ctx, workspaceId: string, mode: "share" | "update"): Promise<boolean> {
  const rows = await tx.db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)).for(mode);
  return rows.length > 0;
}

/** The next claim number (see publish_claim_seq). */
export async function nextClaimNumber(tx: Ctx): Promise<number> {
  const result: unknown = await tx.db.execute(sql`select nextval('publish_claim_seq')::bigint as n`);
  const rows = rowsOf<{ n: string | number }>(result);
  return Number(rows[0].n);
}

export function presentPause(pause: PauseRow) {
  return {
    id: pause.id,
    channelIds: pause.channelIds,
    reason: pause.reason,
    pausedBy: pause.pausedBy,
    pausedByName: pause.pausedByLabel,
    pausedVia: pause.pausedVia ?? null,
    pausedAt: pause.pausedAt.toISOString(),
    resumedAt: pause.resumedAt?.toISOString() ?? null,
  };
}
