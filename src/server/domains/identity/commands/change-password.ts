import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { users } from "../identity.schema";
import { checkPasswordStrength, hashPassword } from "../passwords";
import { requireUser } from "../user-actor";
import { endSessionsOf } from "./end-sessions";
import { confirmCurrentPassword } from "./confirm-current-password";

/** Changes the user's password; every other session ends (the current one stays signed in). */
export async function changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const actor = requireUser(ctx);
  await confirmCurrentPassword(ctx, actor.userId, input.currentPassword, "currentPassword");
  await inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.id, actor.userId)).for("update");
    checkPasswordStrength(input.newPassword, user.email, "newPassword");
    await tx.db.update(users).set({ passwordHash: await hashPassword(input.newPassword) }).where(eq(users.id, user.id));
    const ended = await endSessionsOf(tx, user.id, { except: actor.sessionId, reason: "password_changed" });
    await tx.audit({ type: "user.password_changed", data: { userId: user.id, sessionsEnded: ended.length } }, { type: "user", id: user.id });
  });
}
