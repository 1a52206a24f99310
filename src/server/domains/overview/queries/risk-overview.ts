// The Home page's risk overview (docs/web.md, "Home"): what needs attention now, across the domains. A read model only:
// each section is built from its domain's own exported queries (so it sees exactly what that domain's pages show the
// reader), and a section the reader may not read is null, never an error.
import { OVERVIEW_WINDOWS, type Overview } from "../../../../contracts/overview";
import { can } from "../../../authz";
import type { Ctx } from "../../../context";
import { quarterOf, quarterStart, listSignOffs } from "../../access-review";
import { listChannels } from "../../channels";
import { crisisBanner } from "../../crisis/crises";
import { listDrills } from "../../crisis/drills";
import { DRILL_DUE_DAYS, listPlans } from "../../crisis/plans";
import { listMyApiTokens } from "../../identity";
import { listImpostors, listSources, openAlertCounts } from "../../listening";
import { approvalsWaiting, listPosts, publishingStatus } from "../../publishing";
import { listMembers } from "../../workspaces";
import { currentWorkspace } from "../../workspaces/workspace-actor";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Enough for a busy brand's week and a day ahead; the overview counts, it does not list. */
const POSTS_SCANNED = 500;

/** What needs attention now in the current workspace, for the reader: one section per area they may read. */
export async function riskOverview(ctx: Ctx): Promise<Overview> {
  currentWorkspace(ctx);
  const now = ctx.now();
  const section = <T>(allowed: boolean, read: () => Promise<T>) => (): Promise<T | null> => (allowed ? read() : Promise.resolve(null));
  const [publishing, approvals, listening, crisis, channels, people, accessReview, apiTokens] = await readTogether(ctx, [
    section(can(ctx.actor, "posts.read"), () => publishingSection(ctx, now)),
    section(can(ctx.actor, "posts.read"), () => approvalsSection(ctx, now)),
    section(can(ctx.actor, "listening.read"), () => listeningSection(ctx)),
    section(can(ctx.actor, "crisis.read"), () => crisisSection(ctx)),
    section(can(ctx.actor, "channels.read"), () => channelsSection(ctx, now)),
    section(can(ctx.actor, "members.read"), () => peopleSection(ctx, now)),
    section(can(ctx.actor, "access_review.read"), () => accessReviewSection(ctx, now)),
    // Tokens are the person's own, managed only from a signed-in browser: an API token's caller gets none.
    section(ctx.actor.type === "user" && ctx.actor.via === "session", () => apiTokensSection(ctx, now)),
  ]);
  return { generatedAt: now.toISOString(), windows: { ...OVERVIEW_WINDOWS }, publishing, approvals, listening, crisis, channels, people, accessReview, apiTokens };
}

/**
 * Runs independent reads. Outside a transaction they run at once: the PostgreSQL pool gives each its own connection,
 * and PGlite queues them on its one connection (behind its own lock). Inside a transaction they would share one
 * client, where node-postgres deprecates overlapping queries, so there they run one after the other.
 */
async function readTogether<T extends readonly unknown[]>(ctx: Ctx, reads: readonly [...{ [K in keyof T]: () => Promise<T[K]> }]): Promise<T> {
  if (!ctx.transactional) return (await Promise.all(reads.map((read) => read()))) as unknown as T;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as unknown as T;
}

async function publishingSection(ctx: Ctx, now: Date): Promise<Overview["publishing"]> {
  const from = new Date(now.getTime() - OVERVIEW_WINDOWS.recentDays * DAY_MS);
  const until = new Date(now.getTime() + OVERVIEW_WINDOWS.scheduledHours * HOUR_MS);
  const [status, posts] = await readTogether(ctx, [
    () => publishingStatus(ctx),
    () => listPosts(ctx, { from: from.toISOString(), to: until.toISOString(), limit: POSTS_SCANNED }),
  ]);
  const past = posts.filter((p) => p.scheduledAt && new Date(p.scheduledAt) <= now);
  const soon = posts
    // Going out: a channel's delivery is scheduled (a held one waits for a person's decision and is counted as held).
    .filter((p) => p.scheduledAt && new Date(p.scheduledAt) > now && p.targets.some((t) => t.status === "scheduled"))
    .map((p) => p.scheduledAt!)
    .sort();
  return {
    pauses: status.pauses.map((p) => ({ id: p.id, reason: p.reason, pausedByName: p.pausedByName, pausedVia: p.pausedVia, pausedAt: p.pausedAt, channelCount: p.channelIds?.length ?? null })),
    held: Number(status.held),
    failedRecently: past.filter((p) => p.targets.some((t) => t.status === "failed")).length,
    expiredRecently: past.filter((p) => p.state === "expired").length,
    scheduledSoon: soon.length,
    nextScheduledAt: soon[0] ?? null,
  };
}

