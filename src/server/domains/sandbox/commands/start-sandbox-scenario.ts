import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import {
  createSandboxScenarioRun,
  DEFAULT_TICK_EVERY_SECONDS,
  findRunningSandboxScenarioRun,
  isScenarioId,
  MAX_TICK_EVERY_SECONDS,
  MIN_TICK_EVERY_SECONDS,
  type SandboxScenarioRun,
} from "../../../networks/sandbox/scenario-runs";
import { missingScenarioAccounts, SANDBOX_SCENARIOS } from "../../../networks/sandbox/scenarios";
import { sandboxScenarioRuns } from "../../../networks/sandbox/sandbox.schema";
import { sandboxNotSeeded, scenarioAlreadyRunning, scenarioUnknown, tickIntervalOutOfRange } from "../sandbox.errors";

export type StartSandboxScenarioInput = { scenario: string; tickEverySeconds?: number };

/**
 * Starts a scenario on the Sandbox (demo, crisis drill): a new run, with its own beat keys so it plays anew; its first
 * tick is due at once and the `sandbox.play-scenarios` job plays one tick every `tickEverySeconds`. One run of a
 * scenario plays at a time.
 */
export async function startSandboxScenario(ctx: Ctx, input: StartSandboxScenarioInput): Promise<SandboxScenarioRun> {
  authorize(ctx.actor, "sandbox.manage");
  if (!isScenarioId(input.scenario)) throw scenarioUnknown(input.scenario);
  const scenario = SANDBOX_SCENARIOS[input.scenario];
  const tickEverySeconds = input.tickEverySeconds ?? DEFAULT_TICK_EVERY_SECONDS;
  if (!Number.isInteger(tickEverySeconds) || tickEverySeconds < MIN_TICK_EVERY_SECONDS || tickEverySeconds > MAX_TICK_EVERY_SECONDS) {
    throw tickIntervalOutOfRange(MIN_TICK_EVERY_SECONDS, MAX_TICK_EVERY_SECONDS);
  }
  return inTransaction(ctx, async (tx) => {
    // Two admins pressing Start at once: the second waits here and then finds the first one's run.
    // (No unique index says "one running run per scenario", so a short table lock does.)
    await tx.db.execute(sql`lock table ${sandboxScenarioRuns} in share row exclusive mode`);
    if (await findRunningSandboxScenarioRun(tx.db, scenario.id)) throw scenarioAlreadyRunning();
    const missing = await missingScenarioAccounts(tx.db, scenario);
    if (missing.length > 0) throw sandboxNotSeeded(`missing ${missing.map((handle) => `@${handle}`).join(", ")}`);
    const run = await createSandboxScenarioRun(tx.db, {
      scenario: scenario.id,
      run: randomUUID(),
      tickEverySeconds,
      startedBy: tx.actor.type === "user" ? tx.actor.userId : null,
      now: tx.now(),
    });
    await tx.audit({ type: "sandbox.scenario_started", data: { runId: run.id, scenario: scenario.id, tickEverySeconds } }, { type: "sandbox_scenario_run", id: run.id });
    return run;
  });
}
