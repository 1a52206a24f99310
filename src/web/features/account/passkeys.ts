import { browserSupportsWebAuthn, startAuthentication, startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { MfaMethods, Passkey, PasskeyOptions, RegisteredPasskey } from "../../../contracts/api";
import { ApiError, api } from "../../api/client";

export type PasskeyItem = z.infer<typeof Passkey>;
type Options = z.infer<typeof PasskeyOptions>["options"];
export const PASSKEYS_KEY = ["me", "passkeys"] as const;

/** The signed-in person's passkeys. */
export function usePasskeys() {
  return useQuery({ queryKey: PASSKEYS_KEY, queryFn: () => api<{ passkeys: PasskeyItem[] }>("GET", "/me/passkeys") });
}

/** Which second factors the half-signed-in person can use (so the MFA page offers only those). */
export function useMfaMethods() {
  return useQuery({ queryKey: ["me", "mfa-methods"], queryFn: () => api<z.infer<typeof MfaMethods>>("GET", "/auth/mfa/methods") });
}

/**
 * Runs the browser's passkey dialog. Its failures become ApiErrors with codes the error texts know: the person
 * closed the dialog or it timed out (`passkey_cancelled`), or the browser has no WebAuthn (`passkey_unsupported`).
 */
async function inBrowser<T>(run: () => Promise<T>): Promise<T> {
  if (!browserSupportsWebAuthn()) throw new ApiError(0, "passkey_unsupported", "WebAuthn is not available");
  try {
    return await run();
  } catch (err) {
    const name = err instanceof WebAuthnError ? (err.cause as Error | undefined)?.name : (err as Error | undefined)?.name;
    if (name === "NotAllowedError" || name === "AbortError") throw new ApiError(0, "passkey_cancelled", (err as Error).message);
    if (err instanceof WebAuthnError && err.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") throw new ApiError(409, "passkey_already_registered", err.message);
    throw new ApiError(0, "passkey_refused", (err as Error).message);
  }
}

/** Registers a new passkey: options from the server, the browser's dialog, the answer back (with recovery codes once). */
export async function registerPasskey(name: string): Promise<z.infer<typeof RegisteredPasskey>> {
  const { options } = await api<{ options: Options }>("POST", "/me/passkeys/options");
  const answer = await inBrowser(() => startRegistration({ optionsJSON: options as never }));
  return api<z.infer<typeof RegisteredPasskey>>("POST", "/me/passkeys", { name, answer });
}

/** Signs in with a discoverable passkey alone (the browser offers the ones it has for this site). */
export async function signInWithPasskey(): Promise<void> {
  const { options } = await api<{ options: Options }>("POST", "/auth/passkey/options");
  const answer = await inBrowser(() => startAuthentication({ optionsJSON: options as never }));
  await api("POST", "/auth/passkey/sign-in", { answer });
}

/** Removes a passkey, confirming with one of the person's passkeys (for people without a password or app). */
export async function removePasskeyConfirmedByPasskey(passkeyId: string): Promise<void> {
  const { options } = await api<{ options: Options }>("POST", "/auth/mfa/passkey/options");
  const answer = await inBrowser(() => startAuthentication({ optionsJSON: options as never }));
  await api("POST", `/me/passkeys/${encodeURIComponent(passkeyId)}/remove`, { answer });
}

/** Passes the MFA step with one of the person's passkeys. */
export async function verifyMfaWithPasskey(): Promise<void> {
  const { options } = await api<{ options: Options }>("POST", "/auth/mfa/passkey/options");
  const answer = await inBrowser(() => startAuthentication({ optionsJSON: options as never }));
  await api("POST", "/auth/mfa/passkey/verify", { answer });
}
