import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { statusOf, stopSandboxScenarioRun, type SandboxScenarioRun } from "../../../networks/sandbox/scenario-runs";
import { runNotRunning } from "../sandbox.errors";
import { findRunForUpdate } from "../sandbox-runs";

/** Stops a playing scenario run: no further ticks. What it already added stays on the Sandbox. */
export async function stopSandboxScenario(ctx: Ctx, input: { runId: string }): Promise<SandboxScenarioRun> {
  authorize(ctx.actor, "sandbox.manage");
  return inTransaction(ctx, async (tx) => {
    const run = await findRunForUpdate(tx, input.runId);
    if (statusOf(run) !== "running") throw runNotRunning();
    const stopped = await stopSandboxScenarioRun(tx.db, run, tx.now());
    await tx.audit({ type: "sandbox.scenario_stopped", data: { runId: run.id, scenario: run.scenario, ticksPlayed: run.ticksPlayed } }, { type: "sandbox_scenario_run", id: run.id });
    return stopped;
  });
}
