import { Hono } from "hono";
import { migrationsApplied } from "../../db/client";
import type { AppEnv } from "../env";
import type { Registry } from "prom-client";
import { sameSecret } from "../../crypto/secrets";

/** Liveness, readiness and metrics, outside /api (no session, no CSRF cookie needed). */
export function systemRoutes(metrics: Registry) {
  const routes = new Hono<AppEnv>();
  routes.get("/healthz", (c) => c.json({ status: "ok" }));
  routes.get("/readyz", async (c) => {
    const ready = await migrationsApplied(c.var.services.database).catch(() => false);
    return c.json({ status: ready ? "ready" : "not_ready", database: c.var.services.database.kind }, ready ? 200 : 503);
  });
  routes.get("/metrics", async (c) => {
    const token = c.var.services.config.metricsToken;
    const sent = c.req.header("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1] ?? "";
    if (token && !sameSecret(sent, token)) {
      return c.json({ error: { code: "unauthenticated", message: "Send the METRICS_TOKEN as a bearer token" } }, 401);
    }
    return c.body(await metrics.metrics(), 200, { "Content-Type": metrics.contentType });
  });
  return routes;
}
