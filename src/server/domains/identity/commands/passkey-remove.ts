import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { and, eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { notFound, unauthenticated } from "../../../errors";
import { recoveryCodes, users } from "../identity.schema";
import { invalidMfaCode } from "../identity.errors";
import { passkeys } from "../passkeys.schema";
import { takeChallenge } from "../passkeys/challenges";
import { passkeyRefused } from "../passkeys/passkeys.errors";
import { verifyAssertion } from "../passkeys/verify-assertion";
import { matchTotp } from "../totp";
import { requireUser } from "../user-actor";
import { confirmCurrentPassword } from "./confirm-current-password";
import { countFailedAttempt } from "./count-failed-attempt";
import { endSessionsOf } from "./end-sessions";

export type RemovePasskeyInput = { passkeyId: string; password?: string; code?: string; answer?: AuthenticationResponseJSON };

/**
 * Removes one of the person's passkeys after they confirm with their password, a current authenticator code or one
 * of their passkeys (answering a challenge from `POST /auth/mfa/passkey/options`; for people without a password,
 * e.g. from single sign-on), so a session left open on someone else's screen cannot strip a factor. A wrong password or code counts toward
 * the lockout like everywhere else (committed though the removal is refused). Removing the last second factor
 * also removes the recovery codes that stood in for it.
 */
export async function removePasskey(ctx: Ctx, input: RemovePasskeyInput): Promise<void> {
  const actor = requireUser(ctx);
  const [owned] = await ctx.db.select({ id: passkeys.id }).from(passkeys).where(and(eq(passkeys.id, input.passkeyId), eq(passkeys.userId, actor.userId)));
  if (!owned) throw notFound("Passkey");
  const confirmedWith = input.password ? ("password" as const) : input.code ? ("totp" as const) : ("passkey" as const);
  if (input.password) await confirmCurrentPassword(ctx, actor.userId, input.password, "password");
  else if (input.code) await confirmTotp(ctx, actor.userId, input.code);
  else await confirmWithPasskey(ctx, actor.userId, actor.sessionId, input.answer);
  await inTransaction(ctx, async (tx) => {
    const [removed] = await tx.db.delete(passkeys).where(and(eq(passkeys.id, input.passkeyId), eq(passkeys.userId, actor.userId))).returning();
    if (!removed) throw notFound("Passkey");
    // Without an app or another passkey there is no second factor left: recovery codes would stand for nothing.
    const [user] = await tx.db.select({ mfaSecret: users.mfaSecret }).from(users).where(eq(users.id, actor.userId));
    const [another] = await tx.db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, actor.userId)).limit(1);
    if (!user.mfaSecret && !another) await tx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, actor.userId));
    await tx.audit({ type: "passkey.removed", data: { userId: actor.userId, passkeyId: removed.id, name: removed.name, confirmedWith } }, { type: "user", id: actor.userId });
  });
}

/** One of the person's passkeys, with user verification, answering this session's challenge; a refusal counts. */
async function confirmWithPasskey(ctx: Ctx, userId: string, sessionId: string | undefined, answer: AuthenticationResponseJSON | undefined): Promise<void> {
  if (!sessionId) throw unauthenticated();
  if (!answer) throw passkeyRefused();
  const accepted = await inTransaction(ctx, async (tx) => {
    const expectedChallenge = await takeChallenge(tx, answer, "mfa", { userId, sessionId });
    const [user] = await tx.db.select().from(users).where(eq(users.id, userId)).for("update");
    const [passkey] = await tx.db.select().from(passkeys).where(and(eq(passkeys.credentialId, answer.id), eq(passkeys.userId, userId)));
    if (passkey && (await verifyAssertion(tx, passkey, answer, expectedChallenge, { requireUserVerification: true }))) return true;
    if (await countFailedAttempt(tx, user)) await endSessionsOf(tx, userId, { reason: "locked_out" });
    return false;
  });
  if (!accepted) throw passkeyRefused();
}

/** A current TOTP code, accepted once (the step is stored); a wrong one counts as a failed attempt. */
async function confirmTotp(ctx: Ctx, userId: string, code: string): Promise<void> {
  const accepted = await inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.id, userId)).for("update");
    const step = user.mfaSecret ? matchTotp(tx.services.secrets.open(user.mfaSecret), code.trim(), tx.now()) : null;
    if (step !== null && (user.mfaLastStep === null || step > user.mfaLastStep)) {
      await tx.db.update(users).set({ mfaLastStep: step }).where(eq(users.id, userId));
      return true;
    }
    if (await countFailedAttempt(tx, user)) await endSessionsOf(tx, userId, { reason: "locked_out" });
    return false;
  });
  if (!accepted) throw invalidMfaCode();
}
