import type { Stream, StreamVolume } from "../../../../contracts/listening";
import type { listeningStreams } from "../listening.schema";
import { parseQuery } from "../query";

type StreamRow = typeof listeningStreams.$inferSelect;

export const EMPTY_VOLUME: StreamVolume = { last24h: 0, lastHour: 0, negative24h: 0, negativeShare: 0, hourly: Array(24).fill(0) };

/** A stream as the API shows it: its settings, the query explained, and its recent volume. */
export function presentStream(row: StreamRow, volume: StreamVolume = EMPTY_VOLUME): Stream {
  const parsed = parseQuery(row.query);
  return {
    id: row.id,
    name: row.name,
    query: row.query,
    explanation: parsed.ok ? parsed.query.explanation : "",
    position: row.position,
    spikeSensitivity: row.spikeSensitivity as Stream["spikeSensitivity"],
    negativeAlerts: row.negativeAlerts,
    criticalTerms: row.criticalTerms,
    cooldownMinutes: row.cooldownMinutes,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
    volume,
  };
}
