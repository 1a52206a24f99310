import PgBoss from "pg-boss";
import type { Services } from "../context";
import { startPublisher } from "../domains/publishing";
import { createListeningPipeline } from "../domains/listening/pipeline";
import { startSourceRunner } from "../domains/listening/sources";
import { JOBS } from "./catalog";
import type { JobDefinition } from "./define-job";

export type Worker = { stop(): Promise<void>; runNow(name: string): Promise<void> };

/**
 * Runs the publisher (a loop: due posts go out within seconds, not at the next cron minute), the listening sources
 * (sources/runner.ts: each running source claimed with a lease and fed into the pipeline) and the job catalog on
 * pg-boss (its own `pgboss` schema in the same database). On PostgreSQL several
 * workers share the queues (jobs are claimed with SKIP LOCKED); on PGlite pg-boss talks through our connection.
 */
export async function startWorker(services: Services, jobs: JobDefinition[] = JOBS): Promise<Worker> {
  const { database, config, log } = services;
  const boss = database.kind === "postgres" && config.databaseUrl
    ? new PgBoss({ connectionString: config.databaseUrl, max: 4 })
    : new PgBoss({ db: { executeSql: async (text: string, values: unknown[]) => ({ rows: await database.query(text, values) }) } });
  boss.on("error", (err: unknown) => log.error({ err }, "job queue error"));
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name);
    await boss.schedule(job.name, job.every, {}, { tz: "UTC" });
    await boss.work(job.name, async () => {
      await job.run(services);
    });
  }
  const publisher = startPublisher(services);
  // Listening: every running source (network streams, feeds) is claimed, read and fed into the pipeline.
  const pipeline = createListeningPipeline(services);
  const sources = startSourceRunner(services, { pipeline });
  log.info({ jobs: jobs.map((j) => j.name) }, "worker started");
  return {
    async stop() {
      await sources.stop();
      await pipeline.close();
      await publisher.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
    async runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no job ${name}`);
      await job.run(services);
    },
  };
}
