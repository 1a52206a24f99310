import { and, eq, gt, isNull } from "drizzle-orm";
import { inTransaction, withActor, type Ctx } from "../../../context";
import { hashToken } from "../../../crypto/secrets";
import { passwordResets, users } from "../identity.schema";
import { invalidResetToken } from "../identity.errors";
import { checkPasswordStrength, hashPassword } from "../passwords";
import { endSessionsOf } from "./end-sessions";

/** Sets a new password from a reset link; the account's links are spent, the account unlocked and every session ended. */
export async function completePasswordReset(ctx: Ctx, input: { token: string; password: string }): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [reset] = await tx.db
      .select()
      .from(passwordResets)
      .where(and(eq(passwordResets.tokenHash, hashToken(input.token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, tx.now())))
      .for("update");
    if (!reset) throw invalidResetToken();
    const [user] = await tx.db.select().from(users).where(eq(users.id, reset.userId));
    if (user.disabledAt) throw invalidResetToken();
    checkPasswordStrength(input.password, user.email);
    // Spends this link and every other open one of the account: an older mail must not reset the new password.
    await tx.db.update(passwordResets).set({ usedAt: tx.now() }).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
    await tx.db.update(users).set({ passwordHash: await hashPassword(input.password), failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
    const ended = await endSessionsOf(tx, user.id, { reason: "password_reset" });
    const asUser = withActor(tx, { type: "user", userId: user.id, email: user.email, name: user.name, role: null, via: "session" });
    await asUser.audit({ type: "password_reset.completed", data: { userId: user.id, sessionsEnded: ended.length } }, { type: "user", id: user.id });
  });
}
