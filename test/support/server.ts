import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { loadConfig, testSettings } from "../../src/server/config";
import { startParapet } from "../../src/server/main";
import { createLogger } from "../../src/server/log";
import type { DatabaseKind } from "./databases";
import { emptyPostgresDatabase } from "./empty-postgres";

/**
 * The database browser tests' servers run on: PostgreSQL when TEST_DATABASE_URL is set (CI), else PGlite. Each
 * browser test runs once, not once per database: browser tests are slow, and the server tests already cover both.
 */
function testServerDatabase(): DatabaseKind {
  return testSettings().databaseUrl ? "postgres" : "pglite";
}

/**
 * A real Parapet over real HTTP on a free loopback port, with the demo workspace, for browser tests: on its own
 * database (a new PostgreSQL database on TEST_DATABASE_URL's server, else an embedded PGlite in a temporary
 * folder). `stop()` removes everything, the PostgreSQL database too.
 */
export async function startTestServer(env: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parapet-e2e-"));
  const database = testServerDatabase() === "postgres" ? await emptyPostgresDatabase() : undefined;
  const demo = { email: "owner@ember-oak.test", password: "demo-password-123" };
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    PARAPET_DATA_DIR: dataDir,
    ...(database ? { DATABASE_URL: database.url } : {}),
    PARAPET_SECRET_KEY: randomBytes(32).toString("base64"),
    PARAPET_DEMO_EMAIL: demo.email,
    PARAPET_DEMO_PASSWORD: demo.password,
    PARAPET_SERVICES: "web",
    LOG_LEVEL: "silent",
    ...env,
  });
  const running = await startParapet(config, { migrate: true, demo: true, log: createLogger("silent") }).catch(async (err) => {
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const url = running.url.replace("0.0.0.0", "127.0.0.1");
  return {
    url,
    demo,
    services: running.services,
    async stop() {
      await running.stop();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
