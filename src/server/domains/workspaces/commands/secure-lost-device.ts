import { and, eq, isNull } from "drizzle-orm";
import { authorize, mayRemoveMember } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { endSessionsOf, unsafeResetSecondFactors } from "../../identity";
import { apiTokens } from "../../identity/identity.schema";
import { roleNotAllowed } from "../workspaces.errors";
import { currentWorkspace } from "../workspace-actor";
import { lockedMembership } from "../membership-changes";

export type SecureLostDeviceInput = {
  userId: string;
  /** The sessions of the lost device (from the member's session list); none when it has no live session left. */
  sessionIds: string[];
  /** Remove their authenticator app, recovery codes and passkeys; they must set up a new second factor. */
  requireMfaReenrolment: boolean;
  /** Also revoke their API tokens in this workspace (a token may be stored on the device). */
  revokeApiTokens: boolean;
};

/**
 * "Lost device": an admin ends the chosen sessions of a member at once (a request already running on them cannot
 * write afterwards: see `inTransaction`), and can require a new second factor and revoke their API tokens here. The
 * person keeps their membership and their other sessions. The same rule as removal decides who may act on whom.
 */
export async function secureLostDevice(ctx: Ctx, input: SecureLostDeviceInput) {
  authorize(ctx.actor, "members.remove");
  const { workspaceId, role: actorRole } = currentWorkspace(ctx);
  if (!input.sessionIds.length && !input.requireMfaReenrolment && !input.revokeApiTokens) throw invalidInput({ sessionIds: ["Choose a session to end, or what else to secure"] });
  return inTransaction(ctx, async (tx) => {
    const { role } = await lockedMembership(tx, workspaceId, input.userId);
    if (!mayRemoveMember(actorRole, role)) throw roleNotAllowed();
    const ended = await endSessionsOf(tx, input.userId, { only: input.sessionIds, reason: "lost_device" });
    const factors = input.requireMfaReenrolment ? await unsafeResetSecondFactors(tx, input.userId) : null;
    const tokensRevoked = input.revokeApiTokens
      ? (
          await tx.db
            .update(apiTokens)
            .set({ revokedAt: tx.now() })
            .where(and(eq(apiTokens.userId, input.userId), eq(apiTokens.workspaceId, workspaceId), isNull(apiTokens.revokedAt)))
            .returning({ id: apiTokens.id })
        ).length
      : 0;
    const result = {
      sessionsEnded: ended.length,
      tokensRevoked,
      mfaReenrolmentRequired: input.requireMfaReenrolment,
      authenticatorAppRemoved: factors?.authenticatorAppRemoved ?? false,
      passkeysRemoved: factors?.passkeysRemoved ?? 0,
    };
    await tx.audit({ type: "member.device_secured", data: { userId: input.userId, ...result } }, { type: "user", id: input.userId });
    return result;
  });
}
