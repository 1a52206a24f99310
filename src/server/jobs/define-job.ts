import type { Services } from "../context";

/**
 * A background job, declared as data. `every` is a cron expression (minute resolution, UTC).
 * Each job says in `onCrash` what happens when a worker dies half-way through it.
 */
export type JobDefinition = {
  name: string;
  every: string;
  onCrash: string;
  run(services: Services): Promise<unknown>;
};

export const defineJob = (job: JobDefinition) => job;
