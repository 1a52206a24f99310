import type { MiddlewareHandler } from "hono";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { AppEnv } from "./env";
import { routeOf } from "./request-route";

/** Prometheus metrics of one app instance (own registry, so tests can build several apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "parapet_" });
  const requests = new Counter({
    name: "parapet_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "parapet_http_request_duration_seconds",
    help: "HTTP request duration by method and route",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const start = performance.now();
    await next();
    // The route pattern, never the raw path: ids in paths would explode the label set.
    const route = routeOf(c) ?? (c.req.path.startsWith("/api/") ? "unmatched" : "static");
    requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    duration.observe({ method: c.req.method, route }, (performance.now() - start) / 1000);
  };
  return { registry, middleware };
}

