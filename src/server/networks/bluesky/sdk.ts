import type * as Atproto from "@atproto/api";

// @atproto/api takes about a second of CPU to load (its lexicons), more than the rest of the server together. It is
// loaded on first use, so a process that never talks to Bluesky (a CLI command, a server without Bluesky channels,
// most tests) does not pay for it.
let sdk: typeof Atproto | undefined;
let loading: Promise<typeof Atproto> | undefined;

/** Loads @atproto/api, once per process. */
export function loadAtproto(): Promise<typeof Atproto> {
  return (loading ??= import("@atproto/api").then((loaded) => (sdk = loaded)));
}

/** @atproto/api, after loadAtproto has finished (each connector method awaits it first). */
export function atproto(): typeof Atproto {
  if (!sdk) throw new Error("@atproto/api is not loaded yet: await loadAtproto() first");
  return sdk;
}

/** @atproto/api if it is loaded: until then nothing can have thrown one of its errors. */
export function atprotoIfLoaded(): typeof Atproto | undefined {
  return sdk;
}
