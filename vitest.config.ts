import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    env: { NODE_ENV: "test" },
    // Each file opens its own in-memory PGlite (and, with TEST_DATABASE_URL, its own PostgreSQL database).
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
