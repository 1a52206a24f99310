import { eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { recoveryCodes } from "../identity.schema";
import { hashRecoveryCode, newRecoveryCodes } from "../totp";

/** Replaces the user's recovery codes with ten new ones (inside the caller's transaction); returns them once. */
export async function replaceRecoveryCodes(ctx: Ctx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await ctx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await ctx.db.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}
