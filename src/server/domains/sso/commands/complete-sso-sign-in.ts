import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { LOCALES, type Role } from "../../../../contracts/roles";
import { auditEvents } from "../../../audit/audit.schema";
import { inTransaction, withActor, type Ctx } from "../../../context";
import { hashToken } from "../../../crypto/secrets";
import type { AppError } from "../../../errors";
import { accountDisabled, createSession, type User } from "../../identity";
import { sessions, users } from "../../identity/identity.schema";
import { memberships, teamMembers, teams } from "../../workspaces/workspaces.schema";
import { discoverProvider, oidc } from "../oidc";
import { ssoIdentities, ssoProviders, ssoSessions, ssoSignIns } from "../sso.schema";
import { ssoEmailNotAllowed, ssoNotAMember, ssoNotConfigured, ssoProviderRefused, ssoProviderUnreachable, ssoStateInvalid, ssoTokenInvalid } from "../sso.errors";
import { emailDomain } from "../queries/sso-provider";

export type CompleteSsoSignInInput = {
  /** The callback URL as the provider called it: Parapet's redirect URI with the provider's query string. */
  callbackUrl: URL;
  /** The cookie value `beginSsoSignIn` gave this browser, if it came back with it. */
  browserToken: string | undefined;
};
export type CompleteSsoSignInResult = { ok: true; sessionToken: string; userId: string; workspaceId: string } | { ok: false; error: AppError };

type Claims = Record<string, unknown> & { sub: string };

/**
 * Finishes an SSO sign-in: the state must be one this browser started, unused and fresh; the code is exchanged
 * (with the PKCE verifier) and the ID token verified (signature, issuer, audience, expiry, nonce). The person is
 * found by their link (issuer + subject); without one, by email — only when the provider says the email is verified
 * and its domain is allowed — or created (just-in-time provisioning). A first sign-in into the workspace adds them
 * with the default role and the teams the provider's claim names, unless they were removed from it before.
 * The session counts as past MFA: the provider vouched for the sign-in (see docs/security.md).
 */
