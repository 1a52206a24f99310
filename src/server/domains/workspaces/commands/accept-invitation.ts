import { and, eq, inArray } from "drizzle-orm";
import type { Role } from "../../../../contracts/roles";
import { inTransaction, withActor, type Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { accountDisabled, accountLocked, confirmCurrentPassword, createSession, createUser, findUserByEmail, hasPasskey } from "../../identity";
import { consumeRateLimit } from "../../../db/rate-limit";
import { sessions } from "../../identity/identity.schema";
import { invitations, memberships, teamMembers, teams } from "../workspaces.schema";
import { alreadyMember, invitationInvalid } from "../workspaces.errors";
import { findOpenInvitation } from "../queries/find-invitation";

/**
 * Accepts an invitation link: a new person chooses a name and password, an existing user confirms with theirs.
 * The link is spent, the membership and team places created, and the person is signed in.
 */
export async function acceptInvitation(ctx: Ctx, input: { token: string; name?: string; password: string }) {
  // An existing account's password is checked like at sign-in: throttled per IP, counted toward its lockout.
  await consumeRateLimit(ctx.db, `sign-in:${ctx.request.ip ?? "unknown"}`, ctx.services.config.login.ratePerMinute, 60, ctx.now());
  const { row: invitation } = await findOpenInvitation(ctx.db, input.token, ctx.now());
  const existing = await findUserByEmail(ctx.db, invitation.email);
  if (existing?.disabledAt) throw accountDisabled();
  if (existing?.lockedUntil && existing.lockedUntil > ctx.now()) throw accountLocked(existing.lockedUntil);
  if (existing) await confirmCurrentPassword(ctx, existing.id, input.password, "password");
  return inTransaction(ctx, async (tx) => {
    const { row } = await findOpenInvitation(tx.db, input.token, tx.now());
    const [locked] = await tx.db.select().from(invitations).where(eq(invitations.id, row.id)).for("update");
    if (locked.acceptedAt || locked.revokedAt) throw invitationInvalid();
    let user = await findUserByEmail(tx.db, row.email);
    const isNew = !user;
    if (user) {
      // Joined some other way since the invitation was sent: accepting must not claim a role they do not get.
      const [member] = await tx.db.select().from(memberships).where(and(eq(memberships.workspaceId, row.workspaceId), eq(memberships.userId, user.id)));
      if (member) throw alreadyMember();
    } else {
      if (!input.name?.trim()) throw invalidInput({ name: ["Tell us your name"] });
      user = await createUser(tx, { email: row.email, name: input.name, password: input.password });
    }
    const actor = { type: "user" as const, userId: user.id, email: user.email, name: user.name, role: row.role as Role, via: "session" as const };
    const asUser = withActor(tx, actor, row.workspaceId);
    if (isNew) await asUser.audit({ type: "user.created", data: { userId: user.id, email: user.email, via: "invitation" } }, { type: "user", id: user.id });
    await tx.db.insert(memberships).values({ workspaceId: row.workspaceId, userId: user.id, role: row.role, createdAt: tx.now() });
    if (row.teamIds.length) {
      const valid = await tx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, row.workspaceId), inArray(teams.id, row.teamIds)));
      if (valid.length) await tx.db.insert(teamMembers).values(valid.map((t) => ({ teamId: t.id, userId: user!.id }))).onConflictDoNothing();
    }
    await tx.db.update(invitations).set({ acceptedAt: tx.now() }).where(eq(invitations.id, row.id));
    await asUser.audit({ type: "invitation.accepted", data: { invitationId: row.id, userId: user.id, role: row.role as Role } }, { type: "user", id: user.id });
    // A password is one factor: someone with an authenticator app or a passkey still has to pass the MFA step.
    const mfaRequired = user.mfaEnabledAt !== null || (await hasPasskey(tx.db, user.id));
    const session = await createSession(asUser, { userId: user.id, mfaVerified: !mfaRequired });
    // Someone who already works in another brand lands in the one they just joined, not in their first.
    await tx.db.update(sessions).set({ workspaceId: row.workspaceId }).where(eq(sessions.id, session.sessionId));
    return { userId: user.id, workspaceId: row.workspaceId, sessionToken: session.token, sessionId: session.sessionId, mfaRequired };
  });
}

