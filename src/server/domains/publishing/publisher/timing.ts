/** How patient the publisher is. The defaults suit real networks; tests and the chaos run shorten them. */
export type PublishTiming = {
  /** A claim older than this whose worker never recorded an outcome is reconciled (the worker died). */
  leaseMs: number;
  /** An outcome_unknown attempt is reconciled after this wait: the network may still be processing it. */
  reconcileAfterMs: number;
  /** The first retry of a transient failure waits this long; each further one twice as long, at most 30 minutes. */
  retryBaseMs: number;
  /** Transient failures are retried this many times in all before the post counts as failed. */
  maxAttempts: number;
};

export const DEFAULT_TIMING: PublishTiming = { leaseMs: 5 * 60_000, reconcileAfterMs: 30_000, retryBaseMs: 30_000, maxAttempts: 6 };

/** Wait before retry number `attempts` (1, 2, …): base, 2 × base, 4 × base, … at most 30 minutes. */
export const backoffMs = (attempts: number, timing: PublishTiming = DEFAULT_TIMING) => Math.min(timing.retryBaseMs * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
