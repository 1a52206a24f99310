import { and, asc, gte, inArray, lt, sql } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { streamMinuteCounts } from "../listening.schema";

export type MinuteVolume = { minute: Date; total: number; negative: number };

/**
 * Mentions per minute over `streamIds` together (summed across the streams), oldest first, in [from, to): what other
 * domains read of listening's per-minute counters (the crisis room's live figures, a crisis review's volume). The
 * caller has already checked the streams belong to its workspace.
 */
export async function streamVolumeByMinute(tx: Ctx, streamIds: string[], from: Date, to: Date): Promise<MinuteVolume[]> {
  if (!streamIds.length) return [];
  const rows = await tx.db
    .select({ minute: streamMinuteCounts.minute, total: sql<number>`sum(${streamMinuteCounts.total})::int`, negative: sql<number>`sum(${streamMinuteCounts.negative})::int` })
    .from(streamMinuteCounts)
    .where(and(inArray(streamMinuteCounts.streamId, streamIds), gte(streamMinuteCounts.minute, from), lt(streamMinuteCounts.minute, to)))
    .groupBy(streamMinuteCounts.minute)
    .orderBy(asc(streamMinuteCounts.minute));
  return rows.map((r) => ({ minute: new Date(r.minute), total: Number(r.total), negative: Number(r.negative) }));
}
