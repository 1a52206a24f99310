import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Locale, Role } from "../../../../contracts/roles";
import { mailMessages } from "../../../mail/messages";
import { inTransaction, type Ctx } from "../../../context";
import { authorize, mayInviteAs } from "../../../authz";
import { hashToken, newToken } from "../../../crypto/secrets";
import { invalidInput } from "../../../errors";
import { findUserByEmail, findUserById } from "../../identity";
import { invitations, memberships, teams, workspaces } from "../workspaces.schema";
import { alreadyMember, roleNotAllowed } from "../workspaces.errors";
import { currentWorkspace } from "../workspace-actor";

export const INVITATION_VALID_DAYS = 7;

/**
 * Invites a person by email: a single-use link, valid for 7 days, mailed to them and returned to the inviter
 * (to pass on another way). A newer invitation for the same email replaces an open one.
 */
export async function inviteMember(ctx: Ctx, input: { email: string; role: Role; teamIds?: string[]; locale?: Locale }) {
  authorize(ctx.actor, "members.invite");
  const { workspaceId, role: actorRole } = currentWorkspace(ctx);
  if (!mayInviteAs(actorRole, input.role)) throw roleNotAllowed();
  const email = input.email.trim().toLowerCase();
  const teamIds = [...new Set(input.teamIds ?? [])];
  return inTransaction(ctx, async (tx) => {
    if (teamIds.length) {
      const found = await tx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, workspaceId), inArray(teams.id, teamIds)));
      if (found.length !== teamIds.length) throw invalidInput({ teamIds: ["One of these teams does not exist in this workspace"] });
    }
    const existing = await findUserByEmail(tx.db, email);
    if (existing) {
      const [member] = await tx.db.select().from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, existing.id)));
      if (member) throw alreadyMember();
    }
    await tx.db
      .update(invitations)
      .set({ revokedAt: tx.now() })
      .where(and(eq(invitations.workspaceId, workspaceId), sql`lower(${invitations.email}) = ${email}`, isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
    const token = newToken();
    const [invitation] = await tx.db
      .insert(invitations)
      .values({
        workspaceId,
        email,
        role: input.role,
        teamIds,
        tokenHash: hashToken(token),
        invitedBy: ctx.actor.type === "user" ? ctx.actor.userId : null,
        createdAt: tx.now(),
        expiresAt: new Date(tx.now().getTime() + INVITATION_VALID_DAYS * 86_400_000),
      })
      .returning();
    const [workspace] = await tx.db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
    const link = `${tx.services.config.publicUrl}/invitation?token=${encodeURIComponent(token)}`;
    // In the language asked for, else the inviter's: the invitee has no account, hence no language, yet.
    const inviter = ctx.actor.type === "user" ? await findUserById(tx.db, ctx.actor.userId) : undefined;
    const messages = mailMessages(input.locale ?? inviter?.locale);
    const mail = messages.invitation({
      inviter: inviter?.name ?? "Parapet",
      workspace: workspace.name,
      role: messages.roles[input.role],
      link,
      days: INVITATION_VALID_DAYS,
    });
    await tx.services.mailer.enqueue(tx.db, { to: email, workspaceId, ...mail });
    tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
    await tx.audit({ type: "invitation.created", data: { invitationId: invitation.id, email, role: input.role, teamIds } }, { type: "invitation", id: invitation.id });
    return { invitation: presentInvitation(invitation, tx.now()), link };
  });
}

export function presentInvitation(row: typeof invitations.$inferSelect, now: Date) {
  const status = row.acceptedAt ? "accepted" : row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "pending";
  return {
    id: row.id,
    email: row.email,
    role: row.role as Role,
    teamIds: row.teamIds,
    status: status as "accepted" | "revoked" | "expired" | "pending",
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}
