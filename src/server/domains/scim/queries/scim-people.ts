import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Role } from "../../../../contracts/roles";
import type { Db } from "../../../db/client";
import { users } from "../../identity/identity.schema";
import { memberships, teamMembers, teams } from "../../workspaces/workspaces.schema";
import { scimGroups, scimUsers } from "../scim.schema";

/**
 * A person as SCIM sees them in one workspace: their account, the provider's link (userName, externalId) if any,
 * their membership if they have one (no membership = `active: false`), and their teams.
 */
export type ScimPerson = {
  user: typeof users.$inferSelect;
  link: typeof scimUsers.$inferSelect | null;
  membership: { role: Role; createdAt: Date } | null;
  teams: Array<{ id: string; name: string }>;
};

/**
 * The people SCIM can see in a workspace: its members, and the people its provider linked (deprovisioned ones stay
 * visible as inactive until the provider deletes them). Oldest first, so paging is stable.
 */
export async function findScimPeople(db: Db, workspaceId: string, only?: { userId: string }): Promise<ScimPerson[]> {
  // Driven by the workspace's own rows (members and links), not by every account on the server.
  const people = sql`(select ${memberships.userId} from ${memberships} where ${memberships.workspaceId} = ${workspaceId} union select ${scimUsers.userId} from ${scimUsers} where ${scimUsers.workspaceId} = ${workspaceId})`;
  const conditions: SQL[] = [inArray(users.id, people)];
  if (only) conditions.push(eq(users.id, only.userId));
  const rows = await db
    .select({ user: users, link: scimUsers, role: memberships.role, memberSince: memberships.createdAt })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
    .leftJoin(scimUsers, and(eq(scimUsers.userId, users.id), eq(scimUsers.workspaceId, workspaceId)))
    .where(and(...conditions))
    .orderBy(asc(users.createdAt), asc(users.id));
  const places = await db
    .select({ userId: teamMembers.userId, id: teams.id, name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(only ? and(eq(teams.workspaceId, workspaceId), eq(teamMembers.userId, only.userId)) : eq(teams.workspaceId, workspaceId))
    .orderBy(asc(teams.name));
  return rows.map((r) => ({
    user: r.user,
    link: r.link,
    membership: r.role && r.memberSince ? { role: r.role as Role, createdAt: r.memberSince } : null,
    teams: places.filter((p) => p.userId === r.user.id).map(({ id, name }) => ({ id, name })),
  }));
}

/** One person SCIM can see in the workspace, or undefined. */
export async function findScimPerson(db: Db, workspaceId: string, userId: string): Promise<ScimPerson | undefined> {
  return (await findScimPeople(db, workspaceId, { userId }))[0];
}

/** A group as SCIM sees it: one of the workspace's teams, the provider's externalId, and its members. */
export type ScimGroup = {
  team: typeof teams.$inferSelect;
  externalId: string | null;
  updatedAt: Date;
  members: Array<{ userId: string; name: string }>;
};

/** The workspace's teams as SCIM groups, by name. */
export async function findScimGroups(db: Db, workspaceId: string, only?: { teamId: string }): Promise<ScimGroup[]> {
  const rows = await db
    .select({ team: teams, externalId: scimGroups.externalId, updatedAt: scimGroups.updatedAt })
    .from(teams)
    .leftJoin(scimGroups, eq(scimGroups.teamId, teams.id))
    .where(only ? and(eq(teams.workspaceId, workspaceId), eq(teams.id, only.teamId)) : eq(teams.workspaceId, workspaceId))
    .orderBy(asc(teams.createdAt), asc(teams.id));
  const members = await db
    .select({ teamId: teamMembers.teamId, userId: users.id, name: users.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(only ? eq(teams.id, only.teamId) : eq(teams.workspaceId, workspaceId))
    .orderBy(asc(users.name));
  return rows.map((r) => ({
    team: r.team,
    externalId: r.externalId ?? null,
    updatedAt: r.updatedAt ?? r.team.createdAt,
    members: members.filter((m) => m.teamId === r.team.id).map(({ userId, name }) => ({ userId, name })),
  }));
}

/** One of the workspace's teams as a SCIM group, or undefined. */
export async function findScimGroup(db: Db, workspaceId: string, teamId: string): Promise<ScimGroup | undefined> {
  return (await findScimGroups(db, workspaceId, { teamId }))[0];
}
