import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { Hono } from "hono";
import type { AppEnv } from "./env";

const require = createRequire(import.meta.url);
const ASSETS = new Set(["swagger-ui.css", "swagger-ui-bundle.js"]);

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parapet API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/v1/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/v1/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/assets/init.js"></script></body></html>`;

// A separate file, not inline, so the Content-Security-Policy can forbid inline scripts.
const INIT = `window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#docs", deepLinking: true,
  requestInterceptor: (req) => { const m = document.cookie.match(/(?:^|; )parapet_csrf=([^;]+)/); if (m) req.headers["X-CSRF-Token"] = decodeURIComponent(m[1]); return req; } });`;

/** A readable API reference at /api/v1/docs, served from the swagger-ui-dist package (no CDN: works offline). */
export function mountApiDocs(app: Hono<AppEnv>) {
  const dir = path.dirname(require.resolve("swagger-ui-dist/package.json"));
  app.get("/api/v1/docs", (c) => c.html(PAGE));
  app.get("/api/v1/docs/assets/:file", (c) => {
    const file = c.req.param("file");
    if (file === "init.js") return c.body(INIT, 200, { "Content-Type": "text/javascript; charset=utf-8" });
    if (!ASSETS.has(file)) return c.json({ error: { code: "not_found", message: "No such file" } }, 404);
    const type = file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    return c.body(fs.readFileSync(path.join(dir, file)), 200, { "Content-Type": type, "Cache-Control": "public, max-age=86400" });
  });
}
