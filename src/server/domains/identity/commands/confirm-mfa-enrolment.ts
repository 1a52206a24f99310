import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { sessions, users } from "../identity.schema";
import { invalidMfaCode, mfaAlreadyEnrolled, mfaNotEnrolled } from "../identity.errors";
import { matchTotp } from "../totp";
import { requireUser } from "../user-actor";
import { replaceRecoveryCodes } from "./replace-recovery-codes";

/** Turns MFA on once the user proves their app has the secret; returns the recovery codes (shown once). */
export async function confirmMfaEnrolment(ctx: Ctx, input: { code: string }): Promise<{ recoveryCodes: string[] }> {
  const actor = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.id, actor.userId)).for("update");
    if (user.mfaEnabledAt) throw mfaAlreadyEnrolled();
    if (!user.mfaPendingSecret) throw mfaNotEnrolled();
    const secret = tx.services.secrets.open(user.mfaPendingSecret);
    const step = matchTotp(secret, input.code.trim(), tx.now());
    if (step === null) throw invalidMfaCode();
    await tx.db
      .update(users)
      .set({ mfaSecret: user.mfaPendingSecret, mfaPendingSecret: null, mfaEnabledAt: tx.now(), mfaLastStep: step, mfaReenrolmentRequiredAt: null })
      .where(eq(users.id, user.id));
    // The session that enrolled has just proven the second factor.
    if (actor.sessionId) await tx.db.update(sessions).set({ mfaVerified: true }).where(eq(sessions.id, actor.sessionId));
    const codes = await replaceRecoveryCodes(tx, user.id);
    await tx.audit({ type: "mfa.enrolled", data: { userId: user.id } }, { type: "user", id: user.id });
    return { recoveryCodes: codes };
  });
}
