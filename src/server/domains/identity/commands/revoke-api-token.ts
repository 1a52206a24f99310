import { and, eq, isNull } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { notFound } from "../../../errors";
import { apiTokens } from "../identity.schema";
import { requireUser } from "../user-actor";

/** Revokes one of the user's own API tokens; it stops working at once. */
export async function revokeApiToken(ctx: Ctx, input: { tokenId: string }): Promise<void> {
  const actor = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(apiTokens)
      .set({ revokedAt: tx.now() })
      .where(and(eq(apiTokens.id, input.tokenId), eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt)))
      .returning();
    if (!row) throw notFound("API token");
    await tx.audit({ type: "api_token.revoked", data: { tokenId: row.id, name: row.name } }, { type: "api_token", id: row.id });
  });
}
