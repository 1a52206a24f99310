import { randomBytes } from "node:crypto";
import os from "node:os";
import { loadConfig } from "../src/server/config";
import type { Database } from "../src/server/db/client";
import { createLogger } from "../src/server/log";
import { openServices } from "../src/server/services";

/** Services over an already-open database, with a throwaway key and a silent log; `env` adds settings (e.g. DATABASE_URL). */
export function createTestServicesOn(database: Database, env: Record<string, string> = {}) {
  const config = loadConfig({ NODE_ENV: "test", PARAPET_DATA_DIR: os.tmpdir(), PARAPET_SECRET_KEY: randomBytes(32).toString("base64"), LOG_LEVEL: "silent", ...env });
  return openServices(config, { database, log: createLogger("silent") });
}
