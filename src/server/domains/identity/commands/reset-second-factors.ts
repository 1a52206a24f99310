import { eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { recoveryCodes, users } from "../identity.schema";
import { passkeys } from "../passkeys.schema";

/**
 * Removes every second factor of a person (authenticator app, recovery codes, passkeys) inside the caller's
 * transaction, after the caller decided it may (an admin securing a lost device), and makes every session of theirs
 * stop at enrolment until they set up a new one. A lost phone's codes and a lost laptop's passkey stop working at once.
 */
export async function unsafeResetSecondFactors(tx: Ctx, userId: string): Promise<{ authenticatorAppRemoved: boolean; passkeysRemoved: number }> {
  const [before] = await tx.db.select({ mfaSecret: users.mfaSecret }).from(users).where(eq(users.id, userId)).for("update");
  await tx.db
    .update(users)
    .set({ mfaSecret: null, mfaPendingSecret: null, mfaEnabledAt: null, mfaLastStep: null, mfaReenrolmentRequiredAt: tx.now() })
    .where(eq(users.id, userId));
  await tx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const removed = await tx.db.delete(passkeys).where(eq(passkeys.userId, userId)).returning({ id: passkeys.id });
  return { authenticatorAppRemoved: Boolean(before?.mfaSecret), passkeysRemoved: removed.length };
}
