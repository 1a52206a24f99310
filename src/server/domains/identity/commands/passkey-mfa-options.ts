import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { inTransaction, type Ctx } from "../../../context";
import { unauthenticated } from "../../../errors";
import { storeChallenge } from "../passkeys/challenges";
import { passkeysOf } from "../passkeys/find-passkeys";
import { passkeyNotRegistered } from "../passkeys/passkeys.errors";
import { PASSKEY_CHALLENGE_TTL_MS, relyingParty } from "../passkeys/relying-party";
import { loadWebAuthn } from "../passkeys/webauthn";
import { requireUser } from "../user-actor";

/**
 * Options for using a passkey as the second factor after the password: one of this person's passkeys, with a
 * challenge kept for this session. (The password was the first factor, so user verification is only preferred.)
 */
export async function startPasskeyMfa(ctx: Ctx): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const actor = requireUser(ctx);
  if (!actor.sessionId) throw unauthenticated();
  const { generateAuthenticationOptions } = await loadWebAuthn();
  return inTransaction(ctx, async (tx) => {
    const mine = await passkeysOf(tx.db, actor.userId);
    if (!mine.length) throw passkeyNotRegistered();
    const options = await generateAuthenticationOptions({
      rpID: relyingParty(tx.services.config).id,
      allowCredentials: mine.map((p) => ({ id: p.credentialId, transports: p.transports })),
      userVerification: "preferred",
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    await storeChallenge(tx, options.challenge, "mfa", { userId: actor.userId, sessionId: actor.sessionId });
    return options;
  });
}
