import { and, desc, eq, gte, inArray } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Services } from "../../../context";
import { streamVolumeByMinute } from "../../listening";
import { listeningAlerts } from "../../listening/listening.schema";
import { OPEN_STATUSES } from "../crises/transitions";
import { watchedStreams } from "../crises/watched-streams";
import { crises, crisisEvents } from "../crisis.schema";
import { recordCrisisEvent } from "../timeline";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A change is worth a timeline event when the last hour's mentions doubled or halved since the last recorded level… */
export const VOLUME_FACTOR = 2;
/** …or the negative share moved this much (0.15 = 15 points)… */
export const NEGATIVE_SHIFT = 0.15;
/** …with at least this many mentions on one side (a move from 1 to 3 mentions is noise)… */
export const MIN_MENTIONS = 10;
/** …and at most one such event per crisis in this time. */
export const QUIET_MINUTES = 30;

type Level = { total: number; negativeShare: number | null };

/**
 * Puts what listening sees on every open crisis's timeline, run every minute as the system (hence unsafe), each crisis
 * in its own transaction with its row locked:
 * - an alert raised on one of the crisis's watched streams (crises/watched-streams.ts) since it was declared is linked
 *   (`alert_linked`, once per alert);
 * - a change in the last hour's mentions on those streams — volume doubled or halved, or the negative share moved by 15
 *   points, against the level last recorded (at first: the hourly mean of the week before the crisis) — is recorded as
 *   `volume_changed` with both levels, at most once every 30 minutes.
 */
export async function unsafeWatchListening(services: Services): Promise<{ alertsLinked: number; volumeChanges: number }> {
  const open = await services.database.db.select({ id: crises.id, workspaceId: crises.workspaceId }).from(crises).where(inArray(crises.status, OPEN_STATUSES));
  let alertsLinked = 0;
  let volumeChanges = 0;
  for (const candidate of open) {
    const ctx = unsafeSystemCtx(services, "crisis.watch-listening", candidate.workspaceId);
    await inTransaction(ctx, async (tx) => {
      const [crisis] = await tx.db.select().from(crises).where(eq(crises.id, candidate.id)).for("update");
      if (!crisis || !OPEN_STATUSES.includes(crisis.status as (typeof OPEN_STATUSES)[number])) return;
      const streams = await watchedStreams(tx, crisis);
      if (!streams.length) return;
      const ids = streams.map((s) => s.id);
      const now = tx.now();

      const linked = new Set(
        (await tx.db.select({ data: crisisEvents.data }).from(crisisEvents).where(and(eq(crisisEvents.crisisId, crisis.id), eq(crisisEvents.type, "alert_linked")))).map(
          (e) => (e.data as { alertId?: string }).alertId,
        ),
      );
      const alerts = await tx.db
        .select()
        .from(listeningAlerts)
        .where(and(eq(listeningAlerts.workspaceId, crisis.workspaceId), inArray(listeningAlerts.streamId, ids), gte(listeningAlerts.raisedAt, crisis.declaredAt)))
        .orderBy(listeningAlerts.raisedAt);
      for (const alert of alerts) {
        if (linked.has(alert.id)) continue;
        await recordCrisisEvent(tx, crisis.id, "alert_linked", { alertId: alert.id, kind: alert.kind, title: alert.title, raisedAt: alert.raisedAt.toISOString(), during: true }, { at: alert.raisedAt });
        alertsLinked++;
      }

      const [last] = await tx.db
        .select({ occurredAt: crisisEvents.occurredAt, data: crisisEvents.data })
        .from(crisisEvents)
        .where(and(eq(crisisEvents.crisisId, crisis.id), eq(crisisEvents.type, "volume_changed")))
        .orderBy(desc(crisisEvents.occurredAt), desc(crisisEvents.seq))
        .limit(1);
      if (last && now.getTime() - last.occurredAt.getTime() < QUIET_MINUTES * MINUTE) return;
      const current = level(await streamVolumeByMinute(tx, ids, new Date(now.getTime() - HOUR), now));
      let previous: Level;
      if (last) previous = last.data as Level;
      else {
        const baselineEnd = crisis.detectedAt ?? crisis.declaredAt;
        const week = level(await streamVolumeByMinute(tx, ids, new Date(baselineEnd.getTime() - 7 * 24 * HOUR), baselineEnd));
        previous = { total: Math.round(week.total / (7 * 24)), negativeShare: week.negativeShare };
      }
      const change = changeBetween(previous, current);
      if (!change) return;
      await recordCrisisEvent(tx, crisis.id, "volume_changed", {
        total: current.total,
        negativeShare: current.negativeShare,
        previousTotal: previous.total,
        previousNegativeShare: previous.negativeShare,
        volume: change.volume,
        sentiment: change.sentiment,
        streams: streams.map((s) => s.name),
      });
      volumeChanges++;
    });
  }
  return { alertsLinked, volumeChanges };
}

function level(minutes: Array<{ total: number; negative: number }>): Level {
  const total = minutes.reduce((a, m) => a + m.total, 0);
  const negative = minutes.reduce((a, m) => a + m.negative, 0);
  return { total, negativeShare: total > 0 ? Math.round((negative / total) * 100) / 100 : null };
}

/** Whether the last hour differs enough from the previous level to tell the room: which way the volume and the tone went. */
export function changeBetween(previous: Level, current: Level): { volume: "up" | "down" | "same"; sentiment: "more_negative" | "less_negative" | "same" } | null {
  if (Math.max(previous.total, current.total) < MIN_MENTIONS) return null;
  const volume = current.total >= Math.max(1, previous.total) * VOLUME_FACTOR ? "up" : current.total * VOLUME_FACTOR <= previous.total ? "down" : "same";
  const shift = previous.negativeShare !== null && current.negativeShare !== null ? current.negativeShare - previous.negativeShare : 0;
  const sentiment = shift >= NEGATIVE_SHIFT ? "more_negative" : shift <= -NEGATIVE_SHIFT ? "less_negative" : "same";
  return volume === "same" && sentiment === "same" ? null : { volume, sentiment };
}
