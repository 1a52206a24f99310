import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { SandboxOverview, SandboxScenarioId, SandboxTickResult } from "../../../contracts/api";
import { api } from "../../api/client";
import { useCan } from "../../app/session";

export type Overview = z.infer<typeof SandboxOverview>;
export type ScenarioRun = Overview["runs"][number];
export type ScenarioId = z.infer<typeof SandboxScenarioId>;

export const SANDBOX_KEY = ["sandbox", "scenarios"] as const;

/** The Sandbox's scenarios and their runs; refreshed every 10 s while a run plays (the job plays ticks by itself). */
export function useSandboxOverview() {
  const allowed = useCan("sandbox.manage");
  return useQuery({
    queryKey: SANDBOX_KEY,
    queryFn: () => api<Overview>("GET", "/sandbox/scenarios"),
    enabled: allowed,
    refetchInterval: (query) => (query.state.data?.runs.some((run) => run.status === "running") ? 10_000 : false),
  });
}

/** The latest run of each scenario (the list is newest first). */
export function latestRuns(overview: Overview): Map<ScenarioId, ScenarioRun> {
  const latest = new Map<ScenarioId, ScenarioRun>();
  for (const run of overview.runs) if (!latest.has(run.scenario)) latest.set(run.scenario, run);
  return latest;
}

export function useSandboxActions() {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: SANDBOX_KEY });
  return {
    start: useMutation({
      mutationFn: (input: { scenario: ScenarioId; tickEverySeconds: number }) => api<ScenarioRun>("POST", "/sandbox/scenario-runs", input),
      onSettled: refresh,
    }),
    stop: useMutation({
      mutationFn: (run: ScenarioRun) => api<ScenarioRun>("POST", `/sandbox/scenario-runs/${encodeURIComponent(run.id)}/stop`),
      onSettled: refresh,
    }),
    playNext: useMutation({
      mutationFn: (run: ScenarioRun) => api<z.infer<typeof SandboxTickResult>>("POST", `/sandbox/scenario-runs/${encodeURIComponent(run.id)}/play-next-tick`),
      onSettled: refresh,
    }),
  };
}
