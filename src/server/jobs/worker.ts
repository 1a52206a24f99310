import PgBoss from "pg-boss";
import type { Services } from "../context";
import { startPublisher } from "../domains/publishing";
import { createListeningPipeline, type ListeningPipeline, type ListeningPipelineOptions } from "../domains/listening/pipeline";
import { startSourceRunner } from "../domains/listening/sources";
import { JOBS, SCAN_SOON_SECONDS, scanImpostors } from "./catalog";
import type { JobDefinition, JobRequest } from "./define-job";
import { createSoonRequests } from "./request-soon";

export type Worker = {
  stop(): Promise<void>;
  runNow(name: string): Promise<void>;
  /** The listening pipeline this worker's sources feed (tests submit batches to it). */
  pipeline: ListeningPipeline;
};

/**
 * Runs the publisher (a loop: due posts go out within seconds, not at the next cron minute), the listening sources
 * (sources/runner.ts: each running source claimed with a lease and fed into the pipeline) and the job catalog on
 * pg-boss (its own `pgboss` schema in the same database). On PostgreSQL several
 * workers share the queues (jobs are claimed with SKIP LOCKED); on PGlite pg-boss talks through our connection.
 */
export async function startWorker(services: Services, jobs: JobDefinition[] = JOBS, options: { pipeline?: ListeningPipelineOptions } = {}): Promise<Worker> {
  const { database, config, log } = services;
  const boss = database.kind === "postgres" && config.databaseUrl
    ? new PgBoss({ connectionString: config.databaseUrl, max: 4 })
    : new PgBoss({ db: { executeSql: async (text: string, values: unknown[]) => ({ rows: await database.query(text, values) }) } });
  boss.on("error", (err: unknown) => log.error({ err }, "job queue error"));
  await boss.start();
  const soon = createSoonRequests(boss, log);
  // Listening: every running source (network streams, feeds) is claimed, read and fed into the pipeline; a workspace
  // that got new mentions is scanned for impostors within seconds, not at the next 5-minute schedule.
  // By name: the benchmark passes the same job wrapped to time its runs (bench/listening.ts).
  const isScan = (job: JobDefinition) => job.name === scanImpostors.name;
  const scansImpostors = jobs.some(isScan);
  const scanSoon = (workspaceId: string) => soon.request(scanImpostors.name, workspaceId, { workspaceId }, SCAN_SOON_SECONDS);
  const pipeline = createListeningPipeline(services, {
    ...options.pipeline,
    onStored: scansImpostors ? (workspaceIds) => workspaceIds.forEach(scanSoon) : undefined,
  });
  /** Storing is behind: a quarter of what may wait before posts are shed is waiting. */
  const listeningBehind = () => {
    const load = pipeline.load();
    return load.queued > load.maxQueued / 4;
  };

  for (const job of jobs) {
    await boss.createQueue(job.name);
    await boss.schedule(job.name, job.every, {}, { tz: "UTC" });
    await boss.work<JobRequest>(job.name, async ([run]) => {
      const request = run?.data && Object.keys(run.data).length ? run.data : undefined;
      // A prompt scan judges in this thread, where the pipeline also writes: while storing is behind it steps aside
      // and asks again, so it never makes the pipeline shed posts (the 5-minute schedule runs regardless).
      if (isScan(job) && typeof request?.workspaceId === "string" && listeningBehind()) return scanSoon(request.workspaceId);
      await job.run(services, request);
    });
  }
  const publisher = startPublisher(services);
  const sources = startSourceRunner(services, { pipeline });
  log.info({ jobs: jobs.map((j) => j.name) }, "worker started");
  return {
    async stop() {
      await sources.stop();
      await pipeline.close();
      await soon.stop();
      await publisher.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
    async runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no job ${name}`);
      await job.run(services);
    },
    pipeline,
  };
}
