import { desc, eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { apiTokens } from "../identity.schema";
import { presentApiToken } from "../commands/create-api-token";
import { requireUser } from "../user-actor";

export async function listMyApiTokens(ctx: Ctx) {
  const actor = requireUser(ctx);
  const rows = await ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, actor.userId)).orderBy(desc(apiTokens.createdAt));
  return rows.map((r) => presentApiToken(r, ctx.now()));
}
