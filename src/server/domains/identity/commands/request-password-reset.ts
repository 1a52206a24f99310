import { inTransaction, type Ctx } from "../../../context";
import { consumeRateLimit } from "../../../db/rate-limit";
import { hashToken, newToken } from "../../../crypto/secrets";
import { passwordResets } from "../identity.schema";
import { findUserByEmail } from "../queries/find-user";
import { mailMessages } from "../../../mail/messages";

const RESET_VALID_MINUTES = 60;

/**
 * Mails a single-use reset link if the email belongs to an active user. Answers the same either way, so the
 * form does not reveal who has an account.
 */
export async function requestPasswordReset(ctx: Ctx, input: { email: string }): Promise<void> {
  await consumeRateLimit(ctx.db, `password-reset:${ctx.request.ip ?? "unknown"}`, 10, 3600, ctx.now());
  await inTransaction(ctx, async (tx) => {
    const user = await findUserByEmail(tx.db, input.email);
    if (!user || user.disabledAt) return;
    const token = newToken();
    await tx.db.insert(passwordResets).values({
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(tx.now().getTime() + RESET_VALID_MINUTES * 60_000),
    });
    const link = `${tx.services.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    // In the language the person chose for Parapet.
    const mail = mailMessages(user.locale).passwordReset({ name: user.name, link, minutes: RESET_VALID_MINUTES });
    await tx.services.mailer.enqueue(tx.db, { to: user.email, ...mail });
    // In the background: waiting for the mail server would make the answer slower for known emails than for unknown ones.
    tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
    await tx.audit({ type: "password_reset.requested", data: { userId: user.id } }, { type: "user", id: user.id });
  });
}
