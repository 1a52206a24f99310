import { asc, eq, inArray, max } from "drizzle-orm";
import type { Role } from "../../../../contracts/roles";
import type { Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { sessions, users } from "../../identity/identity.schema";
import { passkeys } from "../../identity/passkeys.schema";
import { memberships, teamMembers, teams } from "../workspaces.schema";
import { currentWorkspace } from "../workspace-actor";

/** The workspace's members with their role, teams, MFA status (an authenticator app or a passkey) and last activity. */
export async function listMembers(ctx: Ctx) {
  authorize(ctx.actor, "members.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select({ user: users, role: memberships.role, joinedAt: memberships.createdAt, partnerOrganization: memberships.partnerOrganization, accessEndsAt: memberships.accessEndsAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name));
  const ids = rows.map((r) => r.user.id);
  const teamRows = ids.length
    ? await ctx.db
        .select({ userId: teamMembers.userId, teamId: teams.id })
        .from(teamMembers)
        .innerJoin(teams, eq(teams.id, teamMembers.teamId))
        .where(eq(teams.workspaceId, workspaceId))
    : [];
  // A passkey is a second factor too: someone with only passkeys has MFA.
  const withPasskeys = new Set(ids.length ? (await ctx.db.selectDistinct({ userId: passkeys.userId }).from(passkeys).where(inArray(passkeys.userId, ids))).map((r) => r.userId) : []);
  const lastSeen = ids.length
    ? await ctx.db.select({ userId: sessions.userId, at: max(sessions.lastSeenAt) }).from(sessions).where(inArray(sessions.userId, ids)).groupBy(sessions.userId)
    : [];
  return rows.map((r) => ({
    userId: r.user.id,
    email: r.user.email,
    name: r.user.name,
    role: r.role as Role,
    mfaEnabled: r.user.mfaEnabledAt !== null || withPasskeys.has(r.user.id),
    teamIds: teamRows.filter((t) => t.userId === r.user.id).map((t) => t.teamId),
    joinedAt: r.joinedAt.toISOString(),
    lastSeenAt: lastSeen.find((l) => l.userId === r.user.id)?.at?.toISOString() ?? null,
    partner: r.partnerOrganization ? { organization: r.partnerOrganization, accessEndsAt: r.accessEndsAt?.toISOString() ?? null } : null,
  }));
}
