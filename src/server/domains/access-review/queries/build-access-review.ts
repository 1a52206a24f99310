import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { and, asc, eq, inArray, isNull, max } from "drizzle-orm";
import type { z } from "zod";
import type { AccessReview, AccessReviewGrant, AccessReviewPerson, AccessReviewSummary } from "../../../../contracts/api";
import { CHANNEL_LEVELS, type ChannelLevel, type Role } from "../../../../contracts/roles";
import { auditEvents } from "../../../audit/audit.schema";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { effectiveLevels, myLevels } from "../../channels";
import { channels } from "../../channels/channels.schema";
import { apiTokens, sessions, users } from "../../identity/identity.schema";
import { passkeys } from "../../identity/passkeys.schema";
import { ssoIdentities, ssoProviders } from "../../sso/sso.schema";
import { memberships, teams, workspaces } from "../../workspaces/workspaces.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { quarterOf } from "../quarters";
import { listSignOffs } from "./list-sign-offs";

/** Access nobody used for this long is flagged for removal. */
export const UNUSED_AFTER_DAYS = 90;
/** Partners whose access ends within this many days are counted in the summary. */
export const PARTNER_ENDING_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

export type AccessReview = z.infer<typeof AccessReview>;
export type AccessReviewSummary = z.infer<typeof AccessReviewSummary>;
type Person = z.infer<typeof AccessReviewPerson>;
type Grant = z.infer<typeof AccessReviewGrant>;

/**
 * The access review of the current workspace (owners and admins): every member with their role, partner
 * organisation and end date, second factors, how they sign in, last activity and whether their access went unused for
 * 90 days, and per channel their effective level with the grant(s) it comes from (the same computation as every
 * access check: `effectiveLevels`). Only channels the viewer may see are listed.
 */
export async function buildAccessReview(ctx: Ctx): Promise<AccessReview> {
  authorize(ctx.actor, "access_review.read");
  const review = await unsafeAccessReviewContent(ctx);
  return { ...review, signOffs: await listSignOffs(ctx.db, review.workspace.id) };
}

