import { and, asc, eq, lte, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Db } from "../db/client";

/**
 * The outbox round that alert deliveries, crisis notices and mail share: rows written with the change that caused
 * them and sent afterwards. A round reads the due rows (oldest first), then for each one claims it — counts the
 * attempt and takes a lease, in one conditional UPDATE that only succeeds if nobody claimed it since it was read, so
 * two rounds (two processes, on PostgreSQL or PGlite) never take the same row — sends it, and records the outcome:
 * delivered, due again after its backoff, or given up after the last attempt. A worker that dies mid-send leaves its
 * row claimed until the lease runs out; then the row is due again (so a send may happen twice: at least once).
 */

/** What one attempt came to: sent; or not, with whether waiting could help (a busy receiver) or not (a refusal), and why. */
export type Outcome = { ok: true } | { ok: false; retry: boolean; error: string };

/** What becomes of a row after an attempt: delivered; due again at `at`; or given up for good. */
export type Settled = { state: "delivered"; at: Date } | { state: "retry"; at: Date; error: string } | { state: "failed"; error: string };

/**
 * Settles an attempt (`attempts` already counting it): delivered; due again after `backoffMs[attempts - 1]` (the
 * waits before the 2nd, 3rd, … attempt) if waiting could help; failed on a refusal or when no attempts are left.
 */
export function settleAttempt(outcome: Outcome, attempts: number, backoffMs: readonly number[], now: Date): Settled {
  if (outcome.ok) return { state: "delivered", at: now };
  if (outcome.retry && attempts <= backoffMs.length) return { state: "retry", at: new Date(now.getTime() + backoffMs[attempts - 1]), error: outcome.error };
  return { state: "failed", error: outcome.error };
}

type OutboxTable = PgTable & { attempts: PgColumn };

/** One outbox table as the round sees it: where its rows are, which are due, how a claim and an outcome are written. */
export type Outbox<T extends OutboxTable> = {
  table: T;
  /** The one row (its primary key). */
  key: (row: T["$inferSelect"]) => SQL | undefined;
  /** Which due rows go first. */
  order: PgColumn;
  /** Rows this round may take: waiting and not claimed, or claimed by a worker whose lease ran out. */
  due: (now: Date) => SQL | undefined;
  /** What a claim writes besides counting the attempt: the lease. */
  lease: (now: Date) => PgUpdateSetSource<T>;
  /** What an attempt's outcome writes. */
  record: (settled: Settled) => PgUpdateSetSource<T>;
};

/** Records an attempt's outcome, in `tx` (a transaction of the sender's, or the database); false if the row is no longer this claim's. */
export type RecordOutcome = (tx: Db, outcome: Outcome) => Promise<boolean>;

export type OutboxRound<T extends OutboxTable, Context> = {
  /** At most this many rows a round. */
  limit: number;
  /** The waits before the 2nd, 3rd, … attempt; after the last attempt a row is given up as failed. */
  backoffMs: readonly number[];
  now: () => Date;
  /** Loads what the due rows refer to, once a round (optional). */
  prepare?: (due: T["$inferSelect"][]) => Promise<Context>;
  /**
   * Sends one claimed row (its `attempts` counting this attempt). Returns the outcome, which the round records; a
   * sender that must record in its own transaction (with what it writes there) calls `record` itself. Undefined:
   * the row is gone with what it belonged to, nothing to record.
   */
  send: (row: T["$inferSelect"], context: Context, record: RecordOutcome) => Promise<Outcome | undefined>;
};

export type RoundCounts = { delivered: number; failed: number; retrying: number };

/** Runs one round over an outbox's due rows (see the top of this file); counts how they went. */
export async function deliverOutbox<T extends OutboxTable, Context = undefined>(db: Db, outbox: Outbox<T>, round: OutboxRound<T, Context>): Promise<RoundCounts> {
  type Row = T["$inferSelect"] & { attempts: number };
  const counts: RoundCounts = { delivered: 0, failed: 0, retrying: 0 };
  const due = (await db
    .select()
    .from(outbox.table as PgTable)
    .where(outbox.due(round.now()))
    .orderBy(asc(outbox.order))
    .limit(round.limit)) as Row[];
  if (!due.length) return counts;
  const context = (round.prepare ? await round.prepare(due) : undefined) as Context;
  for (const seen of due) {
    const now = round.now();
    // Claim it only if nobody did since it was read: the other round finds `attempts` changed (or the row leased) and skips it.
    const [claimed] = (await db
      .update(outbox.table)
      .set({ ...outbox.lease(now), attempts: seen.attempts + 1 } as PgUpdateSetSource<T>)
      .where(and(outbox.key(seen), eq(outbox.table.attempts, seen.attempts), outbox.due(now)))
      .returning()) as Row[];
    if (!claimed) continue;
    let settled: Settled | undefined;
    const record: RecordOutcome = async (tx, outcome) => {
      settled = settleAttempt(outcome, claimed.attempts, round.backoffMs, round.now());
      const written = await tx
        .update(outbox.table)
        .set(outbox.record(settled))
        .where(and(outbox.key(claimed), eq(outbox.table.attempts, claimed.attempts)))
        .returning();
      return (written as unknown[]).length > 0;
    };
    const outcome = await round.send(claimed, context, record);
    if (!outcome) continue;
    if (!settled) await record(db, outcome);
    counts[settled!.state === "delivered" ? "delivered" : settled!.state === "retry" ? "retrying" : "failed"]++;
  }
  return counts;
}

type StatusTable = OutboxTable & { status: PgColumn; nextAttemptAt: PgColumn; lastError: PgColumn; deliveredAt: PgColumn };

/**
 * An outbox whose rows keep a `status` (pending → delivered | failed), `next_attempt_at` (when due; while claimed,
 * the end of the lease), `last_error` and `delivered_at`: alert deliveries and crisis notices.
 */
export function statusOutbox<T extends StatusTable>(table: T, key: Outbox<T>["key"], leaseMs: number): Outbox<T> {
  return {
    table,
    key,
    order: table.nextAttemptAt,
    due: (now) => and(eq(table.status, "pending"), lte(table.nextAttemptAt, now)),
    lease: (now) => ({ nextAttemptAt: new Date(now.getTime() + leaseMs) }) as unknown as PgUpdateSetSource<T>,
    record: (settled) =>
      (settled.state === "delivered"
        ? { status: "delivered", deliveredAt: settled.at, lastError: null }
        : settled.state === "retry"
          ? { status: "pending", nextAttemptAt: settled.at, lastError: settled.error }
          : { status: "failed", lastError: settled.error }) as unknown as PgUpdateSetSource<T>,
  };
}

/**
 * A process's delivery rounds of one outbox, one after another: the minute job and an after-commit kick never work
 * the same rows at once (and a caller awaiting a round sees what it did).
 */
export class RoundQueue {
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = false;

  /** Runs `round` after any round under way. */
  run<T>(round: () => Promise<T>): Promise<T> {
    const next = this.queue.then(round);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Starts `round` in the background unless one is already waiting to start (it will see the same rows); never throws. */
  soon(round: () => Promise<unknown>, onError: (err: unknown) => void): void {
    if (this.waiting) return;
    this.waiting = true;
    const next = this.queue.then(() => {
      this.waiting = false;
      return round();
    });
    this.queue = next.catch(onError);
  }

  /** Resolves once every round started so far has finished. */
  async idle(): Promise<void> {
    await this.queue;
  }
}
