import { newToken, hashToken } from "../../../crypto/secrets";
import type { Ctx } from "../../../context";
import { sessions } from "../identity.schema";

/** Starts a server-side session for a user; returns the cookie token (only its hash is stored). */
export async function createSession(ctx: Ctx, input: { userId: string; mfaVerified: boolean }): Promise<{ token: string; sessionId: string }> {
  const token = newToken();
  const now = ctx.now();
  const [row] = await ctx.db
    .insert(sessions)
    .values({
      tokenHash: hashToken(token),
      userId: input.userId,
      mfaVerified: input.mfaVerified,
      ip: ctx.request.ip,
      userAgent: ctx.request.userAgent,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ctx.services.config.session.maxHours * 3600_000),
    })
    .returning({ id: sessions.id });
  return { token, sessionId: row.id };
}