/** The review without its sign-off history; the caller has authorized (the sign-off recomputes it in its transaction). */
export async function unsafeAccessReviewContent(ctx: Ctx): Promise<Omit<AccessReview, "signOffs">> {
  const { workspaceId } = currentWorkspace(ctx);
  const now = ctx.now();
  const [workspace] = await ctx.db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId));

  // Channel scope: the channels the viewer may see (owners and admins: every live channel).
  const visible = new Set([...(await myLevels(ctx))].filter(([, level]) => level !== "none").map(([id]) => id));
  const channelRows = (
    await ctx.db
      .select({ id: channels.id, network: channels.network, handle: channels.handle, displayName: channels.displayName })
      .from(channels)
      .where(and(eq(channels.workspaceId, workspaceId), isNull(channels.disconnectedAt)))
      .orderBy(asc(channels.network), asc(channels.handle))
  ).filter((c) => visible.has(c.id));

  const members = await ctx.db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      hasPassword: users.passwordHash,
      totpSince: users.mfaEnabledAt,
      role: memberships.role,
      joinedAt: memberships.createdAt,
      organization: memberships.partnerOrganization,
      accessEndsAt: memberships.accessEndsAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId));
  const ids = members.map((m) => m.userId);
  const teamNames = new Map((await ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.workspaceId, workspaceId))).map((t) => [t.id, t.name]));
  const levels = await effectiveLevels(ctx, workspaceId);

  const withPasskeys = new Set(ids.length ? (await ctx.db.selectDistinct({ userId: passkeys.userId }).from(passkeys).where(inArray(passkeys.userId, ids))).map((r) => r.userId) : []);
  const withSso = new Set(ids.length ? (await ctx.db.selectDistinct({ userId: ssoIdentities.userId }).from(ssoIdentities).where(inArray(ssoIdentities.userId, ids))).map((r) => r.userId) : []);
  const [provider] = await ctx.db.select({ ssoRequired: ssoProviders.ssoRequired, breakGlassUserId: ssoProviders.breakGlassUserId }).from(ssoProviders).where(eq(ssoProviders.workspaceId, workspaceId));

  const activity = await lastActivityIn(ctx, workspaceId, ids);

  const people: Person[] = members.map((m) => {
    const role = m.role as Role;
    const hasTotp = m.totpSince !== null;
    const hasPasskey = withPasskeys.has(m.userId);
    const sso = withSso.has(m.userId);
    // "SSO required" turns password sign-in off for everyone but the break-glass owner.
    const passwordBlocked = Boolean(provider?.ssoRequired) && !(provider?.breakGlassUserId === m.userId && role === "owner");
    const password = m.hasPassword !== null && !passwordBlocked;
    const last = activity.get(m.userId) ?? null;
    const since = last?.at ?? m.joinedAt;
    const byChannel = levels.get(m.userId);
    return {
      userId: m.userId,
      name: m.name,
      email: m.email,
      role,
      joinedAt: m.joinedAt.toISOString(),
      partner: m.organization ? { organization: m.organization, accessEndsAt: m.accessEndsAt?.toISOString() ?? null } : null,
      mfa: hasTotp && hasPasskey ? "totp_and_passkey" : hasTotp ? "totp" : hasPasskey ? "passkey" : "none",
      signIn: { password, sso, ssoOnly: sso && !password },
      lastActivityAt: last?.at.toISOString() ?? null,
      lastActivitySource: last?.source ?? null,
      unused: now.getTime() - since.getTime() > UNUSED_AFTER_DAYS * DAY_MS,
      access: channelRows.map((channel) => {
        const effective = byChannel?.get(channel.id);
        const level: ChannelLevel = effective?.level ?? "none";
        const grants: Grant[] = [];
        if (effective) {
          if (effective.sources.role !== "none") grants.push({ type: "role", role, level: effective.sources.role });
          if (effective.sources.direct !== "none") grants.push({ type: "direct", level: effective.sources.direct });
          for (const team of effective.sources.teams) {
            if (team.level !== "none") grants.push({ type: "team", teamId: team.teamId, teamName: teamNames.get(team.teamId) ?? "", level: team.level });
          }
        }
        grants.sort((a, b) => CHANNEL_LEVELS.indexOf(b.level) - CHANNEL_LEVELS.indexOf(a.level));
        return { channelId: channel.id, level, through: grants.filter((g) => g.level === level), overridden: grants.filter((g) => g.level !== level) };
      }),
    };
  });
  // Sorted here, not by the database: PGlite and PostgreSQL may collate names differently.
  people.sort((a, b) => a.name.localeCompare(b.name, "en") || a.email.localeCompare(b.email, "en"));

  const soon = now.getTime() + PARTNER_ENDING_WITHIN_DAYS * DAY_MS;
  const summary: AccessReviewSummary = {
    people: people.length,
    withoutMfa: people.filter((p) => p.mfa === "none").length,
    ssoOnly: people.filter((p) => p.signIn.ssoOnly).length,
    unused: people.filter((p) => p.unused).length,
    partners: people.filter((p) => p.partner).length,
    partnersEndingSoon: people.filter((p) => p.partner?.accessEndsAt && new Date(p.partner.accessEndsAt).getTime() <= soon).length,
    fullPublishing: people.filter((p) => p.access.some((a) => a.level === "publish")).length,
  };
  const quarter = quarterOf(now);
  const content = { workspaceId, channels: channelRows, people: people.map(({ lastActivityAt: _at, lastActivitySource: _source, ...rest }) => rest) };
  return {
    workspace,
    generatedAt: now.toISOString(),
    unusedAfterDays: UNUSED_AFTER_DAYS,
    partnerEndingWithinDays: PARTNER_ENDING_WITHIN_DAYS,
    contentHash: createHash("sha256").update(canonicalize(content)!).digest("hex"),
    quarter,
    signedOffThisQuarter: (await listSignOffs(ctx.db, workspaceId, 1))[0]?.quarter === quarter,
    channels: channelRows,
    people,
    summary,
  };
}

type Activity = { at: Date; source: "session" | "api_token" | "audit" };

/**
 * Each person's latest sign of life in this workspace: a session working in it (last seen), an API token for it
 * (last used), or an action of theirs in its audit log. Whatever is newest wins.
 */
async function lastActivityIn(ctx: Ctx, workspaceId: string, userIds: string[]): Promise<Map<string, Activity>> {
  const latest = new Map<string, Activity>();
  if (userIds.length === 0) return latest;
  const offer = (userId: string | null, at: Date | string | null, source: Activity["source"]) => {
    if (!userId || at === null) return;
    const when = at instanceof Date ? at : new Date(at);
    const current = latest.get(userId);
    if (!current || when.getTime() > current.at.getTime()) latest.set(userId, { at: when, source });
  };
  const bySession = await ctx.db
    .select({ userId: sessions.userId, at: max(sessions.lastSeenAt) })
    .from(sessions)
    .where(and(eq(sessions.workspaceId, workspaceId), inArray(sessions.userId, userIds)))
    .groupBy(sessions.userId);
  for (const row of bySession) offer(row.userId, row.at, "session");
  const byToken = await ctx.db
    .select({ userId: apiTokens.userId, at: max(apiTokens.lastUsedAt) })
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, workspaceId), inArray(apiTokens.userId, userIds)))
    .groupBy(apiTokens.userId);
  for (const row of byToken) offer(row.userId, row.at, "api_token");
  const byAudit = await ctx.db
    .select({ userId: auditEvents.actorId, at: max(auditEvents.occurredAt) })
    .from(auditEvents)
    .where(and(eq(auditEvents.workspaceId, workspaceId), inArray(auditEvents.actorType, ["user", "api_token"]), inArray(auditEvents.actorId, userIds)))
    .groupBy(auditEvents.actorId);
  for (const row of byAudit) offer(row.userId, row.at, "audit");
  return latest;
}
