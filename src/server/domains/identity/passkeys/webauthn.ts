import type * as SimpleWebAuthn from "@simplewebauthn/server";

// @simplewebauthn/server takes about 0.2 s of CPU to load (its attestation formats and certificate parsers). It is
// loaded on first passkey use, so starting the server (and every test that builds the app) does not pay for it;
// like @atproto/api in networks/bluesky/sdk.ts.
let loading: Promise<typeof SimpleWebAuthn> | undefined;

/** Loads @simplewebauthn/server, once per process. */
export function loadWebAuthn(): Promise<typeof SimpleWebAuthn> {
  return (loading ??= import("@simplewebauthn/server"));
}
