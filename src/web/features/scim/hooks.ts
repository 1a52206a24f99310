import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useCan } from "../../app/session";

export type ScimToken = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
export type ScimSettings = { baseUrl: string; tokens: ScimToken[] };

export const SCIM_KEY = ["workspace", "scim"] as const;

/** The SCIM base URL and the workspace's SCIM tokens (admins). */
export function useScimSettings() {
  const allowed = useCan("workspace.update");
  return useQuery({ queryKey: SCIM_KEY, queryFn: () => api<ScimSettings>("GET", "/workspace/scim"), enabled: allowed });
}

/** Creates a SCIM token; the answer holds its value, shown once. */
export function useCreateScimToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<{ token: string; scimToken: ScimToken }>("POST", "/workspace/scim/tokens", { name }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: SCIM_KEY }),
  });
}

/** Revokes a SCIM token: the identity provider's next request is refused. */
export function useRevokeScimToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: ScimToken) => api("DELETE", `/workspace/scim/tokens/${encodeURIComponent(token.id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: SCIM_KEY }),
  });
}
