import type { Ctx, Services } from "../../../context";
import { authorize } from "../../../authz";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { ssoRedirectUri } from "../oidc";
import { parseCertificates, samlServiceProvider, type CertificateInfo } from "../saml";
import { ssoProviderOf, type SsoProvider } from "./sso-provider";

/** What an admin gives their identity provider: the OIDC redirect URI, or the SAML service provider's addresses. */
function whatTheProviderNeeds(services: Services, workspaceId: string) {
  return { redirectUri: ssoRedirectUri(services), saml: samlServiceProvider(services, workspaceId) };
}

/** The settings as admins see them: never the client secret, only whether one is set; the IdP certificates' details. */
export function presentSsoSettings(services: Services, p: SsoProvider) {
  const certificates: CertificateInfo[] = (p.samlCertificates ?? []).flatMap((pem) => {
    const parsed = parseCertificates(pem);
    return "infos" in parsed ? parsed.infos : [];
  });
  return {
    configured: true as const,
    protocol: p.protocol as "oidc" | "saml",
    issuer: p.issuer,
    clientId: p.clientId,
    clientSecretSet: Boolean(p.clientSecret),
    idpSsoUrl: p.samlSsoUrl,
    idpCertificate: p.samlCertificates?.join("") ?? null,
    idpCertificates: certificates,
    emailAttribute: p.samlEmailAttribute,
    nameAttribute: p.samlNameAttribute,
    allowedDomains: p.allowedDomains,
    defaultRole: p.defaultRole as "admin" | "manager" | "member",
    teamsClaim: p.teamsClaim,
    ssoRequired: p.ssoRequired,
    breakGlassUserId: p.breakGlassUserId,
    ...whatTheProviderNeeds(services, p.workspaceId),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** The workspace's single sign-on settings, or `configured: false` with what to register at a provider. */
export async function getSsoSettings(ctx: Ctx) {
  authorize(ctx.actor, "workspace.update");
  const { workspaceId } = currentWorkspace(ctx);
  const provider = await ssoProviderOf(ctx.db, workspaceId);
  return provider ? presentSsoSettings(ctx.services, provider) : { configured: false as const, ...whatTheProviderNeeds(ctx.services, workspaceId) };
}
