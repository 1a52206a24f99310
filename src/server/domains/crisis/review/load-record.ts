import { and, asc, eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { streamVolumeByMinute } from "../../listening";
import { listeningAlerts } from "../../listening/listening.schema";
import {
  crises,
  crisisEvents,
  crisisHeldPosts,
  crisisSeverities,
  crisisStatements,
  crisisStatusUpdates,
  crisisTasks,
} from "../crisis.schema";
import type { CrisisRecord } from "./figures";
import { watchedStreams } from "../crises/watched-streams";

export type CrisisRow = typeof crises.$inferSelect;

const WEEK = 7 * 24 * 3_600_000;

/** The streams whose volume the review compares: the plan's trigger streams and the alert's stream. */
/** Everything the review's figures are computed from, read in the caller's transaction. */
export async function loadCrisisRecord(tx: Ctx, crisis: CrisisRow): Promise<CrisisRecord> {
  const [alert] = crisis.originAlertId
    ? await tx.db.select({ windowStart: listeningAlerts.windowStart, raisedAt: listeningAlerts.raisedAt, streamId: listeningAlerts.streamId }).from(listeningAlerts).where(eq(listeningAlerts.id, crisis.originAlertId))
    : [];
  const [severity] = await tx.db
    .select()
    .from(crisisSeverities)
    .where(and(eq(crisisSeverities.workspaceId, crisis.workspaceId), eq(crisisSeverities.level, crisis.severityLevel)));
  const events = await tx.db.select().from(crisisEvents).where(eq(crisisEvents.crisisId, crisis.id)).orderBy(asc(crisisEvents.occurredAt), asc(crisisEvents.seq));
  const statements = await tx.db.select().from(crisisStatements).where(eq(crisisStatements.crisisId, crisis.id));
  const held = await tx.db.select({ decision: crisisHeldPosts.decision }).from(crisisHeldPosts).where(eq(crisisHeldPosts.crisisId, crisis.id));
  const updates = await tx.db.select({ createdAt: crisisStatusUpdates.createdAt }).from(crisisStatusUpdates).where(eq(crisisStatusUpdates.crisisId, crisis.id));
  const tasks = await tx.db
    .select({ status: crisisTasks.status, dueAt: crisisTasks.dueAt, doneAt: crisisTasks.doneAt, source: crisisTasks.source })
    .from(crisisTasks)
    .where(eq(crisisTasks.crisisId, crisis.id));

  const endedAt = crisis.closedAt ?? crisis.cancelledAt ?? null;
  const firstSignalAt = alert?.windowStart ?? null;
  const detectedAt = crisis.detectedAt ?? alert?.raisedAt ?? null;
  const declared = events.find((e) => e.type === "declared");
  const declaredStatus = (declared?.data as Record<string, unknown> | undefined)?.status;

  let volume: CrisisRecord["volume"] = null;
  const streamIds = (await watchedStreams(tx, crisis)).map((s) => s.id);
  if (streamIds.length > 0) {
    const start = firstSignalAt ?? detectedAt ?? crisis.declaredAt;
    const from = new Date(start.getTime() - WEEK);
    const to = new Date((endedAt ?? tx.now()).getTime() + WEEK);
    volume = { streamIds, minutes: await streamVolumeByMinute(tx, streamIds, from, to) };
  }

  return {
    initialStatus: typeof declaredStatus === "string" ? declaredStatus : crisis.activatedAt && crisis.activatedAt.getTime() === crisis.declaredAt.getTime() ? "active" : "triage",
    firstSignalAt,
    detectedAt,
    declaredAt: crisis.declaredAt,
    firstPublicResponseAt: crisis.firstPublicResponseAt,
    endedAt,
    internalUpdateMinutes: severity?.internalUpdateMinutes ?? null,
    publicUpdateMinutes: severity?.publicUpdateMinutes ?? null,
    events: events.map((e) => ({ id: e.id, type: e.type, occurredAt: e.occurredAt, actorLabel: e.actorLabel, text: e.text, data: (e.data ?? {}) as Record<string, unknown>, pinned: e.pinned })),
    statements: statements.map((s) => ({
      id: s.id,
      kind: s.kind,
      locale: s.locale,
      status: s.status,
      approverId: s.approverId,
      backupApproverId: s.backupApproverId,
      submittedAt: s.submittedAt,
      escalatedAt: s.escalatedAt,
      decidedBy: s.decidedBy,
      decidedAt: s.decidedAt,
      publishedAt: s.publishedAt,
    })),
    heldPostDecisions: held.map((h) => h.decision),
    statusUpdateTimes: updates.map((u) => u.createdAt),
    tasks,
    volume,
  };
}

