import { and, desc, eq, isNull, lte, notInArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sandboxScenarioRuns } from "./sandbox.schema";
import { runScenarioTick, SANDBOX_SCENARIOS, type ScenarioId } from "./scenarios";

/**
 * Scenarios playing on the Sandbox (table `sandbox_scenario_runs`): started by an admin, played tick by tick by the
 * `sandbox.play-scenarios` job (or at once, "play next tick"). The network's side only: who may start one and the
 * audit log are Parapet's (src/server/domains/sandbox).
 */

export type SandboxScenarioRun = typeof sandboxScenarioRuns.$inferSelect;
export type SandboxScenarioRunStatus = "running" | "finished" | "stopped";

export const DEFAULT_TICK_EVERY_SECONDS = 60;
/** The job runs once a minute: a shorter interval would not play any faster. */
export const MIN_TICK_EVERY_SECONDS = 60;
export const MAX_TICK_EVERY_SECONDS = 24 * 60 * 60;

export function isScenarioId(id: string): id is ScenarioId {
  return Object.hasOwn(SANDBOX_SCENARIOS, id);
}

export function statusOf(run: SandboxScenarioRun): SandboxScenarioRunStatus {
  if (run.stoppedAt) return "stopped";
  if (run.finishedAt) return "finished";
  return "running";
}

/** Stores a new run of the scenario; its first tick is due at once. `run` keys its beats, so it plays anew. */
export async function createSandboxScenarioRun(
  db: Db,
  input: { scenario: ScenarioId; tickEverySeconds: number; startedBy: string | null; now: Date; run: string },
): Promise<SandboxScenarioRun> {
  const [row] = await db
    .insert(sandboxScenarioRuns)
    .values({ scenario: input.scenario, run: input.run, tickEverySeconds: input.tickEverySeconds, startedAt: input.now, startedBy: input.startedBy, nextTickAt: input.now })
    .returning();
  return row;
}

/** The running run of the scenario, if any (one at a time per scenario). */
export async function findRunningSandboxScenarioRun(db: Db, scenario: ScenarioId): Promise<SandboxScenarioRun | null> {
  const [row] = await db
    .select()
    .from(sandboxScenarioRuns)
    .where(and(eq(sandboxScenarioRuns.scenario, scenario), isNull(sandboxScenarioRuns.finishedAt), isNull(sandboxScenarioRuns.stoppedAt)))
    .limit(1);
  return row ?? null;
}

/** The run, locked until the transaction ends (call inside one); null when there is none with this id. */
export async function lockSandboxScenarioRun(db: Db, runId: string): Promise<SandboxScenarioRun | null> {
  const [row] = await db.select().from(sandboxScenarioRuns).where(eq(sandboxScenarioRuns.id, runId)).for("update");
  return row ?? null;
}

/** Runs newest first (the page shows each scenario's latest). */
export async function listSandboxScenarioRuns(db: Db, limit = 50): Promise<SandboxScenarioRun[]> {
  return db.select().from(sandboxScenarioRuns).orderBy(desc(sandboxScenarioRuns.startedAt), desc(sandboxScenarioRuns.id)).limit(limit);
}

export type PlayedTick = { run: SandboxScenarioRun; added: number };

/**
 * Plays the next tick of a running run and records the progress; the next one is due `tickEverySeconds` later.
 * Call it in a transaction that holds the run's lock (lockSandboxScenarioRun or the job's claim): the beats and the
 * progress then commit together, and a crash half-way leaves neither (the tick is played again, once).
 */
export async function playSandboxScenarioRunTick(db: Db, run: SandboxScenarioRun, now: Date): Promise<PlayedTick> {
  if (!isScenarioId(run.scenario)) throw new Error(`unknown Sandbox scenario "${run.scenario}"`);
  const tick = await runScenarioTick(db, SANDBOX_SCENARIOS[run.scenario], now, { run: run.run });
  const [updated] = await db
    .update(sandboxScenarioRuns)
    .set({
      ticksPlayed: tick.ticksPlayed,
      itemsAdded: sql`${sandboxScenarioRuns.itemsAdded} + ${tick.added}`,
      nextTickAt: tick.finished ? null : new Date(now.getTime() + run.tickEverySeconds * 1000),
      finishedAt: tick.finished ? now : null,
    })
    .where(eq(sandboxScenarioRuns.id, run.id))
    .returning();
  return { run: updated, added: tick.added };
}

/** Stops a run: no more ticks. What it added stays on the network. */
export async function stopSandboxScenarioRun(db: Db, run: SandboxScenarioRun, now: Date): Promise<SandboxScenarioRun> {
  const [updated] = await db.update(sandboxScenarioRuns).set({ stoppedAt: now, nextTickAt: null }).where(eq(sandboxScenarioRuns.id, run.id)).returning();
  return updated;
}

export type DuePlayOutcome = { played: PlayedTick[]; failed: Array<{ runId: string; error: string }> };

/**
 * Plays one tick of every run that is due, each in its own transaction: it claims the run with `FOR UPDATE SKIP
 * LOCKED`, so two workers never play the same tick, and a run another worker is playing is left to it. A run whose
 * tick fails (the Sandbox is not seeded, say) is put off by its interval and reported, without holding up the others.
 */
export async function playDueSandboxScenarioRuns(db: Db, now: Date): Promise<DuePlayOutcome> {
  const outcome: DuePlayOutcome = { played: [], failed: [] };
  const tried: string[] = [];
  for (;;) {
    let claimedId: string | null = null;
    try {
      const played = await db.transaction(async (tx) => {
        const [due] = await tx
          .select()
          .from(sandboxScenarioRuns)
          .where(
            and(
              lte(sandboxScenarioRuns.nextTickAt, now),
              isNull(sandboxScenarioRuns.finishedAt),
              isNull(sandboxScenarioRuns.stoppedAt),
              tried.length > 0 ? notInArray(sandboxScenarioRuns.id, tried) : undefined,
            ),
          )
          .orderBy(sandboxScenarioRuns.nextTickAt)
          .limit(1)
          .for("update", { skipLocked: true });
        if (!due) return null;
        claimedId = due.id;
        tried.push(due.id);
        return playSandboxScenarioRunTick(tx as unknown as Db, due, now);
      });
      if (!played) return outcome;
      outcome.played.push(played);
    } catch (err) {
      if (claimedId === null) throw err;
      const run = claimedId as string;
      outcome.failed.push({ runId: run, error: err instanceof Error ? err.message : String(err) });
      // Try again one interval later rather than every minute.
      await db
        .update(sandboxScenarioRuns)
        .set({ nextTickAt: sql`${now.toISOString()}::timestamptz + make_interval(secs => ${sandboxScenarioRuns.tickEverySeconds})` })
        .where(and(eq(sandboxScenarioRuns.id, run), isNull(sandboxScenarioRuns.stoppedAt), isNull(sandboxScenarioRuns.finishedAt)));
    }
  }
}
