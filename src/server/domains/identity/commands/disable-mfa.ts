import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { recoveryCodes, users } from "../identity.schema";
import { invalidMfaCode, mfaNotEnrolled } from "../identity.errors";
import { matchTotp } from "../totp";
import { requireUser } from "../user-actor";
import { confirmCurrentPassword } from "./confirm-current-password";

/** Turns MFA off; needs the password and a current code, so a stolen session alone cannot do it. */
export async function disableMfa(ctx: Ctx, input: { password: string; code: string }): Promise<void> {
  const actor = requireUser(ctx);
  await confirmCurrentPassword(ctx, actor.userId, input.password, "password");
  await inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.id, actor.userId)).for("update");
    if (!user.mfaSecret) throw mfaNotEnrolled();
    const step = matchTotp(tx.services.secrets.open(user.mfaSecret), input.code.trim(), tx.now());
    // A code is accepted once: one seen over a shoulder (or used to sign in) cannot also turn MFA off.
    if (step === null || (user.mfaLastStep !== null && step <= user.mfaLastStep)) throw invalidMfaCode();
    await tx.db.update(users).set({ mfaSecret: null, mfaPendingSecret: null, mfaEnabledAt: null, mfaLastStep: null }).where(eq(users.id, user.id));
    await tx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx.audit({ type: "mfa.disabled", data: { userId: user.id } }, { type: "user", id: user.id });
  });
}
