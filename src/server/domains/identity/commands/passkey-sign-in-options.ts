import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { inTransaction, type Ctx } from "../../../context";
import { consumeRateLimit } from "../../../db/rate-limit";
import { storeChallenge } from "../passkeys/challenges";
import { PASSKEY_CHALLENGE_TTL_MS, relyingParty } from "../passkeys/relying-party";
import { loadWebAuthn } from "../passkeys/webauthn";

/**
 * Options for signing in with a passkey alone: no email asked, the browser offers the discoverable passkeys it
 * has for this site, and the authenticator must verify the user (PIN or biometrics), which makes it two factors.
 * Throttled per IP like sign-in, since each call stores a challenge.
 */
export async function startPasskeySignIn(ctx: Ctx): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { login } = ctx.services.config;
  await consumeRateLimit(ctx.db, `passkey-options:${ctx.request.ip ?? "unknown"}`, login.ratePerMinute, 60, ctx.now());
  const { generateAuthenticationOptions } = await loadWebAuthn();
  return inTransaction(ctx, async (tx) => {
    const options = await generateAuthenticationOptions({ rpID: relyingParty(tx.services.config).id, userVerification: "required", timeout: PASSKEY_CHALLENGE_TTL_MS });
    await storeChallenge(tx, options.challenge, "sign_in");
    return options;
  });
}
