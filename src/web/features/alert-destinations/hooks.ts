import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AlertDestination, DestinationTestOutcome } from "../../../contracts/alert-destinations";
import { api } from "../../api/client";

export type { AlertDestination, DestinationTestOutcome };
export const DESTINATIONS_KEY = ["listening", "alert-destinations"] as const;
const base = "/listening/alert-destinations";

export function useDestinations() {
  return useQuery({ queryKey: DESTINATIONS_KEY, queryFn: () => api<{ destinations: AlertDestination[] }>("GET", base).then((r) => r.destinations) });
}

export type NewDestination = { kind: AlertDestination["kind"]; name: string; target: string; kinds: string[]; locale: string };

export function useCreateDestination() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewDestination) => api<AlertDestination & { signingSecret: string | null }>("POST", base, body),
    onSuccess: () => void client.invalidateQueries({ queryKey: DESTINATIONS_KEY }),
  });
}

export function useUpdateDestination() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...change }: { id: string; name?: string; kinds?: string[]; locale?: string; enabled?: boolean }) => api<AlertDestination>("PATCH", `${base}/${id}`, change),
    onSuccess: () => void client.invalidateQueries({ queryKey: DESTINATIONS_KEY }),
  });
}

export function useDeleteDestination() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>("DELETE", `${base}/${id}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: DESTINATIONS_KEY }),
  });
}

export function useTestDestination() {
  return useMutation({ mutationFn: (id: string) => api<DestinationTestOutcome>("POST", `${base}/${id}/test`) });
}