async function approvalsSection(ctx: Ctx, now: Date): Promise<Overview["approvals"]> {
  // A post in review is not published when its time comes: its scheduled time is the approval's deadline.
  const { count, deadlines } = await approvalsWaiting(ctx);
  const until = now.getTime() + OVERVIEW_WINDOWS.scheduledHours * HOUR_MS;
  return {
    waitingForMe: count,
    dueSoon: deadlines.filter((at) => new Date(at).getTime() <= until).length,
    nextDeadline: deadlines[0] ?? null,
  };
}

async function listeningSection(ctx: Ctx): Promise<Overview["listening"]> {
  const [openByKind, impostors, sources] = await readTogether(ctx, [() => openAlertCounts(ctx), () => listImpostors(ctx, { status: "new" }), () => listSources(ctx)]);
  return {
    openAlerts: Object.values(openByKind).reduce((sum, n) => sum + n, 0),
    openByKind,
    impostorsToReview: impostors.length,
    sources: sources.length,
    sourcesFailing: sources.filter((s) => s.state === "failing").length,
    sourcesBehind: sources.filter((s) => s.state !== "failing" && s.behind).length,
  };
}

async function crisisSection(ctx: Ctx): Promise<Overview["crisis"]> {
  const [banner, drills, plans] = await readTogether(ctx, [() => crisisBanner(ctx), () => listDrills(ctx), () => listPlans(ctx)]);
  const drilled = plans.map((p) => p.lastDrilledAt).filter((at): at is string => Boolean(at)).sort();
  return {
    open: banner.crises.map((c) => ({ id: c.id, ref: c.ref, title: c.title, status: c.status, severityLevel: c.severityLevel, severityName: c.severityName, isDrill: c.isDrill, declaredAt: c.declaredAt })),
    drillsRunning: drills.filter((d) => d.status === "running").map((d) => ({ id: d.id, planName: d.planName, startedAt: d.startedAt })),
    plans: plans.length,
    plansNotReady: plans.filter((p) => !p.readiness.ready).length,
    lastDrilledAt: drilled.at(-1) ?? null,
    drillDueDays: DRILL_DUE_DAYS,
  };
}

async function channelsSection(ctx: Ctx, now: Date): Promise<Overview["channels"]> {
  const channels = await listChannels(ctx);
  const until = now.getTime() + OVERVIEW_WINDOWS.expiringDays * DAY_MS;
  return {
    total: channels.length,
    // Refused credentials (Reconnect) and access that ran out (Expired) both need a person to connect again.
    needsReconnect: channels.filter((c) => c.status === "needs_reconnect" || (c.status === "active" && !c.health.tokenValid)).length,
    credentialsExpiring: channels.filter((c) => c.status === "active" && c.health.tokenValid && c.health.expiresAt && new Date(c.health.expiresAt).getTime() <= until).length,
  };
}

async function peopleSection(ctx: Ctx, now: Date): Promise<Overview["people"]> {
  const members = await listMembers(ctx);
  const until = now.getTime() + OVERVIEW_WINDOWS.expiringDays * DAY_MS;
  const partnersEnding = members
    .flatMap((m) => (m.partner?.accessEndsAt && new Date(m.partner.accessEndsAt).getTime() <= until ? [{ userId: m.userId, name: m.name, organization: m.partner.organization, accessEndsAt: m.partner.accessEndsAt }] : []))
    .sort((a, b) => a.accessEndsAt.localeCompare(b.accessEndsAt));
  return { members: members.length, withoutMfa: members.filter((m) => !m.mfaEnabled).length, partnersEnding };
}

async function accessReviewSection(ctx: Ctx, now: Date): Promise<Overview["accessReview"]> {
  const { workspaceId } = currentWorkspace(ctx);
  const quarter = quarterOf(now);
  const [last] = await listSignOffs(ctx.db, workspaceId, 1);
  const start = quarterStart(now);
  const dueBy = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 3, 1));
  return { quarter, signedOff: last?.quarter === quarter, dueBy: dueBy.toISOString() };
}

async function apiTokensSection(ctx: Ctx, now: Date): Promise<Overview["apiTokens"]> {
  const until = now.getTime() + OVERVIEW_WINDOWS.expiringDays * DAY_MS;
  const tokens = await listMyApiTokens(ctx);
  const expiringSoon = tokens
    .flatMap((t) => (t.active && t.expiresAt && new Date(t.expiresAt).getTime() <= until ? [{ id: t.id, name: t.name, expiresAt: t.expiresAt }] : []))
    .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  return { expiringSoon };
}
