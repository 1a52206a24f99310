import type { z } from "zod";
import type { SandboxScenarioRun as PresentedRun } from "../../../contracts/api";
import type { Ctx } from "../../context";
import { notFound } from "../../errors";
import { lockSandboxScenarioRun, statusOf, type SandboxScenarioRun } from "../../networks/sandbox/scenario-runs";
import { SANDBOX_SCENARIOS, SandboxNotSeededError, type ScenarioId } from "../../networks/sandbox/scenarios";
import { sandboxNotSeeded } from "./sandbox.errors";

export type { SandboxScenarioRun };

/** A run as the API shows it: its status and progress (ticks played of the scenario's ticks). */
export function presentRun(run: SandboxScenarioRun): z.infer<typeof PresentedRun> {
  const scenario = SANDBOX_SCENARIOS[run.scenario as ScenarioId];
  return {
    id: run.id,
    scenario: run.scenario as ScenarioId,
    status: statusOf(run),
    ticksPlayed: run.ticksPlayed,
    ticksTotal: scenario?.ticks.length ?? run.ticksPlayed,
    itemsAdded: run.itemsAdded,
    tickEverySeconds: run.tickEverySeconds,
    startedAt: run.startedAt.toISOString(),
    startedBy: run.startedBy,
    nextTickAt: run.nextTickAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    stoppedAt: run.stoppedAt?.toISOString() ?? null,
  };
}

/** The run, locked for the rest of the transaction; `not_found` when there is none. */
export async function findRunForUpdate(ctx: Ctx, runId: string): Promise<SandboxScenarioRun> {
  const run = await lockSandboxScenarioRun(ctx.db, runId);
  if (!run) throw notFound("Scenario run");
  return run;
}

/** Turns the network's "not seeded" into the API's `sandbox_not_seeded`; anything else goes on as it was. */
export async function explainNotSeeded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof SandboxNotSeededError) throw sandboxNotSeeded(err.message);
    throw err;
  }
}
