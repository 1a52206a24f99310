import { and, eq, inArray, isNull } from "drizzle-orm";
import type { ChannelAction, ChannelLevel, Role } from "../../../contracts/roles";
import type { Ctx } from "../../context";
import { canOnChannel, highestLevel, levelByRole } from "../../authz";
import { forbidden, notFound } from "../../errors";
import { memberships, teamMembers, teams } from "../workspaces/workspaces.schema";
import { currentWorkspace } from "../workspaces/workspace-actor";
import { channelGrants, channels } from "./channels.schema";
import type { ChannelRow } from "./channel-records";
import { channelLockedDownFor } from "./channel-lockdown";
import { crisisLockdown } from "./channels.errors";

/** Where a person's level on a channel comes from: their role, their own grant, their teams' grants. */
export type LevelSources = { role: ChannelLevel; direct: ChannelLevel; teams: Array<{ teamId: string; level: ChannelLevel }> };
export type EffectiveLevel = { level: ChannelLevel; sources: LevelSources };

/**
 * Each person's level on each live channel of the workspace, with where it comes from: the highest of what their
 * role gives (owners and admins: Full publishing everywhere), their own grant and their teams' grants.
 * `userIds` limits it to those people.
 */
export async function effectiveLevels(ctx: Ctx, workspaceId: string, userIds?: string[]): Promise<Map<string, Map<string, EffectiveLevel>>> {
  const people = await ctx.db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), userIds ? inArray(memberships.userId, userIds) : undefined));
  const live = await ctx.db.select({ id: channels.id }).from(channels).where(and(eq(channels.workspaceId, workspaceId), isNull(channels.disconnectedAt)));
  const grants = await ctx.db.select().from(channelGrants).where(eq(channelGrants.workspaceId, workspaceId));
  const teamsOf = new Map<string, string[]>();
  const inTeams = await ctx.db
    .select({ userId: teamMembers.userId, teamId: teamMembers.teamId })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teams.workspaceId, workspaceId));
  for (const row of inTeams) teamsOf.set(row.userId, [...(teamsOf.get(row.userId) ?? []), row.teamId]);

  const result = new Map<string, Map<string, EffectiveLevel>>();
  for (const person of people) {
    const byChannel = new Map<string, EffectiveLevel>();
    const myTeams = new Set(teamsOf.get(person.userId) ?? []);
    for (const channel of live) {
      const role = levelByRole(person.role as Role);
      const direct = grants.find((g) => g.channelId === channel.id && g.userId === person.userId)?.level ?? "none";
      const viaTeams = grants.filter((g) => g.channelId === channel.id && g.teamId !== null && myTeams.has(g.teamId)).map((g) => ({ teamId: g.teamId!, level: g.level as ChannelLevel }));
      byChannel.set(channel.id, { level: highestLevel([role, direct, ...viaTeams.map((t) => t.level)]), sources: { role, direct, teams: viaTeams } });
    }
    result.set(person.userId, byChannel);
  }
  return result;
}

/** The actor's level on every live channel of the current workspace (the system actor: Full publishing). */
export async function myLevels(ctx: Ctx): Promise<Map<string, ChannelLevel>> {
  const { workspaceId } = currentWorkspace(ctx);
  if (ctx.actor.type !== "user") {
    const live = await ctx.db.select({ id: channels.id }).from(channels).where(eq(channels.workspaceId, workspaceId));
    return new Map(live.map((c) => [c.id, "publish" as ChannelLevel]));
  }
  const levels = (await effectiveLevels(ctx, workspaceId, [ctx.actor.userId])).get(ctx.actor.userId) ?? new Map<string, EffectiveLevel>();
  return new Map([...levels].map(([channelId, effective]) => [channelId, effective.level]));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The channel `channelId` of the current workspace, when the actor may do `action` on it. A channel the actor has
 * no access to is `not_found` (its existence is not revealed); one they see but may not act on this way is
 * `forbidden`.
 */
export async function authorizeOnChannel(ctx: Ctx, channelId: string, action: ChannelAction): Promise<{ channel: ChannelRow; level: ChannelLevel }> {
  const { workspaceId } = currentWorkspace(ctx);
  if (!UUID.test(channelId)) throw notFound("Channel");
  const [channel] = await ctx.db.select().from(channels).where(and(eq(channels.workspaceId, workspaceId), eq(channels.id, channelId)));
  if (!channel) throw notFound("Channel");
  if (ctx.actor.type === "system") return { channel, level: "publish" };
  // A disconnected channel has no grants any more that count: only those who manage channels still see it.
  const role = ctx.actor.type === "user" ? ctx.actor.role : null;
  const level = channel.disconnectedAt ? levelByRole(role) : ((await myLevels(ctx)).get(channelId) ?? "none");
  if (level === "none") throw notFound("Channel");
  if (!canOnChannel(ctx.actor, level, action)) throw forbidden(`Your access to this channel does not allow this (${action})`);
  // Crisis lock down: only the crisis team publishes or replies; everyone else's posts go to the crisis team for
  // approval (a "crisis team" step added at submit time, see crisis/crises/lockdown.ts, registered through channel-lockdown.ts).
  if (ctx.actor.type === "user" && (level === "publish" || level === "reply") && (await channelLockedDownFor(ctx, workspaceId, channel, ctx.actor.userId))) {
    if (action === "publish" || action === "reply") throw crisisLockdown();
    return { channel, level: "approval_required" };
  }
  return { channel, level };
}

/**
 * Removes every channel grant a person has in the workspace (offboarding; the caller has authorized it, hence
 * unsafe). Returns how many there were.
 */
export async function unsafeRemoveChannelGrantsOf(tx: Ctx, workspaceId: string, userId: string): Promise<number> {
  const removed = await tx.db.delete(channelGrants).where(and(eq(channelGrants.workspaceId, workspaceId), eq(channelGrants.userId, userId))).returning({ id: channelGrants.id });
  return removed.length;
}
