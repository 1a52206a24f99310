import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { alertDeliveries, alertDestinations, listeningAlerts, listeningStreams } from "../listening.schema";
import { alertTexts, type AlertFacts } from "./alert-texts";
import { inCooldown } from "./spike-detection";

export type RaiseAlertInput = {
  streamId: string | null;
  facts: AlertFacts;
  /** Everything the alert page shows (top posts, splits, first posts); `facts` is added to it. */
  evidence: Record<string, unknown>;
  windowStart: Date;
  windowEnd: Date;
  /** A keyword alert's cooldown is per critical term: another term may alert meanwhile. */
  cooldownTerm?: string;
};

/**
 * Raises an alert in the ctx's workspace unless one of the same kind was raised on the stream within its cooldown,
 * and queues it for every destination that takes its kind (the caller runs `unsafeDeliverAlerts` once its
 * judging round has committed; the `listening.deliver-alerts` job retries). The stream's row is locked, so two workers judging the same window raise one alert.
 * Returns the alert's id, or null when the cooldown held it back.
 */
export async function raiseAlert(tx: Ctx, input: RaiseAlertInput): Promise<string | null> {
  const workspaceId = tx.workspaceId!;
  const kind = input.facts.kind;
  if (input.streamId) {
    const [stream] = await tx.db.select({ cooldownMinutes: listeningStreams.cooldownMinutes }).from(listeningStreams).where(eq(listeningStreams.id, input.streamId)).for("update");
    if (!stream) return null; // deleted meanwhile
    const [last] = await tx.db
      .select({ raisedAt: listeningAlerts.raisedAt })
      .from(listeningAlerts)
      .where(
        and(
          eq(listeningAlerts.streamId, input.streamId),
          eq(listeningAlerts.kind, kind),
          input.cooldownTerm === undefined ? undefined : sql`${listeningAlerts.evidence}->'facts'->'evidence'->>'term' = ${input.cooldownTerm}`,
        ),
      )
      .orderBy(desc(listeningAlerts.raisedAt))
      .limit(1);
    if (inCooldown(last?.raisedAt ?? null, tx.now(), stream.cooldownMinutes)) return null;
  }
  const [alert] = await tx.db
    .insert(listeningAlerts)
    .values({
      workspaceId,
      streamId: input.streamId,
      kind,
      title: alertTexts("en").title(input.facts),
      evidence: { ...input.evidence, facts: input.facts },
      windowStart: input.windowStart,
      windowEnd: input.windowEnd,
      raisedAt: tx.now(),
    })
    .returning({ id: listeningAlerts.id });
  const destinations = await tx.db
    .select({ id: alertDestinations.id, kinds: alertDestinations.kinds })
    .from(alertDestinations)
    .where(and(eq(alertDestinations.workspaceId, workspaceId), isNull(alertDestinations.disabledAt)));
  const takers = destinations.filter((d) => d.kinds.length === 0 || d.kinds.includes(kind));
  if (takers.length) {
    await tx.db.insert(alertDeliveries).values(takers.map((d) => ({ alertId: alert.id, destinationId: d.id, nextAttemptAt: tx.now() })));
  }
  return alert.id;
}
