import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { playSandboxScenarioRunTick, statusOf, type PlayedTick } from "../../../networks/sandbox/scenario-runs";
import { runNotRunning } from "../sandbox.errors";
import { explainNotSeeded, findRunForUpdate } from "../sandbox-runs";

/**
 * Plays a running scenario's next tick now instead of waiting for it (demos, tests); the one after is due a full
 * interval later. The run stays locked while it plays, so the job cannot play the same tick at the same time.
 */
export async function playNextSandboxTick(ctx: Ctx, input: { runId: string }): Promise<PlayedTick> {
  authorize(ctx.actor, "sandbox.manage");
  return inTransaction(ctx, async (tx) => {
    const run = await findRunForUpdate(tx, input.runId);
    if (statusOf(run) !== "running") throw runNotRunning();
    const played = await explainNotSeeded(playSandboxScenarioRunTick(tx.db, run, tx.now()));
    await tx.audit(
      { type: "sandbox.scenario_tick_played", data: { runId: run.id, scenario: run.scenario, ticksPlayed: played.run.ticksPlayed, added: played.added } },
      { type: "sandbox_scenario_run", id: run.id },
    );
    return played;
  });
}
