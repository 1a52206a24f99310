import { defineConfig } from "drizzle-kit";

// Generates committed SQL in migrations/ from the *.schema.ts files. Never `push`.
export default defineConfig({
  dialect: "postgresql",
  schema: ["./src/server/**/*.schema.ts"],
  out: "./migrations",
});
