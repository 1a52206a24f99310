import type { Config } from "../../../config";

/** How long a passkey challenge may be answered: long enough to find a security key, short enough to be useless later. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;

/**
 * The WebAuthn relying party, from the public URL people use: its host name is the RP id a passkey is bound to,
 * its origin the only one a browser answer may come from. Changing `PARAPET_PUBLIC_URL` to another host makes
 * the existing passkeys unusable (browsers bind a passkey to the RP id).
 */
export function relyingParty(config: Pick<Config, "publicUrl">): { id: string; origin: string; name: string } {
  const url = new URL(config.publicUrl);
  return { id: url.hostname, origin: url.origin, name: "Parapet" };
}

/** The WebAuthn user handle for a person: the 16 bytes of their id (no email or name in it). */
export function userHandle(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replaceAll("-", ""), "hex"));
}
