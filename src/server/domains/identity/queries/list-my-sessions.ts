import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { sessions } from "../identity.schema";
import { requireUser } from "../user-actor";

/** The user's live sessions, newest first, with the current one marked. */
export async function listMySessions(ctx: Ctx) {
  const actor = requireUser(ctx);
  return liveSessionsOf(ctx, actor.userId, actor.sessionId);
}

/** A person's live sessions (device, IP, last seen), newest first; `currentSessionId` is marked as the one asking. */
export async function liveSessionsOf(ctx: Ctx, userId: string, currentSessionId: string | undefined) {
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, ctx.now())))
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((s) => ({
    id: s.id,
    current: s.id === currentSessionId,
    ip: s.ip,
    userAgent: s.userAgent,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
  }));
}
