import { and, eq, isNull } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { unauthenticated } from "../../../errors";
import { recoveryCodes, sessions, users } from "../identity.schema";
import { accountLocked, invalidMfaCode, mfaNotEnrolled } from "../identity.errors";
import { hasPasskey } from "../passkeys/find-passkeys";
import { hashRecoveryCode, matchTotp } from "../totp";
import { requireUser } from "../user-actor";
import { endSessionsOf } from "./end-sessions";
import { countFailedAttempt } from "./count-failed-attempt";

/**
 * Completes a sign-in with a TOTP code or a single-use recovery code. A failed attempt is audited and
 * counted like a failed password (the same count, which the password step does not reset), so MFA cannot be
 * guessed either: too many lock the account and end the half-signed-in session. Failures are returned, not
 * thrown, so the count is committed.
 */
export async function verifyMfaChallenge(ctx: Ctx, input: { code: string }): Promise<{ ok: true } | { ok: false; error: Error }> {
  const actor = requireUser(ctx);
  if (!actor.sessionId) throw unauthenticated();
  return inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.id, actor.userId)).for("update");
    // A passkey is a second factor too: its recovery codes work here without an authenticator app.
    if (!user.mfaSecret && !(await hasPasskey(tx.db, user.id))) throw mfaNotEnrolled();
    const target = { type: "user", id: user.id };
    const now = tx.now();
    if (user.lockedUntil && user.lockedUntil > now) {
      await endSessionsOf(tx, user.id, { only: [actor.sessionId!], reason: "locked_out" });
      return { ok: false, error: accountLocked(user.lockedUntil) };
    }
    const code = input.code.trim();
    const step = user.mfaSecret ? matchTotp(tx.services.secrets.open(user.mfaSecret), code, now) : null;
    let method: "totp" | "recovery_code" | null = null;
    let recoveryCodesLeft: number | undefined;
    if (step !== null && (user.mfaLastStep === null || step > user.mfaLastStep)) {
      await tx.db.update(users).set({ mfaLastStep: step }).where(eq(users.id, user.id));
      method = "totp";
    } else if (step === null) {
      const used = await tx.db
        .update(recoveryCodes)
        .set({ usedAt: tx.now() })
        .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, hashRecoveryCode(code)), isNull(recoveryCodes.usedAt)))
        .returning({ id: recoveryCodes.id });
      if (used.length) {
        method = "recovery_code";
        recoveryCodesLeft = (await tx.db.select().from(recoveryCodes).where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)))).length;
      }
    }
    if (!method) {
      await tx.audit({ type: "mfa.challenge_failed", data: { userId: user.id } }, target);
      const lockedUntil = await countFailedAttempt(tx, user);
      if (lockedUntil) {
        // Whoever holds this session has to start again with the password once the lock is over.
        await endSessionsOf(tx, user.id, { only: [actor.sessionId!], reason: "locked_out" });
        return { ok: false, error: accountLocked(lockedUntil) };
      }
      return { ok: false, error: invalidMfaCode() };
    }
    await tx.db.update(users).set({ failedLogins: 0 }).where(eq(users.id, user.id));
    await tx.db.update(sessions).set({ mfaVerified: true }).where(eq(sessions.id, actor.sessionId!));
    await tx.audit({ type: "mfa.challenge_passed", data: { userId: user.id, method, ...(recoveryCodesLeft !== undefined ? { recoveryCodesLeft } : {}) } }, target);
    await tx.audit({ type: "user.signed_in", data: { userId: user.id, mfa: true } }, target);
    return { ok: true };
  });
}
