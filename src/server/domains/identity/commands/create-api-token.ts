import type { TokenScope } from "../../../../contracts/roles";
import { inTransaction, type Ctx } from "../../../context";
import { forbidden } from "../../../errors";
import { hashToken, newToken } from "../../../crypto/secrets";
import { apiTokens } from "../identity.schema";
import { requireUser } from "../user-actor";

export const API_TOKEN_PREFIX = "ppt_";

/**
 * Creates a personal API token for automation, bound to the current workspace and limited to its scopes (and,
 * always, to what the person's role allows). The token is returned once; only its hash is kept.
 */
export async function createApiToken(
  ctx: Ctx,
  input: { name: string; scopes: TokenScope[]; expiresInDays: number | null; /** "cli": made by an operator with `parapet admin token create` */ via?: "account" | "cli" },
) {
  const actor = requireUser(ctx);
  if (!ctx.workspaceId) throw forbidden("Choose a workspace first");
  const token = newToken(API_TOKEN_PREFIX);
  const expiresAt = input.expiresInDays ? new Date(ctx.now().getTime() + input.expiresInDays * 86_400_000) : null;
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(apiTokens)
      .values({
        userId: actor.userId,
        workspaceId: ctx.workspaceId!,
        name: input.name.trim(),
        tokenHash: hashToken(token),
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
        scopes: [...new Set(input.scopes)],
        expiresAt,
        createdAt: tx.now(),
      })
      .returning();
    await tx.audit(
      { type: "api_token.created", data: { tokenId: row.id, name: row.name, scopes: row.scopes as TokenScope[], expiresAt: expiresAt?.toISOString() ?? null, via: input.via ?? "account" } },
      { type: "api_token", id: row.id },
    );
    return { token, apiToken: presentApiToken(row, ctx.now()) };
  });
}

export function presentApiToken(row: typeof apiTokens.$inferSelect, now: Date) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as TokenScope[],
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    active: !row.revokedAt && (!row.expiresAt || row.expiresAt > now),
  };
}
