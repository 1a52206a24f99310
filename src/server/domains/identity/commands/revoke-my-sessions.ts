import { inTransaction, type Ctx } from "../../../context";
import { notFound } from "../../../errors";
import { requireUser } from "../user-actor";
import { endSessionsOf } from "./end-sessions";

/** Ends one of the user's own sessions, or all of them except the current one. */
export async function revokeMySessions(ctx: Ctx, input: { sessionId: string } | { allExceptCurrent: true }): Promise<{ ended: number }> {
  const actor = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const ids =
      "sessionId" in input
        ? await endSessionsOf(tx, actor.userId, { only: [input.sessionId], reason: "revoked_by_user" })
        : await endSessionsOf(tx, actor.userId, { except: actor.sessionId, reason: "revoked_by_user" });
    if ("sessionId" in input && ids.length === 0) throw notFound("Session");
    if (ids.length) await tx.audit({ type: "session.revoked", data: { userId: actor.userId, sessionIds: ids } }, { type: "user", id: actor.userId });
    return { ended: ids.length };
  });
}
