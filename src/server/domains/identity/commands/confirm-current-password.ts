import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { users } from "../identity.schema";
import { wrongPassword } from "../identity.errors";
import { verifyPassword } from "../passwords";
import { countFailedAttempt } from "./count-failed-attempt";
import { endSessionsOf } from "./end-sessions";

/**
 * Checks a signed-in person's password before a sensitive change. A wrong one counts toward the lockout (and is
 * committed even though the change is refused), so a stolen session cannot guess the password here; at the limit
 * the account locks and every session ends.
 */
export async function confirmCurrentPassword(ctx: Ctx, userId: string, password: string, field: string): Promise<void> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (await verifyPassword(user.passwordHash, password)) return;
  await inTransaction(ctx, async (tx) => {
    const [fresh] = await tx.db.select().from(users).where(eq(users.id, userId)).for("update");
    if (await countFailedAttempt(tx, fresh)) await endSessionsOf(tx, userId, { reason: "locked_out" });
  });
  throw wrongPassword(field);
}
