import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AlertDetail, Alert, Impostor } from "../../../contracts/listening-alerts";
import { api, toQuery } from "../../api/client";
import { useCan } from "../../app/session";

export type { Alert, AlertDetail, Impostor };
export const ALERTS_KEY = ["listening", "alerts"] as const;
export const IMPOSTORS_KEY = ["listening", "impostors"] as const;
const REFRESH_MS = 30_000;

export function useAlerts(filters: { kind?: string; status?: string; stream?: string }) {
  const allowed = useCan("listening.read");
  return useQuery({
    queryKey: [...ALERTS_KEY, "list", filters],
    queryFn: () => api<{ alerts: Alert[]; open: number }>("GET", `/listening/alerts${toQuery(filters)}`),
    enabled: allowed,
    refetchInterval: REFRESH_MS,
  });
}

/** How many alerts are open (the navigation's badge). */
export function useOpenAlertCount(): number {
  const query = useAlerts({ status: "open" });
  return query.data?.open ?? 0;
}

export function useAlert(alertId: string | undefined) {
  return useQuery({ queryKey: [...ALERTS_KEY, alertId], queryFn: () => api<AlertDetail>("GET", `/listening/alerts/${alertId}`), enabled: Boolean(alertId) });
}

export function useSetAlertStatus(alertId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (status: "acknowledged" | "resolved") => api<AlertDetail>("POST", `/listening/alerts/${alertId}/status`, { status }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ALERTS_KEY }),
  });
}

export function useImpostors(status?: string) {
  return useQuery({ queryKey: [...IMPOSTORS_KEY, status], queryFn: () => api<{ impostors: Impostor[] }>("GET", `/listening/impostors${toQuery({ status })}`).then((r) => r.impostors) });
}

export function useSetImpostorStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: Impostor["status"] }) => api<Impostor>("POST", `/listening/impostors/${id}/status`, { status }),
    onSuccess: () => void client.invalidateQueries({ queryKey: IMPOSTORS_KEY }),
  });
}
