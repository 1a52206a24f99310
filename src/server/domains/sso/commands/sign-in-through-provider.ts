import { and, eq, sql } from "drizzle-orm";
import { LOCALES, type Role } from "../../../../contracts/roles";
import { auditEvents } from "../../../audit/audit.schema";
import { inTransaction, withActor, type Ctx } from "../../../context";
import type { AppError } from "../../../errors";
import { accountDisabled, createSession, type User } from "../../identity";
import { sessions, users } from "../../identity/identity.schema";
import { memberships, teamMembers, teams } from "../../workspaces/workspaces.schema";
import { ssoIdentities, ssoSessions } from "../sso.schema";
import { ssoEmailNotAllowed, ssoNotAMember } from "../sso.errors";
import { emailDomain, type SsoProvider } from "../queries/sso-provider";

/**
 * Who a provider says the person is, once its answer is verified — the same for OpenID Connect (ID token and
 * userinfo claims) and SAML (the assertion's NameID and attributes).
 */
export type ProviderIdentity = {
  /** Stable at the provider: the OIDC `sub`, the SAML NameID. With the provider's issuer, it links the account. */
  subject: string;
  email: string | null;
  /** The provider vouches for the email (OIDC `email_verified`; a SAML IdP for the email it asserts). */
  emailVerified: boolean;
  name: string | null;
  locale: string | null;
  /** The value of the configured teams claim or attribute, as the provider sent it. */
  teams: unknown;
};

export type SsoSignInResult = { ok: true; sessionToken: string; userId: string; workspaceId: string } | { ok: false; error: AppError };

/**
 * Signs in the person a provider vouched for, in one transaction. They are found by their link (issuer + subject);
 * without one, by email — only when the provider vouches for it and its domain is allowed — or created (just-in-time
 * provisioning, without a password). A first sign-in into the workspace adds them with the default role and the
 * teams the claim or attribute names, unless they were removed from it before (they come back by invitation only).
 * The session counts as past MFA: the provider vouched for the sign-in (see docs/security.md).
 */
export async function signInThroughProvider(ctx: Ctx, provider: SsoProvider, identity: ProviderIdentity): Promise<SsoSignInResult> {
  return inTransaction(ctx, async (tx): Promise<SsoSignInResult> => {
    const inWorkspace = withActor(tx, tx.actor, provider.workspaceId);
    const email = identity.email?.trim() || null;
    const refuse = async (reason: "email_not_allowed" | "not_a_member" | "disabled", error: AppError, user?: User) => {
      await inWorkspace.audit({ type: "sso.sign_in_failed", data: { providerId: provider.id, issuer: provider.issuer, email, reason } }, user ? { type: "user", id: user.id } : undefined);
      return { ok: false as const, error };
    };
    // What the provider may vouch for: a verified email in one of the workspace's domains.
    const domain = email ? emailDomain(email) : null;
    const emailAllowed = email !== null && identity.emailVerified && domain !== null && provider.allowedDomains.includes(domain);
    const [link] = await tx.db.select().from(ssoIdentities).where(and(eq(ssoIdentities.issuer, provider.issuer), eq(ssoIdentities.subject, identity.subject)));
    let user: User | undefined;
    let newAccount = false;
    if (link) {
      [user] = await tx.db.select().from(users).where(eq(users.id, link.userId)).for("update");
    } else {
      if (!emailAllowed || !email) return refuse("email_not_allowed", ssoEmailNotAllowed());
      [user] = await tx.db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).for("update");
      if (!user) {
        const locale = identity.locale && (LOCALES as readonly string[]).includes(identity.locale.slice(0, 2)) ? identity.locale.slice(0, 2) : "en";
        const name = identity.name?.trim() ? identity.name.trim().slice(0, 120) : email.split("@")[0];
        // No password: this person signs in through their provider (an admin can still send a password reset).
        [user] = await tx.db.insert(users).values({ email, name, locale, passwordHash: null, createdAt: tx.now() }).returning();
        newAccount = true;
      }
      await tx.db.insert(ssoIdentities).values({ userId: user.id, issuer: provider.issuer, subject: identity.subject, email, createdAt: tx.now() });
      await inWorkspace.audit({ type: "sso.identity_linked", data: { userId: user.id, issuer: provider.issuer, subject: identity.subject } }, { type: "user", id: user.id });
    }
    if (!user) return refuse("not_a_member", ssoNotAMember());
    if (user.disabledAt) return refuse("disabled", accountDisabled(), user);

    const [membership] = await tx.db.select().from(memberships).where(and(eq(memberships.workspaceId, provider.workspaceId), eq(memberships.userId, user.id)));
    if (!membership) {
      // Someone removed from the workspace comes back only by a new invitation, not by their provider account.
      const [removed] = await tx.db
        .select({ seq: auditEvents.seq })
        .from(auditEvents)
        .where(and(eq(auditEvents.workspaceId, provider.workspaceId), eq(auditEvents.action, "member.removed"), eq(auditEvents.targetId, user.id)))
        .limit(1);
      if (removed) return refuse("not_a_member", ssoNotAMember(), user);
      // Joining needs the same proof as linking, also for someone already linked through another workspace.
      if (!emailAllowed) return refuse("email_not_allowed", ssoEmailNotAllowed(), user);
      const role = provider.defaultRole as Role;
      await tx.db.insert(memberships).values({ workspaceId: provider.workspaceId, userId: user.id, role, createdAt: tx.now() });
      const teamIds = await teamsNamedBy(tx, provider.workspaceId, identity.teams);
      if (teamIds.length) await tx.db.insert(teamMembers).values(teamIds.map((teamId) => ({ teamId, userId: user.id }))).onConflictDoNothing();
      await inWorkspace.audit({ type: "sso.user_provisioned", data: { userId: user.id, email: user.email, role, teamIds, newAccount } }, { type: "user", id: user.id });
    }

    await tx.db.update(ssoIdentities).set({ lastSignInAt: tx.now() }).where(and(eq(ssoIdentities.issuer, provider.issuer), eq(ssoIdentities.subject, identity.subject)));
    const session = await createSession(tx, { userId: user.id, mfaVerified: true });
    await tx.db.update(sessions).set({ workspaceId: provider.workspaceId }).where(eq(sessions.id, session.sessionId));
    await tx.db.insert(ssoSessions).values({ sessionId: session.sessionId, providerId: provider.id, workspaceId: provider.workspaceId });
    const signedIn = withActor(tx, { type: "user", userId: user.id, email: user.email, name: user.name, role: (membership?.role as Role) ?? (provider.defaultRole as Role), via: "session", sessionId: session.sessionId }, provider.workspaceId);
    await signedIn.audit({ type: "sso.signed_in", data: { userId: user.id, providerId: provider.id, issuer: provider.issuer } }, { type: "user", id: user.id });
    return { ok: true, sessionToken: session.token, userId: user.id, workspaceId: provider.workspaceId };
  });
}

/** The workspace's teams named by the claim's values (a string or a list of strings), matched case-insensitively. */
async function teamsNamedBy(tx: Ctx, workspaceId: string, value: unknown): Promise<string[]> {
  const names = (Array.isArray(value) ? value : typeof value === "string" ? [value] : []).filter((v): v is string => typeof v === "string").map((v) => v.trim().toLowerCase());
  if (!names.length) return [];
  const rows = await tx.db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.workspaceId, workspaceId));
  return rows.filter((t) => names.includes(t.name.toLowerCase())).map((t) => t.id);
}
