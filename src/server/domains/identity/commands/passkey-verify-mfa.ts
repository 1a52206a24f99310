import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { and, eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { unauthenticated, type AppError } from "../../../errors";
import { sessions, users } from "../identity.schema";
import { accountLocked } from "../identity.errors";
import { passkeys } from "../passkeys.schema";
import { takeChallenge } from "../passkeys/challenges";
import { passkeyRefused } from "../passkeys/passkeys.errors";
import { verifyAssertion } from "../passkeys/verify-assertion";
import { requireUser } from "../user-actor";
import { countFailedAttempt } from "./count-failed-attempt";
import { endSessionsOf } from "./end-sessions";

/**
 * Completes a sign-in with one of the person's passkeys instead of an authenticator code. A refused answer counts
 * like a wrong code (the same count; too many lock the account and end this half-signed-in session). The
 * challenge is used up either way, so failures are returned, not thrown, and the transaction commits.
 */
export async function verifyPasskeyMfa(ctx: Ctx, input: { answer: AuthenticationResponseJSON }): Promise<{ ok: true } | { ok: false; error: AppError }> {
  const actor = requireUser(ctx);
  if (!actor.sessionId) throw unauthenticated();
  const sessionId = actor.sessionId;
  return inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.id, actor.userId)).for("update");
    const target = { type: "user", id: user.id };
    if (user.lockedUntil && user.lockedUntil > tx.now()) {
      await endSessionsOf(tx, user.id, { only: [sessionId], reason: "locked_out" });
      return { ok: false, error: accountLocked(user.lockedUntil) };
    }
    const expectedChallenge = await takeChallenge(tx, input.answer, "mfa", { userId: user.id, sessionId });
    const [passkey] = await tx.db.select().from(passkeys).where(and(eq(passkeys.credentialId, input.answer.id), eq(passkeys.userId, user.id)));
    const accepted = passkey ? await verifyAssertion(tx, passkey, input.answer, expectedChallenge, { requireUserVerification: false }) : false;
    if (!accepted) {
      await tx.audit({ type: "mfa.challenge_failed", data: { userId: user.id } }, target);
      const lockedUntil = await countFailedAttempt(tx, user);
      if (lockedUntil) {
        await endSessionsOf(tx, user.id, { only: [sessionId], reason: "locked_out" });
        return { ok: false, error: accountLocked(lockedUntil) };
      }
      return { ok: false, error: passkeyRefused() };
    }
    await tx.db.update(users).set({ failedLogins: 0 }).where(eq(users.id, user.id));
    await tx.db.update(sessions).set({ mfaVerified: true }).where(eq(sessions.id, sessionId));
    await tx.audit({ type: "mfa.challenge_passed", data: { userId: user.id, method: "passkey", passkeyId: passkey.id } }, target);
    await tx.audit({ type: "user.signed_in", data: { userId: user.id, mfa: true } }, target);
    return { ok: true };
  });
}
