import type PgBoss from "pg-boss";
import type { Logger } from "../log";
import type { JobRequest } from "./define-job";

export type SoonRequests = {
  /** Asks for a run of job `name` about `key` (e.g. a workspace) within `seconds`; returns at once. */
  request(name: string, key: string, data: JobRequest, seconds: number): void;
  /** Drops waiting requests and waits for those being sent. */
  stop(): Promise<void>;
};

/**
 * Runs asked for between a job's schedules, debounced per job and key: the first request runs at once, the ones that
 * follow within `seconds` give one more run when that time is up — never one run per request, and never a request
 * left without a run that starts after it. This process sends at most one request per key per `seconds` to the queue
 * (a timer carries the trailing one); across processes pg-boss's debounce (singleton key and slot) does the same.
 */
export function createSoonRequests(boss: PgBoss, log: Logger): SoonRequests {
  const lastSent = new Map<string, number>();
  const trailing = new Map<string, NodeJS.Timeout>();
  const sending = new Set<Promise<unknown>>();
  let stopped = false;

  const send = (name: string, key: string, data: JobRequest, seconds: number) => {
    lastSent.set(`${name} ${key}`, Date.now());
    const sent = boss
      .sendDebounced(name, data, { retryLimit: 2 }, seconds, key)
      .catch((err: unknown) => log.warn({ err, name, key }, "could not ask for a job run; its schedule covers it"))
      .finally(() => sending.delete(sent));
    sending.add(sent);
  };

  return {
    request(name, key, data, seconds) {
      const id = `${name} ${key}`;
      if (stopped || trailing.has(id)) return;
      const wait = (lastSent.get(id) ?? -Infinity) + seconds * 1000 - Date.now();
      if (wait <= 0) return send(name, key, data, seconds);
      trailing.set(
        id,
        setTimeout(() => {
          trailing.delete(id);
          if (!stopped) send(name, key, data, seconds);
        }, wait),
      );
    },
    async stop() {
      stopped = true;
      for (const timer of trailing.values()) clearTimeout(timer);
      trailing.clear();
      await Promise.allSettled([...sending]);
    },
  };
}
