import { and, desc, eq, isNotNull, ne } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { streamVolumeByMinute } from "../../listening";
import { crisisStatements } from "../crisis.schema";
import { roomCrisis } from "./access";
import { watchedStreams } from "../crises/watched-streams";

const HOUR = 3_600_000;
const BASELINE_DAYS = 7;

/**
 * The room's live figures. Mentions are counted on the plan's trigger streams and the origin alert's stream (listening's
 * per-minute counts): the last hour against the
 * hourly mean of the week before the crisis was detected (or declared), the negative share of each, and the last 12
 * hours. Time since the last public update comes from the published statements. The inbox does not exist yet, so its
 * backlog and median reply time are reported as not available. An ended crisis's figures are those of the moment it
 * ended (`endedAt`).
 */
export async function crisisFigures(ctx: Ctx, crisisId: string) {
  authorize(ctx.actor, "crisis.read");
  return inTransaction(ctx, async (tx) => {
    const crisis = await roomCrisis(tx, crisisId);
    // An ended crisis shows its figures as they stood when it ended, not a clock that keeps running.
    const endedAt = crisis.closedAt ?? crisis.cancelledAt ?? (crisis.status === "merged" ? crisis.updatedAt : null);
    const now = endedAt ?? tx.now();
    const streams = await watchedStreams(tx, crisis);
    const ids = streams.map((s) => s.id);
    const sum = async (from: Date, to: Date) => {
      const minutes = await streamVolumeByMinute(tx, ids, from, to);
      return { total: minutes.reduce((a, r) => a + r.total, 0), negative: minutes.reduce((a, r) => a + r.negative, 0), minutes };
    };
    const share = (negative: number, total: number) => (total > 0 ? negative / total : null);

    const lastHour = await sum(new Date(now.getTime() - HOUR), now);
    const baselineEnd = crisis.detectedAt ?? crisis.declaredAt;
    const baseline = await sum(new Date(baselineEnd.getTime() - BASELINE_DAYS * 24 * HOUR), baselineEnd);
    const hourlyMean = baseline.total / (BASELINE_DAYS * 24);
    const windowStart = Math.floor(now.getTime() / HOUR) * HOUR - 11 * HOUR;
    const recent = await sum(new Date(windowStart), now);
    const hourly = Array.from({ length: 12 }, (_, i) => ({ hour: new Date(windowStart + i * HOUR).toISOString(), total: 0, negative: 0 }));
    for (const m of recent.minutes) {
      const slot = hourly[Math.floor((m.minute.getTime() - windowStart) / HOUR)];
      if (slot) {
        slot.total += m.total;
        slot.negative += m.negative;
      }
    }

    const [lastPublished] = await tx.db
      .select({ at: crisisStatements.publishedAt })
      .from(crisisStatements)
      .where(and(eq(crisisStatements.crisisId, crisisId), isNotNull(crisisStatements.publishedAt), ne(crisisStatements.kind, "reply")))
      .orderBy(desc(crisisStatements.publishedAt))
      .limit(1);
    const lastAt = lastPublished?.at ?? null;
    return {
      streams,
      lastHour: { total: lastHour.total, negative: lastHour.negative, negativeShare: share(lastHour.negative, lastHour.total) },
      baseline: { hourlyMean: Math.round(hourlyMean * 100) / 100, negativeShare: share(baseline.negative, baseline.total) },
      volumeRatio: hourlyMean > 0 ? Math.round((lastHour.total / hourlyMean) * 10) / 10 : null,
      hourly,
      lastPublicUpdateAt: lastAt?.toISOString() ?? null,
      minutesSinceLastPublicUpdate: lastAt ? Math.floor((now.getTime() - lastAt.getTime()) / 60_000) : null,
      nextPublicUpdateDueAt: endedAt ? null : (crisis.nextPublicUpdateDueAt?.toISOString() ?? null),
      firstPublicResponseAt: crisis.firstPublicResponseAt?.toISOString() ?? null,
      inbox: { available: false as const },
      computedAt: now.toISOString(),
      endedAt: endedAt?.toISOString() ?? null,
    };
  });
}
