import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { sessions } from "../identity.schema";

/** Revokes sessions of a user (all, or all but one) inside the caller's transaction; returns the ids ended. */
export async function endSessionsOf(ctx: Ctx, userId: string, options: { except?: string; only?: string[]; reason: string }): Promise<string[]> {
  const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if (options.except) conditions.push(ne(sessions.id, options.except));
  if (options.only) conditions.push(inArray(sessions.id, options.only.length ? options.only : ["00000000-0000-0000-0000-000000000000"]));
  const ended = await ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.now(), revokedReason: options.reason })
    .where(and(...conditions))
    .returning({ id: sessions.id });
  return ended.map((s) => s.id);
}
