import { inTransaction, type Ctx } from "../../../context";
import { requireUser } from "../user-actor";
import { endSessionsOf } from "./end-sessions";

/** Ends the current session. */
export async function signOut(ctx: Ctx): Promise<void> {
  const actor = requireUser(ctx);
  if (!actor.sessionId) return;
  await inTransaction(ctx, async (tx) => {
    await endSessionsOf(tx, actor.userId, { only: [actor.sessionId!], reason: "signed_out" });
    await tx.audit({ type: "user.signed_out", data: { userId: actor.userId, sessionId: actor.sessionId! } }, { type: "user", id: actor.userId });
  });
}
