import type { Services } from "../../../context";
import { unsafeClaimDueTargets, unsafeRecoverStalledTargets } from "./claim-due-targets";
import { unsafeDeliverTarget, type Delivery } from "./deliver-target";
import { DEFAULT_TIMING, type PublishTiming } from "./timing";

export type PublisherOptions = {
  /** Posts published at the same time by this worker. */
  concurrency?: number;
  /** How often to look for due posts when there is nothing to do. */
  pollMs?: number;
  /** Leases, waits and retries (see PublishTiming); the defaults suit real networks. */
  timing?: Partial<PublishTiming>;
};

export type Publisher = { stop(): Promise<void> };


/**
 * The worker's publishing loop: recovers stalled claims, claims due posts up to its concurrency, publishes each,
 * and looks again as soon as a slot frees up (or after `pollMs` when idle). Any number of workers may run it:
 * claims never overlap. `stop()` waits for the posts in flight to be recorded.
 */
export function startPublisher(services: Services, options: PublisherOptions = {}): Publisher {
  const concurrency = options.concurrency ?? 4;
  const pollMs = options.pollMs ?? 2_000;
  const timing: PublishTiming = { ...DEFAULT_TIMING, ...options.timing };
  const leaseMs = timing.leaseMs;
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let wake: (() => void) | null = null;
  let lastRecovery = 0;

  const deliver = (claim: Awaited<ReturnType<typeof unsafeClaimDueTargets>>[number]) => {
    const running = unsafeDeliverTarget(services, claim, timing)
      .catch((err) => services.log.error({ err, targetId: claim.targetId }, "publishing a post failed unexpectedly; it will be reconciled when its claim goes stale"))
      .finally(() => {
        inFlight.delete(running);
        wake?.();
      });
    inFlight.add(running);
  };

  async function round(): Promise<number> {
    if (Date.now() - lastRecovery > Math.min(leaseMs, 30_000)) {
      lastRecovery = Date.now();
      const recovered = await unsafeRecoverStalledTargets(services, leaseMs);
      if (recovered) services.log.warn({ recovered }, "stalled publish attempts will be reconciled");
    }
    const claims = await unsafeClaimDueTargets(services, concurrency - inFlight.size);
    for (const claim of claims) deliver(claim);
    return claims.length;
  }

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = await round();
      } catch (err) {
        services.log.error({ err }, "publisher round failed");
      }
      if (stopped) break;
      // Full, or nothing due: wait for a slot to free up or for the next look.
      if (claimed === 0 || inFlight.size >= concurrency) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * One round, start to finish (the CLI's `publish-due`, tests): recovers stalled claims, claims up to `limit` due
 * posts, publishes them side by side and waits for every outcome.
 */
export async function unsafePublishDue(services: Services, options: { limit?: number; timing?: Partial<PublishTiming> } = {}): Promise<Delivery[]> {
  const timing: PublishTiming = { ...DEFAULT_TIMING, ...options.timing };
  await unsafeRecoverStalledTargets(services, timing.leaseMs);
  const claims = await unsafeClaimDueTargets(services, options.limit ?? 50);
  return Promise.all(claims.map((claim) => unsafeDeliverTarget(services, claim, timing)));
}
