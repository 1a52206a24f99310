import * as oidc from "openid-client";
import type { Services } from "../../context";
import { ssoProviderUnreachable } from "./sso.errors";

/** What talking to a provider needs: its issuer and Parapet's client registration there. */
export type ProviderClient = { issuer: string; clientId: string; clientSecret: string };

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Plain http is accepted only for a provider on this machine (tests, a local IdP); anything else must be https. */
export function issuerAllowsHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === "http:" && LOOPBACK.has(url.hostname);
}

/** Where providers send people back: registered with the provider as the redirect URI. */
export function ssoRedirectUri(services: Services): string {
  return `${services.config.publicUrl}/api/v1/auth/sso/callback`;
}

/**
 * The provider's configuration from its discovery document (`/.well-known/openid-configuration`), with Parapet's
 * client credentials (client_secret_basic). Throws `sso_provider_unreachable` when it does not answer as one.
 */
export async function discoverProvider(services: Services, client: ProviderClient): Promise<oidc.Configuration> {
  try {
    return await oidc.discovery(new URL(client.issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret), {
      // openid-client trusts an ID token from the token endpoint on the strength of TLS alone (OIDC Core 3.1.3.7
      // allows it); Parapet also checks its signature against the provider's published keys.
      execute: [oidc.enableNonRepudiationChecks, ...(issuerAllowsHttp(client.issuer) ? [oidc.allowInsecureRequests] : [])],
      timeout: 10,
    });
  } catch (err) {
    services.log.warn({ err, issuer: client.issuer }, "OpenID provider discovery failed");
    throw ssoProviderUnreachable();
  }
}

export { oidc };
