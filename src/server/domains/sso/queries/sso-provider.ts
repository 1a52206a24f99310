import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { memberships, workspaces } from "../../workspaces/workspaces.schema";
import { ssoProviders } from "../sso.schema";

export type SsoProvider = typeof ssoProviders.$inferSelect;

/** The workspace's provider, or undefined. */
export async function ssoProviderOf(db: Db, workspaceId: string): Promise<SsoProvider | undefined> {
  const [row] = await db.select().from(ssoProviders).where(eq(ssoProviders.workspaceId, workspaceId));
  return row;
}

/** The provider for a sign-in: by the email's domain (one of its allowed domains) or by the workspace's slug. */
export async function findSsoProviderFor(db: Db, input: { email?: string; workspace?: string }): Promise<SsoProvider | undefined> {
  if (input.email) {
    const domain = emailDomain(input.email);
    if (!domain) return undefined;
    const [row] = await db.select().from(ssoProviders).where(sql`${domain} = any(${ssoProviders.allowedDomains})`).orderBy(ssoProviders.createdAt).limit(1);
    return row;
  }
  if (input.workspace) {
    const [row] = await db
      .select({ provider: ssoProviders })
      .from(ssoProviders)
      .innerJoin(workspaces, eq(workspaces.id, ssoProviders.workspaceId))
      .where(eq(workspaces.slug, input.workspace.trim().toLowerCase()));
    return row?.provider;
  }
  return undefined;
}

/** The lower-case domain of an email address, or null. */
export function emailDomain(email: string): string | null {
  const at = email.trim().lastIndexOf("@");
  return at > 0 ? email.trim().slice(at + 1).toLowerCase() || null : null;
}

/**
 * Whether password sign-in is off for this person: they are a member of a workspace that requires SSO and are not
 * its break-glass owner (who must still be an owner there).
 */
export async function passwordSignInBlockedBySso(db: Db, userId: string): Promise<boolean> {
  const rows = await db
    .select({ breakGlassUserId: ssoProviders.breakGlassUserId, role: memberships.role })
    .from(ssoProviders)
    .innerJoin(memberships, and(eq(memberships.workspaceId, ssoProviders.workspaceId), eq(memberships.userId, userId)))
    .where(eq(ssoProviders.ssoRequired, true));
  return rows.some((r) => !(r.breakGlassUserId === userId && r.role === "owner"));
}
