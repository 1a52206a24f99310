import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { Team } from "../../api/types";
import { useCan } from "../../app/session";

export const TEAMS_KEY = ["workspace", "teams"] as const;

/** The current workspace's teams (only asked when the person may read them). */
export function useTeams() {
  const allowed = useCan("teams.read");
  return useQuery({
    queryKey: TEAMS_KEY,
    queryFn: () => api<{ teams: Team[] }>("GET", "/workspace/teams").then((r) => r.teams),
    enabled: allowed,
  });
}
