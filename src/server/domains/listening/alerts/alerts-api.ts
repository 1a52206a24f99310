import { and, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { AlertDetail, Alert, Impostor } from "../../../../contracts/listening-alerts";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { users } from "../../identity/identity.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { alertDeliveries, alertDestinations, impostorAccounts, listeningAlerts, listeningStreams, mentionMatches, mentions } from "../listening.schema";
import { alertNotFound, alertStatusBackwards, impostorNotFound } from "./alerts.errors";

const ORDER = { open: 0, acknowledged: 1, resolved: 2 } as const;
const MENTIONS_SHOWN = 100;

const alertColumns = {
  alert: listeningAlerts,
  streamName: listeningStreams.name,
  statusByName: users.name,
};
type AlertRow = { alert: typeof listeningAlerts.$inferSelect; streamName: string | null; statusByName: string | null };

function toAlert(row: AlertRow): Alert {
  const a = row.alert;
  return {
    id: a.id,
    kind: a.kind as Alert["kind"],
    title: a.title,
    streamId: a.streamId,
    streamName: row.streamName,
    status: a.status as Alert["status"],
    statusAt: a.statusAt?.toISOString() ?? null,
    statusByName: row.statusByName,
    raisedAt: a.raisedAt.toISOString(),
    windowStart: a.windowStart.toISOString(),
    windowEnd: a.windowEnd.toISOString(),
    evidence: a.evidence,
  };
}

/** The workspace's alerts, newest first, with how many are open (the nav's count). */
export async function listAlerts(ctx: Ctx, filter: { kind?: string; status?: string; stream?: string; limit?: number }): Promise<{ alerts: Alert[]; open: number }> {
  authorize(ctx.actor, "listening.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select(alertColumns)
    .from(listeningAlerts)
    .leftJoin(listeningStreams, eq(listeningStreams.id, listeningAlerts.streamId))
    .leftJoin(users, eq(users.id, listeningAlerts.statusBy))
    .where(
      and(
        eq(listeningAlerts.workspaceId, workspaceId),
        filter.kind ? eq(listeningAlerts.kind, filter.kind) : undefined,
        filter.status ? eq(listeningAlerts.status, filter.status) : undefined,
        filter.stream ? eq(listeningAlerts.streamId, filter.stream) : undefined,
      ),
    )
    .orderBy(desc(listeningAlerts.raisedAt), desc(listeningAlerts.id))
    .limit(filter.limit ?? 100);
  const [{ open }] = await ctx.db
    .select({ open: sql<number>`count(*)::int` })
    .from(listeningAlerts)
    .where(and(eq(listeningAlerts.workspaceId, workspaceId), eq(listeningAlerts.status, "open")));
  return { alerts: rows.map(toAlert), open: Number(open) };
}

/** One alert with its evidence, the mentions behind it and where it was delivered. */
export async function getAlert(ctx: Ctx, alertId: string): Promise<AlertDetail> {
  authorize(ctx.actor, "listening.read");
  const { workspaceId } = currentWorkspace(ctx);
  const [row] = await ctx.db
    .select(alertColumns)
    .from(listeningAlerts)
    .leftJoin(listeningStreams, eq(listeningStreams.id, listeningAlerts.streamId))
    .leftJoin(users, eq(users.id, listeningAlerts.statusBy))
    .where(and(eq(listeningAlerts.workspaceId, workspaceId), eq(listeningAlerts.id, alertId)));
  if (!row) throw alertNotFound();
  const a = row.alert;
  const columns = {
    id: mentions.id,
    network: mentions.network,
    url: mentions.url,
    authorHandle: mentions.authorHandle,
    authorName: mentions.authorName,
    text: mentions.text,
    lang: mentions.lang,
    sentiment: mentions.sentiment,
    postedAt: mentions.postedAt,
  };
  const named = Array.isArray(a.evidence.mentionIds) ? (a.evidence.mentionIds as number[]).filter((n) => Number.isSafeInteger(n)) : [];
  const found =
    a.kind === "spike" || a.kind === "negative_turn"
      ? await ctx.db
          .select(columns)
          .from(mentionMatches)
          .innerJoin(mentions, eq(mentions.id, mentionMatches.mentionId))
          .where(and(eq(mentionMatches.streamId, a.streamId!), gte(mentionMatches.postedAt, a.windowStart), lt(mentionMatches.postedAt, a.windowEnd)))
          .orderBy(desc(mentionMatches.postedAt), desc(mentions.id))
          .limit(MENTIONS_SHOWN)
      : named.length
        ? await ctx.db
            .select(columns)
            .from(mentions)
            .where(and(eq(mentions.workspaceId, workspaceId), inArray(mentions.id, named)))
            .orderBy(desc(mentions.postedAt))
            .limit(MENTIONS_SHOWN)
        : [];
  const deliveries = await ctx.db
    .select({ destinationName: alertDestinations.name, kind: alertDestinations.kind, status: alertDeliveries.status, attempts: alertDeliveries.attempts, lastError: alertDeliveries.lastError })
    .from(alertDeliveries)
    .innerJoin(alertDestinations, eq(alertDestinations.id, alertDeliveries.destinationId))
    .where(eq(alertDeliveries.alertId, a.id));
  return { ...toAlert(row), mentions: found.map((m) => ({ ...m, postedAt: m.postedAt.toISOString() })), deliveries };
}

/** Acknowledges or resolves an alert (forward only: open → acknowledged → resolved), audited. */
export async function setAlertStatus(ctx: Ctx, alertId: string, status: "acknowledged" | "resolved"): Promise<AlertDetail> {
  authorize(ctx.actor, "alerts.handle");
  const { workspaceId } = currentWorkspace(ctx);
  await inTransaction(ctx, async (tx) => {
    const [alert] = await tx.db
      .select()
      .from(listeningAlerts)
      .where(and(eq(listeningAlerts.workspaceId, workspaceId), eq(listeningAlerts.id, alertId)))
      .for("update");
    if (!alert) throw alertNotFound();
    const from = alert.status as keyof typeof ORDER;
    if (from === status) return;
    if (ORDER[status] < ORDER[from]) throw alertStatusBackwards(from, status);
    const userId = tx.actor.type === "user" ? tx.actor.userId : null;
    await tx.db.update(listeningAlerts).set({ status, statusAt: tx.now(), statusBy: userId }).where(eq(listeningAlerts.id, alert.id));
    await tx.audit({ type: "listening.alert_status_changed", data: { alertId: alert.id, kind: alert.kind, from, to: status } }, { type: "listening_alert", id: alert.id });
  });
  return getAlert(ctx, alertId);
}

function toImpostor(row: typeof impostorAccounts.$inferSelect): Impostor {
  const imitates = (row.evidence.imitates ?? null) as Impostor["imitates"];
  return {
    id: row.id,
    network: row.network,
    handle: row.handle,
    displayName: row.displayName,
    profileUrl: row.profileUrl,
    imitatesChannelId: row.imitatesChannelId,
    imitates: imitates ? { handle: imitates.handle, displayName: imitates.displayName ?? null, network: imitates.network } : null,
    score: row.score,
    evidence: row.evidence,
    status: row.status as Impostor["status"],
    statusAt: row.statusAt?.toISOString() ?? null,
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
  };
}

/** Suspected impostor accounts, the newest sightings first. */
export async function listImpostors(ctx: Ctx, filter: { status?: string }): Promise<Impostor[]> {
  authorize(ctx.actor, "listening.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select()
    .from(impostorAccounts)
    .where(and(eq(impostorAccounts.workspaceId, workspaceId), filter.status ? eq(impostorAccounts.status, filter.status) : undefined))
    .orderBy(desc(impostorAccounts.lastSeenAt), desc(impostorAccounts.id))
    .limit(500);
  return rows.map(toImpostor);
}

/** Records what a person found or did about a suspect (reviewed, reported, taken down, dismissed), audited. */
export async function setImpostorStatus(ctx: Ctx, impostorId: string, status: Impostor["status"]): Promise<Impostor> {
  authorize(ctx.actor, "alerts.handle");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .select()
      .from(impostorAccounts)
      .where(and(eq(impostorAccounts.workspaceId, workspaceId), eq(impostorAccounts.id, impostorId)))
      .for("update");
    if (!row) throw impostorNotFound();
    if (row.status === status) return toImpostor(row);
    const userId = tx.actor.type === "user" ? tx.actor.userId : null;
    const [updated] = await tx.db.update(impostorAccounts).set({ status, statusAt: tx.now(), statusBy: userId }).where(eq(impostorAccounts.id, row.id)).returning();
    await tx.audit(
      { type: "listening.impostor_status_changed", data: { impostorId: row.id, network: row.network, handle: row.handle, from: row.status, to: status } },
      { type: "impostor_account", id: row.id },
    );
    return toImpostor(updated);
  });
}
