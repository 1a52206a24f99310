import { and, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { recoveryCodes, users } from "../identity.schema";
import { passkeysOf } from "../passkeys/find-passkeys";
import { requireUser } from "../user-actor";

/** Which second factors the signed-in person can use at the MFA step, so the page offers only those. */
export async function mfaMethodsOf(ctx: Ctx): Promise<{ totp: boolean; passkey: boolean; recoveryCodes: boolean }> {
  const actor = requireUser(ctx);
  const [user] = await ctx.db.select({ mfaSecret: users.mfaSecret }).from(users).where(eq(users.id, actor.userId));
  const [code] = await ctx.db.select({ id: recoveryCodes.id }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, actor.userId), isNull(recoveryCodes.usedAt))).limit(1);
  return { totp: Boolean(user?.mfaSecret), passkey: (await passkeysOf(ctx.db, actor.userId)).length > 0, recoveryCodes: Boolean(code) };
}
