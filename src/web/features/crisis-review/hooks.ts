import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as contract from "../../../contracts/crisis-review";
import { api } from "../../api/client";

export type CrisisReview = contract.CrisisReview;
export type Drill = contract.Drill;
export type ReviewContent = contract.ReviewContent;

export const REVIEW_KEY = ["crisis", "review"] as const;
export const DRILLS_KEY = ["crisis", "drills"] as const;

export function useReview(crisisId: string) {
  return useQuery({ queryKey: [...REVIEW_KEY, crisisId], queryFn: () => api<CrisisReview>("GET", `/crisis/crises/${crisisId}/review`), retry: false });
}

function useReviewMutation<T>(crisisId: string, fn: (input: T) => Promise<CrisisReview>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: (review) => client.setQueryData([...REVIEW_KEY, crisisId], review) });
}

export const useDraftReview = (crisisId: string) => useReviewMutation(crisisId, () => api<CrisisReview>("POST", `/crisis/crises/${crisisId}/review`, {}));
export const useUpdateReview = (crisisId: string) =>
  useReviewMutation(crisisId, (body: z.infer<typeof contract.UpdateReviewBody>) => api<CrisisReview>("PATCH", `/crisis/crises/${crisisId}/review`, body));
export const useAddActionItem = (crisisId: string) =>
  useReviewMutation(crisisId, (body: z.infer<typeof contract.AddActionItemBody>) => api<CrisisReview>("POST", `/crisis/crises/${crisisId}/review/action-items`, body));
export const useUpdateActionItem = (crisisId: string) =>
  useReviewMutation(crisisId, ({ id, ...body }: z.infer<typeof contract.UpdateActionItemBody> & { id: string }) =>
    api<CrisisReview>("PATCH", `/crisis/crises/${crisisId}/review/action-items/${id}`, body),
  );
export const usePublishReview = (crisisId: string) => useReviewMutation(crisisId, () => api<CrisisReview>("POST", `/crisis/crises/${crisisId}/review/publish`, {}));

export function useDrills() {
  return useQuery({ queryKey: [...DRILLS_KEY, "list"], queryFn: () => api<{ drills: Drill[] }>("GET", "/crisis/drills").then((r) => r.drills) });
}

export function useDrill(drillId: string) {
  return useQuery({ queryKey: [...DRILLS_KEY, drillId], queryFn: () => api<Drill>("GET", `/crisis/drills/${drillId}`), refetchInterval: 30_000 });
}

function useDrillMutation<T>(fn: (input: T) => Promise<Drill>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (drill) => {
      client.setQueryData([...DRILLS_KEY, drill.id], drill);
      void client.invalidateQueries({ queryKey: [...DRILLS_KEY, "list"] });
    },
  });
}

export const useStartDrill = () => useDrillMutation((body: { planId: string }) => api<Drill>("POST", "/crisis/drills", body));
export const useDeclareDrill = (drillId: string) =>
  useDrillMutation((body: { alertId?: string; triage?: boolean }) => api<Drill>("POST", `/crisis/drills/${drillId}/declare`, body));
export const useFinishDrill = (drillId: string) =>
  useDrillMutation((body: { debrief?: string; abandon?: boolean }) => api<Drill>("POST", `/crisis/drills/${drillId}/finish`, body));
export const useUpdateDebrief = (drillId: string) => useDrillMutation((debrief: string) => api<Drill>("PATCH", `/crisis/drills/${drillId}`, { debrief }));
