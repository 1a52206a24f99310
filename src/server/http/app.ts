import { OpenAPIHono } from "@hono/zod-openapi";
import { secureHeaders } from "hono/secure-headers";
import { limitBodySize } from "./body-limit";
import { randomUUID } from "node:crypto";
import type { Services } from "../context";
import { accessReviewRoutes } from "../domains/access-review/access-review.routes";
import { channelRoutes } from "../domains/channels/channels.routes";
import { identityRoutes } from "../domains/identity/identity.routes";
import { publishingRoutes } from "../domains/publishing/publishing.routes";
import { approvalRoutes } from "../domains/publishing/approvals.routes";
import { queueRoutes } from "../domains/publishing/queues.routes";
import { MEDIA_UPLOAD_PATH, mediaRoutes } from "../domains/publishing/media.routes";
import { UPLOAD_MAX_BYTES } from "../../contracts/media-rules";
import { commentRoutes } from "../domains/publishing/comments.routes";
import { listeningRoutes } from "../domains/listening/listening.routes";
import { alertRoutes } from "../domains/listening/alerts.routes";
import { destinationRoutes } from "../domains/listening/destinations.routes";
import { sandboxRoutes } from "../domains/sandbox/sandbox.routes";
import { SCIM_PREFIX, scimProtocolRoutes } from "../domains/scim";
import { scimRoutes } from "../domains/scim/scim.routes";
import { ssoRoutes } from "../domains/sso/sso.routes";
import { drillRoutes } from "../domains/crisis/drills.routes";
import { reviewRoutes } from "../domains/crisis/review.routes";
import { crisisPlanRoutes } from "../domains/crisis/plans.routes";
import { workspaceRoutes } from "../domains/workspaces/workspaces.routes";
import { roomRoutes } from "../domains/crisis/room.routes";
import { crisisRoutes } from "../domains/crisis/crises.routes";
import { overviewRoutes } from "../domains/overview/overview.routes";
import { createSandboxSite } from "../networks/sandbox/site";
import { AppError } from "../errors";
import { API_PREFIX, PUBLIC, ROUTE_ACCESS, routeKey } from "./access";
import { mountApiDocs } from "./api-docs";
import { authenticate } from "./authenticate";
import { csrfProtection } from "./csrf";
import type { AppEnv } from "./env";
import { errorToResponse } from "./errors-to-json";
import { refuseNulCharacters } from "./refuse-nul";
import { createMetrics } from "./metrics";
import { loggablePath } from "./request-route";
import { auditRoutes } from "./routes/audit.routes";
import { systemRoutes } from "./routes/system.routes";
import { mountWebApp } from "./web-app";

/** Every API router, mounted under /api/v1. A new domain adds its router here. */
const API_ROUTERS = [identityRoutes, workspaceRoutes, channelRoutes, publishingRoutes, approvalRoutes, queueRoutes, mediaRoutes, commentRoutes, sandboxRoutes, ssoRoutes, auditRoutes, scimRoutes, accessReviewRoutes, listeningRoutes, alertRoutes, destinationRoutes, crisisRoutes, crisisPlanRoutes, roomRoutes, reviewRoutes, drillRoutes, overviewRoutes];

ROUTE_ACCESS.set(routeKey("GET", `${API_PREFIX}/openapi.json`), PUBLIC);
ROUTE_ACCESS.set(routeKey("GET", `${API_PREFIX}/docs`), PUBLIC);
ROUTE_ACCESS.set(routeKey("GET", `${API_PREFIX}/docs/assets/:file`), PUBLIC);

/** Builds the HTTP app: API, OpenAPI document and docs page, health and metrics, and the web app. */
export function createApp(services: Services) {
  const app = new OpenAPIHono<AppEnv>();
  const metrics = createMetrics();

  app.use("*", async (c, next) => {
    c.set("services", services);
    c.set("requestId", c.req.header("x-request-id")?.slice(0, 64) || randomUUID());
    const start = performance.now();
    await next();
    c.header("X-Request-Id", c.var.requestId);
    if (c.req.path.startsWith("/api/") || c.req.path.startsWith("/scim/")) {
      services.log.info({ requestId: c.var.requestId, method: c.req.method, path: loggablePath(c), status: c.res.status, ms: Math.round(performance.now() - start) }, "request");
    }
  });
  app.use("*", metrics.middleware);
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // Mantine sets inline styles
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
      strictTransportSecurity: services.config.secureCookies ? "max-age=31536000; includeSubDomains" : false,
      referrerPolicy: "no-referrer",
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.onError((err, c) => errorToResponse(err, c));

  app.route("/", systemRoutes(metrics.registry));
  // SCIM 2.0 for identity providers, beside the API: its own bearer tokens, media type and error shape. It reads no
  // cookies, so it is mounted before the CSRF check (which would answer in the API's error shape).
  app.route(SCIM_PREFIX, scimProtocolRoutes());

  // Image uploads may be larger (up to 16 MB; the command answers media_too_large past that); the rest 1 MiB.
  const jsonLimit = limitBodySize(1024 * 1024);
  const uploadLimit = limitBodySize(UPLOAD_MAX_BYTES + 64 * 1024);
  app.use(`${API_PREFIX}/*`, (c, next) => (c.req.method === "POST" && c.req.path === `${API_PREFIX}${MEDIA_UPLOAD_PATH}` ? uploadLimit(c, next) : jsonLimit(c, next)));
  app.use(`${API_PREFIX}/*`, refuseNulCharacters());
  app.use("*", csrfProtection());
  app.use(`${API_PREFIX}/*`, authenticate());
  for (const router of API_ROUTERS) app.route(API_PREFIX, router);

  app.doc31(`${API_PREFIX}/openapi.json`, {
    openapi: "3.1.0",
    info: {
      title: "Parapet API",
      version: "1",
      description:
        "Social media risk management. Authenticate with the session cookie (browser; send `X-CSRF-Token` = the `parapet_csrf` cookie on every non-GET request) or a personal API token: `Authorization: Bearer ppt_…`. Errors are `{ error: { code, message, fields? } }` with a stable `code`.",
    },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "cookieSession", { type: "apiKey", in: "cookie", name: "parapet_session" });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerToken", { type: "http", scheme: "bearer", description: "A personal API token (`ppt_…`)" });
  mountApiDocs(app);

  app.all(`${API_PREFIX}/*`, (c) => c.json({ error: { code: "not_found", message: `No API route ${c.req.method} ${c.req.path}` } }, 404));
  // The Sandbox network's own public website (read-only, no sign-in): what was really published there.
  app.route("/sandbox", createSandboxSite(services.database.db));
  mountWebApp(app);
  return app;
}
