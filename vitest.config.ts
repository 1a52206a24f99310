import { configDefaults, defineConfig } from "vitest/config";

// Browser tests run once, on PostgreSQL when TEST_DATABASE_URL is set (CI) and else on PGlite
// (test/support/server.ts); their project's name says which, so every result and failure names the database.
const browserDatabase = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
const browserTests = "test/e2e/**/*.e2e.test.ts";

export default defineConfig({
  test: {
    environment: "node",
    env: { NODE_ENV: "test" },
    // Each file opens its own in-memory PGlite (and, with TEST_DATABASE_URL, its own PostgreSQL database).
    pool: "forks",
    // Two test files at a time, also on a 2-core machine: most of a file's time is waiting on PostgreSQL, PGlite's
    // start or Chromium, so two overlap well (a clean-clone CI run on a quiet machine: vitest 775 s, ~1,750 s with one).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: { name: "server", include: ["src/**/*.test.ts", "test/**/*.test.ts"], exclude: [...configDefaults.exclude, browserTests] },
      },
      { extends: true, test: { name: `browser on ${browserDatabase}`, include: [browserTests] } },
    ],
  },
});
