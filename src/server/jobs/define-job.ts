import type { Services } from "../context";

/**
 * A background job, declared as data. `every` is a cron expression (minute resolution, UTC).
 * Each job says in `onCrash` what happens when a worker dies half-way through it.
 * A scheduled run gets no request; a run asked for between schedules (the worker's `requestSoon`) gets the request
 * it was asked with.
 */
export type JobDefinition = {
  name: string;
  every: string;
  onCrash: string;
  run(services: Services, request?: JobRequest): Promise<unknown>;
};

/** What a run asked for between schedules is about (e.g. one workspace). */
export type JobRequest = Record<string, unknown>;

export const defineJob = (job: JobDefinition) => job;
