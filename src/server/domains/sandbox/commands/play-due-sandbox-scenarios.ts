import type { Services } from "../../../context";
import { playDueSandboxScenarioRuns, type DuePlayOutcome } from "../../../networks/sandbox/scenario-runs";

/**
 * The `sandbox.play-scenarios` job: plays the next tick of every scenario run that is due. Unsafe (no actor, no
 * audit): it is the simulated network's own audience acting, started by an admin whose start was audited.
 */
export async function unsafePlayDueSandboxScenarios(services: Services): Promise<DuePlayOutcome> {
  const outcome = await playDueSandboxScenarioRuns(services.database.db, services.clock());
  for (const failure of outcome.failed) services.log.warn({ runId: failure.runId, reason: failure.error }, "a Sandbox scenario tick failed; trying again after its interval");
  return outcome;
}
