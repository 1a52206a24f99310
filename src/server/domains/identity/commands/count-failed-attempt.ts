import { eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { users } from "../identity.schema";
import type { User } from "../queries/find-user";

/**
 * Counts one wrong password or code against the account (inside the caller's transaction). Sign-in, the MFA
 * step and the password checks of a signed-in person share this count, so none of them is an unlimited oracle.
 * At the limit the account locks; returns when it is locked until, or null.
 */
export async function countFailedAttempt(tx: Ctx, user: User): Promise<Date | null> {
  const { login } = tx.services.config;
  const failures = user.failedLogins + 1;
  if (failures < login.maxFailures) {
    await tx.db.update(users).set({ failedLogins: failures }).where(eq(users.id, user.id));
    return null;
  }
  const until = new Date(tx.now().getTime() + login.lockoutMinutes * 60_000);
  await tx.db.update(users).set({ failedLogins: 0, lockedUntil: until }).where(eq(users.id, user.id));
  await tx.audit({ type: "user.locked_out", data: { userId: user.id, until: until.toISOString() } }, { type: "user", id: user.id });
  return until;
}
