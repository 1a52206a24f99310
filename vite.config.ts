import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The web app: sources in src/web, built into dist/web, which the server serves with an SPA fallback. */
export default defineConfig({
  root: here("./src/web"),
  plugins: [react()],
  build: {
    outDir: here("./dist/web"),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npx vite` for UI work: the API runs separately (`PORT=3100 node bin/parapet.mjs start`).
    proxy: { "/api": process.env.PARAPET_API_URL ?? "http://localhost:3100" },
  },
});
