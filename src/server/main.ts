import { serve, type ServerType } from "@hono/node-server";
import type { Config } from "./config";
import type { Services } from "./context";
import { migrationsApplied } from "./db/client";
import { auditChainKey } from "./audit/chain";
import { seedDemo, type DemoCredentials } from "./demo/seed-demo";
import { AppError } from "./errors";
import { createApp } from "./http/app";
import { startWorker, type Worker } from "./jobs/worker";
import { openServices } from "./services";
import type { Logger } from "./log";

export type RunningParapet = {
  url: string;
  services: Services;
  demo: DemoCredentials | null;
  worker: Worker | null;
  stop(): Promise<void>;
};

export type StartOptions = {
  /** Apply migrations first (`parapet start`); otherwise refuse to run on an unmigrated database. */
  migrate: boolean;
  /** Create the demo workspace if there is none. */
  demo: boolean;
  services?: Array<"web" | "worker">;
  log?: Logger;
  clock?: () => Date;
};

/** Starts the services named in config (web, worker) in this process; `stop()` shuts them down in order. */
export async function startParapet(config: Config, options: StartOptions): Promise<RunningParapet> {
  const services = await openServices(config, { log: options.log, clock: options.clock });
  let server: ServerType | null = null;
  let worker: Worker | null = null;
  try {
    if (options.migrate) await services.database.migrate();
    else if (!(await migrationsApplied(services.database))) {
      throw new AppError("migrations_pending", 503, "The database is not up to date: run `parapet migrate` first.");
    }
    // The audit chain key is stored (sealed) under the key in use now, before anything can rotate that key.
    await auditChainKey(services.database.db, services.secrets);
    const demo = options.demo ? await seedDemo(services) : null;
    const wanted = options.services ?? config.services;
    if (wanted.includes("worker")) worker = await startWorker(services);
    let url = config.publicUrl;
    if (wanted.includes("web")) {
      const app = createApp(services);
      const port = await new Promise<number>((resolve, reject) => {
        // overrideGlobalObjects: false keeps Node's own Request/Response global. The server's lighter ones would break
        // `instanceof Response` in client libraries that call other servers (masto classifies HTTP errors that way).
        server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, overrideGlobalObjects: false }, (info) => resolve(info.port));
        server.once("error", reject);
      });
      if (config.port === 0) {
        url = `http://${config.host}:${port}`;
        // Links in mail must point at the port we really got.
        if (config.publicUrl.endsWith(":0")) services.config.publicUrl = url;
      }
      services.log.info({ url, database: services.database.kind }, "web app listening");
    }
    let stopping: Promise<void> | null = null;
    return {
      url,
      services,
      demo,
      worker,
      stop: () =>
        (stopping ??= (async () => {
          if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
          await worker?.stop();
          await services.close();
        })()),
    };
  } catch (err) {
    if (server) (server as ServerType).close();
    await worker?.stop().catch(() => undefined);
    await services.close();
    throw err;
  }
}
