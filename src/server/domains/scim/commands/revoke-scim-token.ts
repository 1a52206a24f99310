import { and, eq, isNull } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { notFound } from "../../../errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { scimTokens } from "../scim.schema";

/** Revokes one of the workspace's SCIM tokens: the next request with it is refused, and so is one already running. */
export async function revokeScimToken(ctx: Ctx, input: { tokenId: string }): Promise<void> {
  authorize(ctx.actor, "workspace.update");
  const { workspaceId } = currentWorkspace(ctx);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(scimTokens)
      .set({ revokedAt: tx.now() })
      .where(and(eq(scimTokens.id, input.tokenId), eq(scimTokens.workspaceId, workspaceId), isNull(scimTokens.revokedAt)))
      .returning();
    if (!row) throw notFound("SCIM token");
    await tx.audit({ type: "scim.token_revoked", data: { tokenId: row.id, name: row.name } }, { type: "scim_token", id: row.id });
  });
}
