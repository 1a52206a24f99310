import { and, eq, isNull } from "drizzle-orm";
import type { Services } from "../../../context";
import { hashToken } from "../../../crypto/secrets";
import type { Db } from "../../../db/client";
import { scimTokens } from "../scim.schema";

export type ScimToken = typeof scimTokens.$inferSelect;
const TOUCH_EVERY_MS = 60_000;

/** The live SCIM token with this value, or null; notes when it was last used (at most once a minute). */
export async function authenticateScimToken(services: Services, token: string): Promise<ScimToken | null> {
  const db = services.database.db;
  const [row] = await db.select().from(scimTokens).where(and(eq(scimTokens.tokenHash, hashToken(token)), isNull(scimTokens.revokedAt)));
  if (!row) return null;
  const now = services.clock();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(scimTokens).set({ lastUsedAt: now }).where(eq(scimTokens.id, row.id));
  }
  return row;
}

/** Whether the token is still live (checked again inside each request's transaction: a revocation wins at once). */
export async function scimTokenStillLive(db: Db, tokenId: string): Promise<boolean> {
  const [row] = await db.select({ id: scimTokens.id }).from(scimTokens).where(and(eq(scimTokens.id, tokenId), isNull(scimTokens.revokedAt)));
  return row !== undefined;
}

/** The actor label the audit log shows for requests made with the token. */
export function scimActorLabel(token: Pick<ScimToken, "name" | "prefix">): string {
  return `SCIM (token "${token.name}", ${token.prefix}…)`;
}
