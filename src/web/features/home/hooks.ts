import { useQuery } from "@tanstack/react-query";
import type { Overview } from "../../../contracts/overview";
import { api } from "../../api/client";
import { useCan } from "../../app/session";

export const OVERVIEW_KEY = ["workspace", "overview"] as const;

/** The risk overview of the current workspace (GET /overview): each section the reader may read, else null. */
export function useOverview() {
  const allowed = useCan("workspace.read");
  return useQuery({
    queryKey: OVERVIEW_KEY,
    queryFn: () => api<Overview>("GET", "/overview"),
    enabled: allowed,
    refetchInterval: 60_000,
  });
}
