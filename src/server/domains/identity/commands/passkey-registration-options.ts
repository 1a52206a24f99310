import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { unauthenticated } from "../../../errors";
import { users } from "../identity.schema";
import { storeChallenge } from "../passkeys/challenges";
import { passkeysOf } from "../passkeys/find-passkeys";
import { PASSKEY_CHALLENGE_TTL_MS, relyingParty, userHandle } from "../passkeys/relying-party";
import { loadWebAuthn } from "../passkeys/webauthn";
import { requireUser } from "../user-actor";

/**
 * Starts registering a passkey for the signed-in person: WebAuthn creation options with a fresh challenge kept
 * for this session. The passkey must be discoverable (so it can sign in without an email) and verify the user
 * (PIN or biometrics), because it can be the only factor; the person's passkeys are excluded (no duplicates).
 */
export async function startPasskeyRegistration(ctx: Ctx): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const actor = requireUser(ctx);
  if (!actor.sessionId) throw unauthenticated();
  const { generateRegistrationOptions } = await loadWebAuthn();
  return inTransaction(ctx, async (tx) => {
    const [user] = await tx.db.select().from(users).where(eq(users.id, actor.userId));
    const rp = relyingParty(tx.services.config);
    const options = await generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userName: user.email,
      userDisplayName: user.name,
      userID: userHandle(user.id),
      timeout: PASSKEY_CHALLENGE_TTL_MS,
      attestationType: "none",
      excludeCredentials: (await passkeysOf(tx.db, user.id)).map((p) => ({ id: p.credentialId, transports: p.transports })),
      authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
      supportedAlgorithmIDs: [-7, -257], // ES256, RS256
    });
    await storeChallenge(tx, options.challenge, "register", { userId: user.id, sessionId: actor.sessionId });
    return options;
  });
}
