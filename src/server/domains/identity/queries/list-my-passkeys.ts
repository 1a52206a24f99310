import type { Ctx } from "../../../context";
import { passkeysOf, presentPasskey } from "../passkeys/find-passkeys";
import { requireUser } from "../user-actor";

/** The signed-in person's passkeys: name, kind, created and last used (never key material). */
export async function listMyPasskeys(ctx: Ctx) {
  const actor = requireUser(ctx);
  return (await passkeysOf(ctx.db, actor.userId)).map(presentPasskey);
}
