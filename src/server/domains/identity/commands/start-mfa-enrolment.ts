import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import { inTransaction, type Ctx } from "../../../context";
import { users } from "../identity.schema";
import { mfaAlreadyEnrolled } from "../identity.errors";
import { newTotpSecret, otpauthUrl } from "../totp";
import { requireUser } from "../user-actor";

/** Makes a new TOTP secret for the user to scan; it takes effect only when confirmed with a code. */
export async function startMfaEnrolment(ctx: Ctx): Promise<{ secret: string; otpauthUrl: string; qrCodeDataUrl: string }> {
  const actor = requireUser(ctx);
  const [user] = await ctx.db.select().from(users).where(eq(users.id, actor.userId));
  if (user.mfaEnabledAt) throw mfaAlreadyEnrolled();
  const secret = newTotpSecret();
  await inTransaction(ctx, async (tx) => {
    await tx.db.update(users).set({ mfaPendingSecret: tx.services.secrets.seal(secret) }).where(eq(users.id, user.id));
    await tx.audit({ type: "mfa.enrolment_started", data: { userId: user.id } }, { type: "user", id: user.id });
  });
  const url = otpauthUrl(secret, user.email, "Parapet");
  return { secret, otpauthUrl: url, qrCodeDataUrl: await QRCode.toDataURL(url, { margin: 1, width: 220 }) };
}
