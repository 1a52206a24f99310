import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { users } from "../identity.schema";
import { wrongPassword } from "../identity.errors";
import { checkPasswordStrength, hashPassword, verifyPassword } from "../passwords";
import { requireUser } from "../user-actor";
import { endSessionsOf } from "./end-sessions";

/** Changes the user's password; every other session ends (the current one stays signed in). */
export async function changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const actor = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.id, actor.userId)).for("update");
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw wrongPassword();
    checkPasswordStrength(input.newPassword, user.email, "newPassword");
    await tx.db.update(users).set({ passwordHash: await hashPassword(input.newPassword) }).where(eq(users.id, user.id));
    const ended = await endSessionsOf(tx, user.id, { except: actor.sessionId, reason: "password_changed" });
    await tx.audit({ type: "user.password_changed", data: { userId: user.id, sessionsEnded: ended.length } }, { type: "user", id: user.id });
  });
}
