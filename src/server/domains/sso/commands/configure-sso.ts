import { and, eq, ne, sql } from "drizzle-orm";
import type { Role } from "../../../../contracts/roles";
import { authorize, mayInviteAs } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { users } from "../../identity/identity.schema";
import { hasPasskey } from "../../identity/passkeys/find-passkeys";
import { memberships } from "../../workspaces/workspaces.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { discoverProvider, issuerAllowsHttp } from "../oidc";
import { ssoProviders } from "../sso.schema";
import { presentSsoSettings } from "../queries/sso-settings";

export type ConfigureSsoInput = {
  issuer: string;
  clientId: string;
  /** Required the first time; left out, the stored one is kept. */
  clientSecret?: string;
  allowedDomains: string[];
  defaultRole: Role;
  teamsClaim?: string | null;
  ssoRequired: boolean;
  breakGlassUserId?: string | null;
};

/**
 * Sets up (or changes) the workspace's OpenID Connect provider. The provider must answer discovery; the client
 * secret is sealed and never returned. "SSO required" needs a break-glass owner with MFA, who keeps password
 * sign-in so that an outage of the provider does not lock the workspace out.
 */
export async function configureSso(ctx: Ctx, input: ConfigureSsoInput) {
  authorize(ctx.actor, "workspace.update");
  const { workspaceId, role: actorRole } = currentWorkspace(ctx);
  const issuer = input.issuer.trim().replace(/\/$/, "");
  const fields: Record<string, string[]> = {};
  let issuerUrl: URL | null = null;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    fields.issuer = ["Enter the provider's issuer URL, e.g. https://login.example.com"];
  }
  if (issuerUrl && issuerUrl.protocol !== "https:" && !issuerAllowsHttp(issuer)) fields.issuer = ["The issuer must use https"];
  const allowedDomains = [...new Set(input.allowedDomains.map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))];
  if (!allowedDomains.length) fields.allowedDomains = ["Allow at least one email domain"];
  if (allowedDomains.some((d) => !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(d))) fields.allowedDomains = ["Enter domains like example.com"];
  if (input.defaultRole === "owner" || !mayInviteAs(actorRole, input.defaultRole)) fields.defaultRole = ["Choose a role below owner that you may give"];
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(ssoProviders).where(eq(ssoProviders.workspaceId, workspaceId)).for("update");
    if (!before && !input.clientSecret) fields.clientSecret = ["Enter the client secret"];
    const breakGlassUserId = input.breakGlassUserId ?? null;
    if (breakGlassUserId) {
      const [owner] = await tx.db
        .select({ role: memberships.role, mfaEnabledAt: users.mfaEnabledAt })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, breakGlassUserId)));
      if (!owner || owner.role !== "owner") fields.breakGlassUserId = ["Choose an owner of this workspace"];
      else if (!owner.mfaEnabledAt && !(await hasPasskey(tx.db, breakGlassUserId))) fields.breakGlassUserId = ["The break-glass owner must have two-factor authentication set up"];
    } else if (input.ssoRequired) {
      fields.breakGlassUserId = ["Choose a break-glass owner who keeps password sign-in"];
    }
    if (allowedDomains.length) {
      // A domain leads to one workspace: the sign-in page finds the provider by it, and one workspace's provider must
      // not vouch for another's people.
      const [taken] = await tx.db
        .select({ domains: ssoProviders.allowedDomains })
        .from(ssoProviders)
        .where(and(ne(ssoProviders.workspaceId, workspaceId), sql`${ssoProviders.allowedDomains} && ${sql.param(allowedDomains)}::text[]`))
        .limit(1);
      if (taken) fields.allowedDomains = [`Already used by another workspace's single sign-on: ${taken.domains.filter((d) => allowedDomains.includes(d)).join(", ")}`];
    }
    if (Object.keys(fields).length) throw invalidInput(fields);
    const clientSecret = input.clientSecret ? input.clientSecret : tx.services.secrets.open(before!.clientSecret);
    await discoverProvider(tx.services, { issuer, clientId: input.clientId.trim(), clientSecret });
    const values = {
      issuer,
      clientId: input.clientId.trim(),
      allowedDomains,
      defaultRole: input.defaultRole,
      teamsClaim: input.teamsClaim?.trim() || null,
      ssoRequired: input.ssoRequired,
      breakGlassUserId,
      updatedAt: tx.now(),
      ...(input.clientSecret ? { clientSecret: tx.services.secrets.seal(input.clientSecret) } : {}),
    };
    const [after] = before
      ? await tx.db.update(ssoProviders).set(values).where(eq(ssoProviders.id, before.id)).returning()
      : await tx.db.insert(ssoProviders).values({ ...values, workspaceId, clientSecret: tx.services.secrets.seal(input.clientSecret!), createdAt: tx.now() }).returning();
    const visible = (p: typeof after) => {
      const { issuer, clientId, allowedDomains, defaultRole, teamsClaim, ssoRequired, breakGlassUserId } = p;
      return { issuer, clientId, allowedDomains, defaultRole, teamsClaim, ssoRequired, breakGlassUserId };
    };
    await tx.audit(
      { type: "sso.configured", data: { providerId: after.id, before: before ? visible(before) : null, after: visible(after), clientSecretChanged: Boolean(input.clientSecret) } },
      { type: "workspace", id: workspaceId },
    );
    return presentSsoSettings(tx.services, after);
  });
}
