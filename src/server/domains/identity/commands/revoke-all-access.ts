import { and, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { apiTokens } from "../identity.schema";
import { endSessionsOf } from "./end-sessions";

/**
 * Ends every session of a user and revokes their API tokens in one workspace (inside the caller's transaction).
 * Used when someone is removed from a workspace. Returns the counts for the audit event.
 */
export async function revokeAllAccessOf(ctx: Ctx, userId: string, workspaceId: string, reason: string) {
  const sessionIds = await endSessionsOf(ctx, userId, { reason });
  const tokens = await ctx.db
    .update(apiTokens)
    .set({ revokedAt: ctx.now() })
    .where(and(eq(apiTokens.userId, userId), eq(apiTokens.workspaceId, workspaceId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return { sessionsEnded: sessionIds.length, tokensRevoked: tokens.length };
}
