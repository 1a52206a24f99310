import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as contract from "../../../contracts/crisis-plans";
import { api } from "../../api/client";

export type Severity = contract.Severity;
export type Plan = contract.Plan;
export type PlanSummary = contract.PlanSummary;
export type PlanContent = contract.CrisisPlanContent;
export type PlanVersion = z.infer<typeof contract.PlanVersionSummary>;

export const SEVERITIES_KEY = ["crisis", "severities"] as const;
export const PLANS_KEY = ["crisis", "plans"] as const;

export function useSeverities() {
  return useQuery({ queryKey: SEVERITIES_KEY, queryFn: () => api<{ severities: Severity[] }>("GET", "/crisis/severities").then((r) => r.severities) });
}

export function useUpdateSeverity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ level, ...change }: Partial<Severity> & { level: number }) => api<Severity>("PATCH", `/crisis/severities/${level}`, change),
    onSuccess: () => void client.invalidateQueries({ queryKey: SEVERITIES_KEY }),
  });
}

/** Alert destinations a stakeholder can be told through (kind and name only). */
export function useStakeholderDestinations() {
  return useQuery({ queryKey: ["crisis", "stakeholder-destinations"], queryFn: () => api<{ destinations: contract.StakeholderDestination[] }>("GET", "/crisis/stakeholder-destinations").then((r) => r.destinations) });
}

export function usePlans() {
  return useQuery({ queryKey: [...PLANS_KEY, "list"], queryFn: () => api<{ plans: PlanSummary[] }>("GET", "/crisis/plans").then((r) => r.plans) });
}

export function usePlan(planId: string) {
  return useQuery({ queryKey: [...PLANS_KEY, planId], queryFn: () => api<Plan>("GET", `/crisis/plans/${planId}`) });
}

export function usePlanVersions(planId: string) {
  return useQuery({ queryKey: [...PLANS_KEY, planId, "versions"], queryFn: () => api<{ versions: PlanVersion[] }>("GET", `/crisis/plans/${planId}/versions`).then((r) => r.versions) });
}

function usePlanMutation<T>(fn: (input: T) => Promise<Plan>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (plan) => {
      client.setQueryData([...PLANS_KEY, plan.id], plan);
      void client.invalidateQueries({ queryKey: PLANS_KEY });
    },
  });
}

export const useCreatePlan = () => usePlanMutation((body: { scenario: contract.CrisisScenario }) => api<Plan>("POST", "/crisis/plans", body));
export const useSavePlan = () =>
  usePlanMutation(({ id, ...body }: { id: string; expectedVersion: number; name: string; content: PlanContent; note?: string }) => api<Plan>("PUT", `/crisis/plans/${id}`, body));
export const useApproveStatement = () =>
  usePlanMutation(({ id, statementId, expectedVersion }: { id: string; statementId: string; expectedVersion: number }) =>
    api<Plan>("POST", `/crisis/plans/${id}/statements/${encodeURIComponent(statementId)}/approve`, { expectedVersion }),
  );
export const useArchivePlan = () => usePlanMutation(({ id, archived }: { id: string; archived: boolean }) => api<Plan>("POST", `/crisis/plans/${id}/${archived ? "archive" : "restore"}`));
