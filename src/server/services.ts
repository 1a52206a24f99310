import fs from "node:fs";
import path from "node:path";
import type { Config } from "./config";
import type { Services } from "./context";
import { openDatabase, type Database } from "./db/client";
import { SecretBox } from "./crypto/secrets";
import { loadSecretKeys } from "./crypto/key-files";
import { createLogger, type Logger } from "./log";
import { Mailer } from "./mail/mailer";
import { AppError } from "./errors";
import { createNetworkRegistry } from "./networks/registry";
import { createSandboxConnector } from "./networks/sandbox/connector";
import { createMastodonConnector } from "./networks/mastodon/connector";
import { createBlueskyConnector } from "./networks/bluesky/connector";
import { registerLockdownPolicy } from "./domains/publishing/lockdown-policy";
import { registerChannelLockdown } from "./domains/channels/channel-lockdown";
import { crisisLockdownPolicy, lockedDownFor } from "./domains/crisis/crises/lockdown";

/**
 * PGlite keeps its files in one folder that only one process may open. A lock file with our PID stops a second
 * process (say `npx parapet admin …` while `npm start` runs) from opening the same folder and corrupting it.
 * The file is created exclusively, so two processes starting at the same moment cannot both take it.
 */
function lockEmbeddedDatabase(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, "pglite.lock");
  if (LOCKED_HERE.has(lock)) throw databaseInUse(dataDir, "this process");
  const release = () => {
    LOCKED_HERE.delete(lock);
    // Only our own lock: never one a later process took over.
    if (readLockPid(lock) === process.pid) fs.rmSync(lock, { force: true });
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      LOCKED_HERE.add(lock);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const pid = readLockPid(lock);
    // Our own PID in the file (and not in LOCKED_HERE) is a lock left by an earlier run that had the same PID
    // (PID 1 in a container).
    // No PID yet in a brand-new file: another process is writing it right now.
    const held = pid === null ? lockAgeMs(lock) < 5_000 : pid !== process.pid && processIsAlive(pid);
    if (held) throw databaseInUse(dataDir, pid ? `process ${pid}` : "another process");
    fs.rmSync(lock, { force: true }); // stale: left by a process that crashed
  }
  throw databaseInUse(dataDir, "another process");
}

/** Lock files this process holds: opening the same folder twice in one process would corrupt it just the same. */
const LOCKED_HERE = new Set<string>();

const databaseInUse = (dataDir: string, holder: string) =>
  new AppError(
    "database_in_use",
    409,
    `The embedded database in ${dataDir} is in use by ${holder}. Stop it first, or run Parapet on PostgreSQL (DATABASE_URL) to use several processes.`,
  );

function readLockPid(lock: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lock, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null; // gone or unreadable: nobody holds it
  }
}

function lockAgeMs(lock: string): number {
  try {
    return Date.now() - fs.statSync(lock).mtimeMs;
  } catch {
    return Infinity;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user (say the service account, while an admin runs the CLI).
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Opens everything a process needs, from validated config. `close()` releases it all. */
export async function openServices(config: Config, options: { log?: Logger; database?: Database; clock?: () => Date } = {}): Promise<Services & { close(): Promise<void> }> {
  const log = options.log ?? createLogger(config.logLevel);
  let unlock = () => {};
  let database = options.database;
  if (!database) {
    if (!config.databaseUrl) unlock = lockEmbeddedDatabase(config.dataDir);
    try {
      database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        onPoolError: (err) => log.warn({ err }, "database connection lost; the pool reconnects"),
      });
    } catch (err) {
      unlock();
      throw err;
    }
  }
  const mailer = new Mailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log });
  const keys = loadSecretKeys(config.secretKey, config.previousSecretKeys, config.dataDir);
  const secrets = new SecretBox(keys.current, keys.previous);
  const db = database;
  const clock = options.clock ?? (() => new Date());
  // The networks this server ships with (they may need the database and the clock). The Sandbox's urls point to its
  // read-only website, served by this server at /sandbox.
  const networks = createNetworkRegistry([createSandboxConnector(db.db, clock, { siteUrl: `${config.publicUrl}/sandbox` })]);
  networks.register(createMastodonConnector()); // talks to an instance only when a channel uses it
  networks.register(createBlueskyConnector()); // talks to Bluesky (or the PDS given at connect) only when a channel uses it
  // Channel rights and publishing ask the crisis domain's lock down through their own ports (imports point one way:
  // crisis → channels, crisis → publishing).
  registerChannelLockdown(lockedDownFor);
  registerLockdownPolicy(crisisLockdownPolicy);
  return {
    config,
    database: db,
    secrets,
    mailer,
    log,
    clock,
    networks,
    async close() {
      await mailer.idle(); // let a delivery that is under way finish before its database goes
      mailer.close();
      if (!options.database) await db.close();
      unlock();
    },
  };
}
