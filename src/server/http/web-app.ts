import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import { serveStatic } from "@hono/node-server/serve-static";
import type { AppEnv } from "./env";

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../dist/web");

/** Serves the built web app; any other non-API path gets index.html so the client router can take it. */
export function mountWebApp(app: Hono<AppEnv>) {
  const root = path.relative(process.cwd(), WEB_DIST) || ".";
  app.use("/assets/*", serveStatic({ root, onFound: (_p, c) => c.header("Cache-Control", "public, max-age=31536000, immutable") }));
  app.use("/favicon.svg", serveStatic({ root }));
  app.get("*", (c) => {
    const index = path.join(WEB_DIST, "index.html");
    if (!fs.existsSync(index)) {
      return c.html("<!doctype html><title>Parapet</title><p>The web app is not built yet. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it).</p>", 503);
    }
    c.header("Cache-Control", "no-cache");
    return c.html(fs.readFileSync(index, "utf8"));
  });
}
