import type { Ctx, Services } from "../../../context";
import { authorize } from "../../../authz";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { ssoRedirectUri } from "../oidc";
import { ssoProviderOf, type SsoProvider } from "./sso-provider";

/** The settings as admins see them: never the client secret, only whether one is set. */
export function presentSsoSettings(services: Services, p: SsoProvider) {
  return {
    configured: true as const,
    issuer: p.issuer,
    clientId: p.clientId,
    clientSecretSet: true,
    allowedDomains: p.allowedDomains,
    defaultRole: p.defaultRole as "admin" | "manager" | "member",
    teamsClaim: p.teamsClaim,
    ssoRequired: p.ssoRequired,
    breakGlassUserId: p.breakGlassUserId,
    redirectUri: ssoRedirectUri(services),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** The workspace's single sign-on settings, or `configured: false` with the redirect URI to register. */
export async function getSsoSettings(ctx: Ctx) {
  authorize(ctx.actor, "workspace.update");
  const { workspaceId } = currentWorkspace(ctx);
  const provider = await ssoProviderOf(ctx.db, workspaceId);
  return provider ? presentSsoSettings(ctx.services, provider) : { configured: false as const, redirectUri: ssoRedirectUri(ctx.services) };
}
