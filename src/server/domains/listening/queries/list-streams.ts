import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { rowsOf } from "../../../db/client";
import type { Stream, StreamVolume } from "../../../../contracts/listening";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { streamNotFound } from "../listening.errors";
import { listeningStreams } from "../listening.schema";
import { EMPTY_VOLUME, presentStream } from "./present-stream";

const HOUR_MS = 3_600_000;

/** The workspace's streams in board order, each with its volume over the last 24 hours (from the per-minute counts). */
export async function listStreams(ctx: Ctx, options: { archived?: boolean } = {}): Promise<Stream[]> {
  authorize(ctx.actor, "listening.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select()
    .from(listeningStreams)
    .where(and(eq(listeningStreams.workspaceId, workspaceId), options.archived ? isNotNull(listeningStreams.archivedAt) : isNull(listeningStreams.archivedAt)))
    .orderBy(asc(listeningStreams.position), asc(listeningStreams.createdAt));
  const volumes = await volumesOf(ctx, rows.map((r) => r.id));
  return rows.map((row) => presentStream(row, volumes.get(row.id) ?? EMPTY_VOLUME));
}

/** One stream of the workspace (archived ones too). */
export async function getStream(ctx: Ctx, streamId: string): Promise<Stream> {
  authorize(ctx.actor, "listening.read");
  const { workspaceId } = currentWorkspace(ctx);
  const [row] = await ctx.db
    .select()
    .from(listeningStreams)
    .where(and(eq(listeningStreams.id, streamId), eq(listeningStreams.workspaceId, workspaceId)));
  if (!row) throw streamNotFound();
  const volumes = await volumesOf(ctx, [row.id]);
  return presentStream(row, volumes.get(row.id) ?? EMPTY_VOLUME);
}

type HourRow = { stream_id: string; ago: number | string; total: number | string; negative: number | string };

/** Hourly totals of the last 24 hours per stream (hour 0 is the last 60 minutes), summed in the database. */
async function volumesOf(ctx: Ctx, streamIds: string[]): Promise<Map<string, StreamVolume>> {
  const out = new Map<string, StreamVolume>();
  if (!streamIds.length) return out;
  const now = ctx.now();
  const since = new Date(now.getTime() - 24 * HOUR_MS);
  const result = await ctx.db.execute(sql`
    select stream_id, floor(extract(epoch from (${now.toISOString()}::timestamptz - minute)) / 3600)::int as ago,
      sum(total)::int as total, sum(negative)::int as negative
    from stream_minute_counts
    where stream_id = any(${sql.param(streamIds)}::uuid[]) and minute > ${since.toISOString()}::timestamptz and minute <= ${now.toISOString()}::timestamptz
    group by 1, 2`);
  for (const row of rowsOf<HourRow>(result)) {
    const ago = Math.min(23, Math.max(0, Number(row.ago)));
    let volume = out.get(row.stream_id);
    if (!volume) out.set(row.stream_id, (volume = { ...EMPTY_VOLUME, hourly: Array(24).fill(0) }));
    volume.hourly[23 - ago] += Number(row.total);
    volume.last24h += Number(row.total);
    volume.negative24h += Number(row.negative);
    if (ago === 0) volume.lastHour += Number(row.total);
  }
  for (const volume of out.values()) volume.negativeShare = volume.last24h ? Math.round((volume.negative24h / volume.last24h) * 1000) / 1000 : 0;
  return out;
}
