import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { hashToken, newToken } from "../../../crypto/secrets";
import { requireUser } from "../../identity";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { scimTokens } from "../scim.schema";

export const SCIM_TOKEN_PREFIX = "scim_";
/** `scim_` and 43 base64url characters (32 random bytes). */
export const SCIM_TOKEN_PATTERN = /^scim_[A-Za-z0-9_-]{43}$/;

/**
 * Creates a bearer token for the workspace's identity provider to call `/scim/v2` with. Returned once; only its
 * hash is kept. Whoever holds it can add and remove the workspace's people, so only admins make one.
 */
export async function createScimToken(ctx: Ctx, input: { name: string }) {
  authorize(ctx.actor, "workspace.update");
  const { workspaceId } = currentWorkspace(ctx);
  const actor = requireUser(ctx);
  const token = newToken(SCIM_TOKEN_PREFIX);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(scimTokens)
      .values({ workspaceId, name: input.name.trim(), tokenHash: hashToken(token), prefix: token.slice(0, SCIM_TOKEN_PREFIX.length + 4), createdBy: actor.userId, createdAt: tx.now() })
      .returning();
    await tx.audit({ type: "scim.token_created", data: { tokenId: row.id, name: row.name } }, { type: "scim_token", id: row.id });
    return { token, scimToken: presentScimToken(row) };
  });
}

export function presentScimToken(row: typeof scimTokens.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
