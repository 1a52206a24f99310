import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { eq } from "drizzle-orm";
import { inTransaction, withActor, type Ctx } from "../../../context";
import { consumeRateLimit } from "../../../db/rate-limit";
import type { AppError } from "../../../errors";
import { users } from "../identity.schema";
import { accountDisabled, accountLocked } from "../identity.errors";
import { passkeys } from "../passkeys.schema";
import { takeChallenge } from "../passkeys/challenges";
import { passkeyRefused } from "../passkeys/passkeys.errors";
import { verifyAssertion } from "../passkeys/verify-assertion";
import { passwordSignInBlockedBySso } from "../../sso/queries/sso-provider";
import { ssoRequired } from "../../sso/sso.errors";
import { countFailedAttempt } from "./count-failed-attempt";
import { createSession } from "./create-session";

export type PasskeySignInResult = { ok: true; userId: string; sessionToken: string; sessionId: string } | { ok: false; error: AppError };

/**
 * Signs in with a discoverable passkey alone: the authenticator proves possession and verified the user (PIN or
 * biometrics), so the session is complete (both factors). Throttled per IP with password sign-ins; a refused
 * answer for a known passkey counts against its owner's lockout; a locked or disabled account cannot sign in
 * this way either, nor a member of a workspace that requires single sign-on (except its break-glass owner, as
 * with passwords). The challenge is used up whatever happens, so failures are returned and committed.
 */
export async function signInWithPasskey(ctx: Ctx, input: { answer: AuthenticationResponseJSON }): Promise<PasskeySignInResult> {
  const { login } = ctx.services.config;
  await consumeRateLimit(ctx.db, `sign-in:${ctx.request.ip ?? "unknown"}`, login.ratePerMinute, 60, ctx.now());
  return inTransaction(ctx, async (tx) => {
    const expectedChallenge = await takeChallenge(tx, input.answer, "sign_in");
    const [found] = await tx.db.select({ passkey: passkeys, user: users }).from(passkeys).innerJoin(users, eq(users.id, passkeys.userId)).where(eq(passkeys.credentialId, input.answer.id));
    if (!found) {
      await tx.audit({ type: "passkey.sign_in_failed", data: { reason: "unknown_passkey" } });
      return { ok: false, error: passkeyRefused() };
    }
    const [user] = await tx.db.select().from(users).where(eq(users.id, found.user.id)).for("update");
    const { passkey } = found;
    const target = { type: "user", id: user.id };
    if (user.lockedUntil && user.lockedUntil > tx.now()) {
      await tx.audit({ type: "passkey.sign_in_failed", data: { reason: "locked", userId: user.id, passkeyId: passkey.id } }, target);
      return { ok: false, error: accountLocked(user.lockedUntil) };
    }
    const accepted = await verifyAssertion(tx, passkey, input.answer, expectedChallenge, { requireUserVerification: true });
    if (!accepted) {
      await tx.audit({ type: "passkey.sign_in_failed", data: { reason: "refused", userId: user.id, passkeyId: passkey.id } }, target);
      const lockedUntil = await countFailedAttempt(tx, user);
      return { ok: false, error: lockedUntil ? accountLocked(lockedUntil) : passkeyRefused() };
    }
    if (user.disabledAt) {
      // Only the passkey's holder learns that the account is disabled.
      await tx.audit({ type: "passkey.sign_in_failed", data: { reason: "disabled", userId: user.id, passkeyId: passkey.id } }, target);
      return { ok: false, error: accountDisabled() };
    }
    if (await passwordSignInBlockedBySso(tx.db, user.id)) {
      // A workspace that requires single sign-on lets its identity provider decide who gets in: no local shortcut.
      await tx.audit({ type: "passkey.sign_in_failed", data: { reason: "sso_required", userId: user.id, passkeyId: passkey.id } }, target);
      return { ok: false, error: ssoRequired() };
    }
    await tx.db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
    const session = await createSession(tx, { userId: user.id, mfaVerified: true });
    const signedIn = withActor(tx, { type: "user", userId: user.id, email: user.email, name: user.name, role: null, via: "session", sessionId: session.sessionId });
    await signedIn.audit({ type: "passkey.signed_in", data: { userId: user.id, passkeyId: passkey.id } }, target);
    await signedIn.audit({ type: "user.signed_in", data: { userId: user.id, mfa: true } }, target);
    return { ok: true, userId: user.id, sessionToken: session.token, sessionId: session.sessionId };
  });
}
