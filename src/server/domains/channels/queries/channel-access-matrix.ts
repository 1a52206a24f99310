import { and, asc, eq, isNull } from "drizzle-orm";
import type { ChannelLevel, Role } from "../../../../contracts/roles";
import type { Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { users } from "../../identity/identity.schema";
import { memberships, teamMembers, teams } from "../../workspaces/workspaces.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channelGrants, channels } from "../channels.schema";
import { effectiveLevels } from "../channel-access";

/**
 * The people × channels matrix admins edit: every live channel; every member with, per channel, their level and
 * where it comes from (role, own grant, teams); every team with its grants.
 */
export async function channelAccessMatrix(ctx: Ctx) {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const channelRows = await ctx.db
    .select({ id: channels.id, network: channels.network, handle: channels.handle, displayName: channels.displayName })
    .from(channels)
    .where(and(eq(channels.workspaceId, workspaceId), isNull(channels.disconnectedAt)))
    .orderBy(asc(channels.network), asc(channels.handle));
  const people = await ctx.db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name));
  const teamRows = await ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.workspaceId, workspaceId)).orderBy(asc(teams.name));
  const inTeams = await ctx.db
    .select({ userId: teamMembers.userId, teamId: teamMembers.teamId })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teams.workspaceId, workspaceId));
  const grants = await ctx.db.select().from(channelGrants).where(eq(channelGrants.workspaceId, workspaceId));
  const levels = await effectiveLevels(ctx, workspaceId);

  return {
    channels: channelRows,
    people: people.map((person) => ({
      userId: person.userId,
      name: person.name,
      email: person.email,
      role: person.role as Role,
      teamIds: inTeams.filter((t) => t.userId === person.userId).map((t) => t.teamId),
      levels: Object.fromEntries(channelRows.map((channel) => [channel.id, levels.get(person.userId)?.get(channel.id) ?? { level: "none" as ChannelLevel, sources: { role: "none" as ChannelLevel, direct: "none" as ChannelLevel, teams: [] } }])),
    })),
    teams: teamRows.map((team) => ({
      id: team.id,
      name: team.name,
      levels: Object.fromEntries(
        channelRows.map((channel) => [channel.id, (grants.find((g) => g.teamId === team.id && g.channelId === channel.id)?.level ?? "none") as ChannelLevel]),
      ),
    })),
  };
}
