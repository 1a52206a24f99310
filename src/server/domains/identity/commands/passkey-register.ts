import type { RegistrationResponseJSON, VerifiedRegistrationResponse } from "@simplewebauthn/server";
import { and, eq, isNull } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { unauthenticated, type AppError } from "../../../errors";
import { recoveryCodes, users } from "../identity.schema";
import { passkeys } from "../passkeys.schema";
import { takeChallenge } from "../passkeys/challenges";
import { presentPasskey } from "../passkeys/find-passkeys";
import { passkeyAlreadyRegistered, passkeyRefused } from "../passkeys/passkeys.errors";
import { relyingParty } from "../passkeys/relying-party";
import { loadWebAuthn } from "../passkeys/webauthn";
import { requireUser } from "../user-actor";
import { replaceRecoveryCodes } from "./replace-recovery-codes";

export type RegisterPasskeyInput = { name: string; answer: RegistrationResponseJSON };

/**
 * Verifies the browser's answer to this session's registration challenge (origin, RP id, user verification,
 * signature) and keeps the new passkey's public key. The challenge is used up even when the answer is refused,
 * so a failure is returned (and the transaction committed), not thrown. Someone whose second factor this is (no
 * authenticator app, no recovery codes yet) gets ten recovery codes, shown once, for the day the passkey is lost.
 */
export async function registerPasskey(ctx: Ctx, input: RegisterPasskeyInput): Promise<{ ok: true; passkey: ReturnType<typeof presentPasskey>; recoveryCodes?: string[] } | { ok: false; error: AppError }> {
  const actor = requireUser(ctx);
  if (!actor.sessionId) throw unauthenticated();
  const { verifyRegistrationResponse } = await loadWebAuthn();
  return inTransaction(ctx, async (tx) => {
    const expectedChallenge = await takeChallenge(tx, input.answer, "register", { userId: actor.userId, sessionId: actor.sessionId });
    const rp = relyingParty(tx.services.config);
    let verified: VerifiedRegistrationResponse;
    try {
      verified = await verifyRegistrationResponse({
        response: input.answer,
        expectedChallenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: true,
        supportedAlgorithmIDs: [-7, -257],
      });
    } catch (err) {
      tx.log.info({ err: (err as Error).message, userId: actor.userId }, "passkey registration refused");
      return { ok: false, error: passkeyRefused() };
    }
    if (!verified.verified) return { ok: false, error: passkeyRefused() };
    const info = verified.registrationInfo;
    const inserted = await tx.db
      .insert(passkeys)
      .values({
        userId: actor.userId,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        name: input.name.trim(),
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        aaguid: info.aaguid,
        createdAt: tx.now(),
      })
      .onConflictDoNothing({ target: passkeys.credentialId })
      .returning();
    if (!inserted.length) return { ok: false, error: passkeyAlreadyRegistered() };
    const passkey = inserted[0];
    const [user] = await tx.db.select({ mfaSecret: users.mfaSecret }).from(users).where(eq(users.id, actor.userId));
    const [unusedCode] = await tx.db.select({ id: recoveryCodes.id }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, actor.userId), isNull(recoveryCodes.usedAt))).limit(1);
    const codes = !user.mfaSecret && !unusedCode ? await replaceRecoveryCodes(tx, actor.userId) : undefined;
    // A new second factor ends an enrolment an admin asked for (after a lost device).
    await tx.db.update(users).set({ mfaReenrolmentRequiredAt: null }).where(eq(users.id, actor.userId));
    await tx.audit(
      { type: "passkey.registered", data: { userId: actor.userId, passkeyId: passkey.id, name: passkey.name, recoveryCodesIssued: codes !== undefined } },
      { type: "user", id: actor.userId },
    );
    return { ok: true, passkey: presentPasskey(passkey), ...(codes ? { recoveryCodes: codes } : {}) };
  });
}
