import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { loadConfig } from "../../src/server/config";
import { startParapet } from "../../src/server/main";
import { createLogger } from "../../src/server/log";

/**
 * A real Parapet over real HTTP on a free loopback port, on its own embedded database with the demo workspace,
 * for browser tests. `stop()` removes everything.
 */
export async function startTestServer(env: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parapet-e2e-"));
  const demo = { email: "owner@ember-oak.test", password: "demo-password-123" };
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    PARAPET_DATA_DIR: dataDir,
    PARAPET_SECRET_KEY: randomBytes(32).toString("base64"),
    PARAPET_DEMO_EMAIL: demo.email,
    PARAPET_DEMO_PASSWORD: demo.password,
    PARAPET_SERVICES: "web",
    LOG_LEVEL: "silent",
    ...env,
  });
  const running = await startParapet(config, { migrate: true, demo: true, log: createLogger("silent") });
  const url = running.url.replace("0.0.0.0", "127.0.0.1");
  return {
    url,
    demo,
    services: running.services,
    async stop() {
      await running.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