export async function completeSsoSignIn(ctx: Ctx, input: CompleteSsoSignInInput): Promise<CompleteSsoSignInResult> {
  const params = input.callbackUrl.searchParams;
  const state = params.get("state");
  if (!state || !input.browserToken) return { ok: false, error: ssoStateInvalid() };
  // Claimed in its own transaction: a state is used once, whatever happens next.
  const [pending] = await ctx.db
    .update(ssoSignIns)
    .set({ usedAt: ctx.now() })
    .where(and(eq(ssoSignIns.stateHash, hashToken(state)), eq(ssoSignIns.browserHash, hashToken(input.browserToken)), isNull(ssoSignIns.usedAt), gt(ssoSignIns.expiresAt, ctx.now())))
    .returning();
  if (!pending) return { ok: false, error: ssoStateInvalid() };
  const [provider] = await ctx.db.select().from(ssoProviders).where(eq(ssoProviders.id, pending.providerId));
  if (!provider) return { ok: false, error: ssoNotConfigured() };
  const providerError = params.get("error");
  if (providerError) return { ok: false, error: ssoProviderRefused(params.get("error_description") || providerError) };

  const { codeVerifier, nonce } = JSON.parse(ctx.services.secrets.open(pending.secrets)) as { codeVerifier: string; nonce: string };
  const config = await discoverProvider(ctx.services, { issuer: provider.issuer, clientId: provider.clientId, clientSecret: ctx.services.secrets.open(provider.clientSecret) });
  let claims: Claims;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, input.callbackUrl, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const idToken = tokens.claims()!;
    let userInfo: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint) userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
    // The ID token's own claims win over userinfo's (userinfo is checked to be about the same subject).
    claims = { ...userInfo, ...idToken, sub: idToken.sub };
  } catch (err) {
    // Name and message only: the error's cause can carry the token's claims or the provider's response.
    const reason = err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) };
    ctx.log.warn({ reason, issuer: provider.issuer }, "SSO sign-in refused: the provider's answer did not verify");
    if (err instanceof oidc.ResponseBodyError || err instanceof oidc.AuthorizationResponseError) return { ok: false, error: ssoProviderRefused(err.error) };
    if (err instanceof TypeError) return { ok: false, error: ssoProviderUnreachable() };
    return { ok: false, error: ssoTokenInvalid() };
  }

  return inTransaction(ctx, async (tx): Promise<CompleteSsoSignInResult> => {
    const inWorkspace = withActor(tx, tx.actor, provider.workspaceId);
    const email = typeof claims.email === "string" ? claims.email.trim() : null;
    const refuse = async (reason: "email_not_allowed" | "not_a_member" | "disabled", error: AppError, user?: User) => {
      await inWorkspace.audit({ type: "sso.sign_in_failed", data: { providerId: provider.id, issuer: provider.issuer, email, reason } }, user ? { type: "user", id: user.id } : undefined);
      return { ok: false as const, error };
    };
    // What the provider may vouch for: a verified email in one of the workspace's domains.
    const domain = email ? emailDomain(email) : null;
    const emailAllowed = email !== null && claims.email_verified === true && domain !== null && provider.allowedDomains.includes(domain);
    const [link] = await tx.db.select().from(ssoIdentities).where(and(eq(ssoIdentities.issuer, provider.issuer), eq(ssoIdentities.subject, claims.sub)));
    let user: User | undefined;
    let newAccount = false;
    if (link) {
      [user] = await tx.db.select().from(users).where(eq(users.id, link.userId)).for("update");
    } else {
      if (!emailAllowed || !email) return refuse("email_not_allowed", ssoEmailNotAllowed());
      [user] = await tx.db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).for("update");
      if (!user) {
        const locale = typeof claims.locale === "string" && (LOCALES as readonly string[]).includes(claims.locale.slice(0, 2)) ? claims.locale.slice(0, 2) : "en";
        const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 120) : email.split("@")[0];
        // No password: this person signs in through their provider (an admin can still send a password reset).
        [user] = await tx.db.insert(users).values({ email, name, locale, passwordHash: null, createdAt: tx.now() }).returning();
        newAccount = true;
      }
      await tx.db.insert(ssoIdentities).values({ userId: user.id, issuer: provider.issuer, subject: claims.sub, email, createdAt: tx.now() });
      await inWorkspace.audit({ type: "sso.identity_linked", data: { userId: user.id, issuer: provider.issuer, subject: claims.sub } }, { type: "user", id: user.id });
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
      const teamIds = await teamsFromClaim(tx, provider.workspaceId, provider.teamsClaim ? claims[provider.teamsClaim] : undefined);
      if (teamIds.length) await tx.db.insert(teamMembers).values(teamIds.map((teamId) => ({ teamId, userId: user.id }))).onConflictDoNothing();
      await inWorkspace.audit({ type: "sso.user_provisioned", data: { userId: user.id, email: user.email, role, teamIds, newAccount } }, { type: "user", id: user.id });
    }

    await tx.db.update(ssoIdentities).set({ lastSignInAt: tx.now() }).where(and(eq(ssoIdentities.issuer, provider.issuer), eq(ssoIdentities.subject, claims.sub)));
    const session = await createSession(tx, { userId: user.id, mfaVerified: true });
    await tx.db.update(sessions).set({ workspaceId: provider.workspaceId }).where(eq(sessions.id, session.sessionId));
    await tx.db.insert(ssoSessions).values({ sessionId: session.sessionId, providerId: provider.id, workspaceId: provider.workspaceId });
    const signedIn = withActor(tx, { type: "user", userId: user.id, email: user.email, name: user.name, role: (membership?.role as Role) ?? (provider.defaultRole as Role), via: "session", sessionId: session.sessionId }, provider.workspaceId);
    await signedIn.audit({ type: "sso.signed_in", data: { userId: user.id, providerId: provider.id, issuer: provider.issuer } }, { type: "user", id: user.id });
    return { ok: true, sessionToken: session.token, userId: user.id, workspaceId: provider.workspaceId };
  });
}

/** The workspace's teams named by the claim's values (a string or a list of strings), matched case-insensitively. */
async function teamsFromClaim(tx: Ctx, workspaceId: string, value: unknown): Promise<string[]> {
  const names = (Array.isArray(value) ? value : typeof value === "string" ? [value] : []).filter((v): v is string => typeof v === "string").map((v) => v.trim().toLowerCase());
  if (!names.length) return [];
  const rows = await tx.db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.workspaceId, workspaceId));
  return rows.filter((t) => names.includes(t.name.toLowerCase())).map((t) => t.id);
}
