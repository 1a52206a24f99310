import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../../src/server/config";
import type { Services } from "../../src/server/context";
import { createLogger } from "../../src/server/log";
import { openServices } from "../../src/server/services";
import { freshDatabase, type DatabaseKind } from "./databases";

/** A clock tests can move: `clock.advance(minutes)`. */
export function testClock(start = new Date("2026-11-23T09:00:00Z")) {
  let now = start.getTime();
  const clock = () => new Date(now);
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (d: Date) => {
    now = d.getTime();
  };
  return clock;
}
export type TestClock = ReturnType<typeof testClock>;

export type TestServices = Services & { close(): Promise<void>; clock: TestClock };

/** Services on a fresh database with test settings (silent log, random key, own data dir). */
export async function createTestServices(kind: DatabaseKind, env: Record<string, string> = {}, clock: TestClock = testClock()): Promise<TestServices> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parapet-test-"));
  const config: Config = loadConfig({
    NODE_ENV: "test",
    PARAPET_DATA_DIR: dataDir,
    PARAPET_SECRET_KEY: randomBytes(32).toString("base64"),
    PARAPET_DEMO_PASSWORD: "demo-password-123",
    LOG_LEVEL: "silent",
    ...env,
  });
  const database = await freshDatabase(kind);
  const services = await openServices(config, { database, clock, log: createLogger("silent") });
  return {
    ...services,
    clock,
    async close() {
      await services.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  } as TestServices;
}
