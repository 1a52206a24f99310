import { eq, sql } from "drizzle-orm";
import type { AppError } from "../../../errors";
import { inTransaction, withActor, type Ctx } from "../../../context";
import { consumeRateLimit } from "../../../db/rate-limit";
import { users } from "../identity.schema";
import { accountDisabled, accountLocked, invalidCredentials } from "../identity.errors";
import { verifyPassword } from "../passwords";
import { hasPasskey } from "../passkeys/find-passkeys";
import { createSession } from "./create-session";
import { countFailedAttempt } from "./count-failed-attempt";
import { passwordSignInBlockedBySso } from "../../sso/queries/sso-provider";
import { ssoRequired } from "../../sso/sso.errors";

export type SignInInput = { email: string; password: string };
export type SignInResult =
  | { ok: true; userId: string; sessionToken: string; sessionId: string; mfaRequired: boolean }
  | { ok: false; error: AppError };

/**
 * Checks email and password. A failure is counted, audited and committed, and returned (not thrown) so the
 * count survives; enough failures in a row lock the account. With MFA enrolled, the new session still has to
 * pass the MFA challenge before it can do anything else.
 */
export async function signIn(ctx: Ctx, input: SignInInput): Promise<SignInResult> {
  const { login } = ctx.services.config;
  await consumeRateLimit(ctx.db, `sign-in:${ctx.request.ip ?? "unknown"}`, login.ratePerMinute, 60, ctx.now());
  return inTransaction(ctx, async (tx) => {
    const now = tx.now();
    const [user] = await tx.db.select().from(users).where(sql`lower(${users.email}) = lower(${input.email.trim()})`).for("update");
    if (!user) {
      await verifyPassword(null, input.password);
      await tx.audit({ type: "user.sign_in_failed", data: { email: input.email.trim().toLowerCase(), reason: "unknown_email" } });
      return { ok: false, error: invalidCredentials() };
    }
    const target = { type: "user", id: user.id };
    if (user.lockedUntil && user.lockedUntil > now) {
      await tx.audit({ type: "user.sign_in_failed", data: { email: user.email, reason: "locked" } }, target);
      return { ok: false, error: accountLocked(user.lockedUntil) };
    }
    const passwordOk = await verifyPassword(user.passwordHash, input.password);
    if (user.disabledAt) {
      // Only someone who knows the password learns that the account is disabled; to a guesser it looks like any other.
      await tx.audit({ type: "user.sign_in_failed", data: { email: user.email, reason: "disabled" } }, target);
      return { ok: false, error: passwordOk ? accountDisabled() : invalidCredentials() };
    }
    if (!passwordOk) {
      await tx.audit({ type: "user.sign_in_failed", data: { email: user.email, reason: "wrong_password" } }, target);
      const lockedUntil = await countFailedAttempt(tx, user);
      if (lockedUntil) return { ok: false, error: accountLocked(lockedUntil) };
      return { ok: false, error: invalidCredentials() };
    }
    if (await passwordSignInBlockedBySso(tx.db, user.id)) {
      // Told only to someone who knows the password, like a disabled account; the break-glass owner is not blocked.
      await tx.audit({ type: "user.sign_in_failed", data: { email: user.email, reason: "sso_required" } }, target);
      return { ok: false, error: ssoRequired() };
    }
    const mfaRequired = user.mfaEnabledAt !== null || (await hasPasskey(tx.db, user.id));
    // With MFA the sign-in is not done yet: the count goes on through the code step, or re-entering a known
    // password before every guess would make the code guessable.
    await tx.db.update(users).set(mfaRequired ? { lockedUntil: null } : { failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
    const session = await createSession(tx, { userId: user.id, mfaVerified: !mfaRequired });
    const signedIn = withActor(tx, { type: "user", userId: user.id, email: user.email, name: user.name, role: null, via: "session", sessionId: session.sessionId });
    if (!mfaRequired) await signedIn.audit({ type: "user.signed_in", data: { userId: user.id, mfa: false } }, target);
    return { ok: true, userId: user.id, sessionToken: session.token, sessionId: session.sessionId, mfaRequired };
  });
}
