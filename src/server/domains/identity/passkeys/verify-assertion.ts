import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { passkeys } from "../passkeys.schema";
import type { Passkey } from "./find-passkeys";
import { relyingParty, userHandle } from "./relying-party";
import { loadWebAuthn } from "./webauthn";

/**
 * Checks a browser's answer against a stored passkey (inside the caller's transaction): the signature over this
 * challenge, origin and RP id, user verification when asked, the user handle when the authenticator sent one,
 * and a signature counter that moved forward (a cloned authenticator shows up as one that did not). On success
 * the new counter and last use are stored.
 */
export async function verifyAssertion(
  tx: Ctx,
  passkey: Passkey,
  answer: AuthenticationResponseJSON,
  expectedChallenge: string,
  options: { requireUserVerification: boolean },
): Promise<boolean> {
  const { verifyAuthenticationResponse } = await loadWebAuthn();
  const rp = relyingParty(tx.services.config);
  if (answer.response.userHandle && answer.response.userHandle !== Buffer.from(userHandle(passkey.userId)).toString("base64url")) return false;
  try {
    const result = await verifyAuthenticationResponse({
      response: answer,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")), counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: options.requireUserVerification,
    });
    if (!result.verified) return false;
    await tx.db.update(passkeys).set({ counter: result.authenticationInfo.newCounter, lastUsedAt: tx.now() }).where(eq(passkeys.id, passkey.id));
    return true;
  } catch (err) {
    // Wrong origin, RP id, challenge, signature or counter: the library says which; the log keeps it, the client gets passkey_refused.
    tx.log.info({ err: (err as Error).message, passkeyId: passkey.id }, "passkey answer refused");
    return false;
  }
}
