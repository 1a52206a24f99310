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
import { parseCertificates } from "../saml";
import { ssoProviders } from "../sso.schema";
import { presentSsoSettings } from "../queries/sso-settings";

export type ConfigureSsoInput = {
  /** OpenID Connect (the default) or SAML 2.0; switching clears the other protocol's settings. */
  protocol?: "oidc" | "saml";
  /** OIDC: the issuer URL. SAML: the IdP's entity ID (the Issuer of its assertions). */
  issuer: string;
  /** OIDC only. */
  clientId?: string;
  /** OIDC only. Required the first time; left out, the stored one is kept. */
  clientSecret?: string;
  /** SAML only: the IdP's single sign-on URL (HTTP-Redirect binding). */
  idpSsoUrl?: string;
  /** SAML only: the IdP's signing certificate(s), PEM. Required the first time; left out, the stored ones are kept. */
  idpCertificate?: string;
  /** SAML only: attribute names for the email and the name; empty: the usual names. */
  emailAttribute?: string | null;
  nameAttribute?: string | null;
  allowedDomains: string[];
  defaultRole: Role;
  teamsClaim?: string | null;
  ssoRequired: boolean;
  breakGlassUserId?: string | null;
};

/**
 * Sets up (or changes) the workspace's identity provider, OpenID Connect or SAML 2.0, with the same policy for both.
 * OIDC: the provider must answer discovery; the client secret is sealed and never returned. SAML: the IdP's SSO URL
 * and its signing certificate(s), which must parse as X.509. "SSO required" needs a break-glass owner with MFA, who
 * keeps password sign-in so that an outage of the provider does not lock the workspace out.
 */
export async function configureSso(ctx: Ctx, input: ConfigureSsoInput) {
  authorize(ctx.actor, "workspace.update");
  const { workspaceId, role: actorRole } = currentWorkspace(ctx);
  const protocol = input.protocol ?? "oidc";
  const fields: Record<string, string[]> = {};
  const issuer = protocol === "oidc" ? input.issuer.trim().replace(/\/$/, "") : input.issuer.trim();
  if (protocol === "oidc") {
    if (!urlIsAllowed(issuer)) fields.issuer = ["Enter the provider's issuer URL with https, e.g. https://login.example.com"];
    if (!input.clientId?.trim()) fields.clientId = ["Enter the client ID"];
  } else {
    if (!issuer) fields.issuer = ["Enter the identity provider's entity ID (its Issuer)"];
    if (!urlIsAllowed(input.idpSsoUrl?.trim() ?? "")) fields.idpSsoUrl = ["Enter the identity provider's single sign-on URL with https"];
  }
  const certificates = input.idpCertificate?.trim() ? parseCertificates(input.idpCertificate) : null;
  if (certificates && "error" in certificates) fields.idpCertificate = [certificates.error];
  const allowedDomains = [...new Set(input.allowedDomains.map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))];
  if (!allowedDomains.length) fields.allowedDomains = ["Allow at least one email domain"];
  if (allowedDomains.some((d) => !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(d))) fields.allowedDomains = ["Enter domains like example.com"];
  if (input.defaultRole === "owner" || !mayInviteAs(actorRole, input.defaultRole)) fields.defaultRole = ["Choose a role below owner that you may give"];
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(ssoProviders).where(eq(ssoProviders.workspaceId, workspaceId)).for("update");
    const sameProtocol = before?.protocol === protocol;
    if (protocol === "oidc" && !sameProtocol && !input.clientSecret) fields.clientSecret = ["Enter the client secret"];
    if (protocol === "saml" && !sameProtocol && !certificates) fields.idpCertificate = ["Paste the identity provider's signing certificate (PEM)"];
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
    const policy = {
      protocol,
      issuer,
      allowedDomains,
      defaultRole: input.defaultRole,
      teamsClaim: input.teamsClaim?.trim() || null,
      ssoRequired: input.ssoRequired,
      breakGlassUserId,
      updatedAt: tx.now(),
    };
    let values: Partial<typeof ssoProviders.$inferInsert>;
    if (protocol === "oidc") {
      const clientSecret = input.clientSecret ? input.clientSecret : tx.services.secrets.open(before!.clientSecret!);
      await discoverProvider(tx.services, { issuer, clientId: input.clientId!.trim(), clientSecret });
      values = {
        ...policy,
        clientId: input.clientId!.trim(),
        clientSecret: input.clientSecret ? tx.services.secrets.seal(input.clientSecret) : before!.clientSecret,
        ...NO_SAML,
      };
    } else {
      values = {
        ...policy,
        samlSsoUrl: input.idpSsoUrl!.trim(),
        samlCertificates: certificates && "pems" in certificates ? certificates.pems : before!.samlCertificates,
        samlEmailAttribute: input.emailAttribute?.trim() || null,
        samlNameAttribute: input.nameAttribute?.trim() || null,
        clientId: null,
        clientSecret: null,
      };
    }
    const [after] = before
      ? await tx.db.update(ssoProviders).set(values).where(eq(ssoProviders.id, before.id)).returning()
      : await tx.db.insert(ssoProviders).values({ ...values, issuer, allowedDomains, defaultRole: input.defaultRole, workspaceId, createdAt: tx.now() }).returning();
    const visible = (p: typeof after) => {
      const { protocol, issuer, clientId, allowedDomains, defaultRole, teamsClaim, ssoRequired, breakGlassUserId, samlSsoUrl, samlEmailAttribute, samlNameAttribute } = p;
      const certificates = (p.samlCertificates ?? []).map((pem) => {
        const parsed = parseCertificates(pem);
        return "infos" in parsed ? parsed.infos[0].fingerprint : "unreadable";
      });
      return protocol === "saml"
        ? { protocol, issuer, samlSsoUrl, samlCertificates: certificates, samlEmailAttribute, samlNameAttribute, allowedDomains, defaultRole, teamsClaim, ssoRequired, breakGlassUserId }
        : { protocol, issuer, clientId, allowedDomains, defaultRole, teamsClaim, ssoRequired, breakGlassUserId };
    };
    await tx.audit(
      { type: "sso.configured", data: { providerId: after.id, before: before ? visible(before) : null, after: visible(after), clientSecretChanged: Boolean(protocol === "oidc" && input.clientSecret) } },
      { type: "workspace", id: workspaceId },
    );
    return presentSsoSettings(tx.services, after);
  });
}

const NO_SAML = { samlSsoUrl: null, samlCertificates: null, samlEmailAttribute: null, samlNameAttribute: null };

/** An https URL, or plain http for a service on this machine (tests, a local IdP). */
function urlIsAllowed(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || issuerAllowsHttp(value);
  } catch {
    return false;
  }
}
