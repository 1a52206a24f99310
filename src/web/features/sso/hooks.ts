import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useCan } from "../../app/session";

export type SsoRole = "admin" | "manager" | "member";
export type SsoProtocol = "oidc" | "saml";
/** Parapet as a SAML service provider for the workspace: what the admin gives their IdP. */
export type SamlServiceProvider = { entityId: string; acsUrl: string; metadataUrl: string };
export type SamlCertificate = { subject: string; issuer: string; notBefore: string; notAfter: string; fingerprint: string };
export type SsoSettings =
  | { configured: false; redirectUri: string; saml: SamlServiceProvider }
  | {
      configured: true;
      protocol: SsoProtocol;
      issuer: string;
      clientId: string | null;
      clientSecretSet: boolean;
      idpSsoUrl: string | null;
      idpCertificate: string | null;
      idpCertificates: SamlCertificate[];
      emailAttribute: string | null;
      nameAttribute: string | null;
      allowedDomains: string[];
      defaultRole: SsoRole;
      teamsClaim: string | null;
      ssoRequired: boolean;
      breakGlassUserId: string | null;
      redirectUri: string;
      saml: SamlServiceProvider;
      updatedAt: string;
    };
export type ConfigureSso = {
  protocol: SsoProtocol;
  issuer: string;
  clientId?: string;
  clientSecret?: string;
  idpSsoUrl?: string;
  idpCertificate?: string;
  emailAttribute?: string | null;
  nameAttribute?: string | null;
  allowedDomains: string[];
  defaultRole: SsoRole;
  teamsClaim: string | null;
  ssoRequired: boolean;
  breakGlassUserId: string | null;
};

export const SSO_KEY = ["workspace", "sso"] as const;

/** The workspace's single sign-on settings (admins). */
export function useSsoSettings() {
  const allowed = useCan("workspace.update");
  return useQuery({ queryKey: SSO_KEY, queryFn: () => api<SsoSettings>("GET", "/workspace/sso"), enabled: allowed });
}

/** Saves the provider settings (PUT /workspace/sso). */
export function useConfigureSso() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ConfigureSso) => api<SsoSettings>("PUT", "/workspace/sso", body),
    onSuccess: (settings) => queryClient.setQueryData(SSO_KEY, settings),
  });
}

/** Removes the provider (DELETE /workspace/sso). */
export function useRemoveSso() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api("DELETE", "/workspace/sso"),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: SSO_KEY }),
  });
}

/** Starts SSO for a work email and sends the browser to the identity provider (OpenID Connect or SAML alike). */
export function useStartSso() {
  return useMutation({
    mutationFn: (email: string) => api<{ authorizeUrl: string }>("POST", "/auth/sso/start", { email }),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
}
