import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { users } from "../identity.schema";
import { mfaNotEnrolled } from "../identity.errors";
import { requireUser } from "../user-actor";
import { replaceRecoveryCodes } from "./replace-recovery-codes";

/** Issues ten new recovery codes; the old ones stop working. */
export async function regenerateRecoveryCodes(ctx: Ctx): Promise<{ recoveryCodes: string[] }> {
  const actor = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.id, actor.userId));
    if (!user.mfaEnabledAt) throw mfaNotEnrolled();
    const codes = await replaceRecoveryCodes(tx, user.id);
    await tx.audit({ type: "mfa.recovery_codes_regenerated", data: { userId: user.id } }, { type: "user", id: user.id });
    return { recoveryCodes: codes };
  });
}
