import fs from "node:fs";
import path from "node:path";
import type { Config } from "./config";
import type { Services } from "./context";
import { openDatabase, type Database } from "./db/client";
import { SecretBox, loadSecretKey } from "./crypto/secrets";
import { createLogger, type Logger } from "./log";
import { Mailer } from "./mail/mailer";
import { AppError } from "./errors";

/**
 * PGlite keeps its files in one folder that only one process may open. A lock file with our PID stops a second
 * process (say `npx parapet admin …` while `npm start` runs) from opening the same folder and corrupting it.
 */
function lockEmbeddedDatabase(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, "pglite.lock");
  if (fs.existsSync(lock)) {
    const pid = Number(fs.readFileSync(lock, "utf8"));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false; // no such process: a stale lock from a crash
    }
    if (alive) {
      throw new AppError(
        "database_in_use",
        409,
        `The embedded database in ${dataDir} is in use by process ${pid}. Stop it first, or run Parapet on PostgreSQL (DATABASE_URL) to use several processes.`,
      );
    }
  }
  fs.writeFileSync(lock, String(process.pid));
  return () => fs.rmSync(lock, { force: true });
}

/** Opens everything a process needs, from validated config. `close()` releases it all. */
export async function openServices(config: Config, options: { log?: Logger; database?: Database; clock?: () => Date } = {}): Promise<Services & { close(): Promise<void> }> {
  const log = options.log ?? createLogger(config.logLevel);
  let unlock = () => {};
  let database = options.database;
  if (!database) {
    if (!config.databaseUrl) unlock = lockEmbeddedDatabase(config.dataDir);
    try {
      database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    } catch (err) {
      unlock();
      throw err;
    }
  }
  const mailer = new Mailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log });
  const secrets = new SecretBox(loadSecretKey(config.secretKey, config.dataDir));
  const db = database;
  return {
    config,
    database: db,
    secrets,
    mailer,
    log,
    clock: options.clock ?? (() => new Date()),
    async close() {
      mailer.close();
      if (!options.database) await db.close();
      unlock();
    },
  };
}
