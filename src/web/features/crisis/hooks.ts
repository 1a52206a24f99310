import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as contract from "../../../contracts/crises";
import { api, toQuery } from "../../api/client";
import { useActiveMe } from "../../app/session";

export type Crisis = contract.Crisis;
export type CrisisListItem = z.infer<typeof contract.CrisisListItem>;
export type HeldPost = z.infer<typeof contract.HeldPost>;
export type AwaitingApproval = z.infer<typeof contract.AwaitingCrisisApproval>;
export type CrisisNotice = contract.CrisisNotice;
export type CrisisBanner = z.infer<typeof contract.CrisisBanner>;
export type Proposal = z.infer<typeof contract.CrisisProposal>;
export type SeverityLevel = { level: number; name: string; description: string };

export const CRISES_KEY = ["crisis", "crises"] as const;
const REFRESH_MS = 30_000;

export function useCrises(status: "open" | "all") {
  return useQuery({ queryKey: [...CRISES_KEY, "list", status], queryFn: () => api<{ crises: CrisisListItem[] }>("GET", `/crisis/crises${toQuery({ status })}`).then((r) => r.crises) });
}

export function useCrisis(crisisId: string | undefined) {
  return useQuery({ queryKey: [...CRISES_KEY, crisisId], queryFn: () => api<Crisis>("GET", `/crisis/crises/${crisisId}`), enabled: Boolean(crisisId), refetchInterval: REFRESH_MS });
}

export function useHeldPosts(crisisId: string) {
  return useQuery({ queryKey: [...CRISES_KEY, crisisId, "held"], queryFn: () => api<{ heldPosts: HeldPost[] }>("GET", `/crisis/crises/${crisisId}/held-posts`).then((r) => r.heldPosts) });
}

/** Posts waiting for the crisis team's approval (refreshed with the crisis; approving one elsewhere refreshes "posts"). */
export function useAwaitingApproval(crisisId: string) {
  return useQuery({
    queryKey: [...CRISES_KEY, crisisId, "awaiting-approval"],
    queryFn: () => api<{ posts: AwaitingApproval[] }>("GET", `/crisis/crises/${crisisId}/awaiting-approval`).then((r) => r.posts),
    refetchInterval: REFRESH_MS,
  });
}

/** Crisis mode's notices to stakeholders' destinations; refreshed every 10 s while one is still queued or retrying. */
export function useCrisisNotices(crisisId: string) {
  return useQuery({
    queryKey: [...CRISES_KEY, crisisId, "notices"],
    queryFn: () => api<{ notices: CrisisNotice[] }>("GET", `/crisis/crises/${crisisId}/notices`).then((r) => r.notices),
    refetchInterval: (query) => (query.state.data?.some((n) => n.status === "queued" || n.status === "retrying") ? 10_000 : false),
  });
}

/** The banner on every page (for members of a workspace who may read crises). */
export function useCrisisBanner() {
  const me = useActiveMe();
  const allowed = me.workspace !== null && me.can?.["crisis.read"] === true;
  return useQuery({ queryKey: [...CRISES_KEY, "banner"], queryFn: () => api<CrisisBanner>("GET", "/crisis/banner"), enabled: allowed, refetchInterval: REFRESH_MS });
}

export function useSeverityLevels() {
  return useQuery({ queryKey: ["crisis", "severities"], queryFn: () => api<{ severities: SeverityLevel[] }>("GET", "/crisis/severities").then((r) => r.severities) });
}

export function usePlanChoices() {
  return useQuery({ queryKey: ["crisis", "plans", "list"], queryFn: () => api<{ plans: Array<{ id: string; name: string; scenario: string; archivedAt?: string | null }> }>("GET", "/crisis/plans").then((r) => r.plans) });
}

export function useProposal(alertId: string | undefined) {
  return useQuery({ queryKey: ["crisis", "proposal", alertId], queryFn: () => api<Proposal>("GET", `/crisis/proposal${toQuery({ alertId })}`), enabled: Boolean(alertId) });
}

export function useDeclareCrisis() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof contract.DeclareCrisisBody>) => api<Crisis>("POST", "/crisis/crises", body),
    onSuccess: () => void client.invalidateQueries({ queryKey: CRISES_KEY }),
  });
}

/** Any change to a crisis (transition, severity, roles, crisis mode, a held post's decision): refreshes everything about it. */
export function useCrisisAction(crisisId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ method, path, body }: { method: "POST" | "PATCH" | "DELETE"; path: string; body?: unknown }) => api<unknown>(method, `/crisis/crises/${crisisId}${path}`, body),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["crisis"] }); // the crisis, its room, the banner
      void client.invalidateQueries({ queryKey: ["posts"] });
      void client.invalidateQueries({ queryKey: ["publishing-status"] });
    },
  });
}
