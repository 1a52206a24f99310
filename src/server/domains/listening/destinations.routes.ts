import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/alert-destinations";
import { defineRoute, may } from "../../http/access";
import { ERRORS, jsonBody, newRouter, noContent, ok } from "../../http/openapi-kit";
import { createDestination, deleteDestination, listDestinations, testDestination, updateDestination } from "./alerts/destinations";

const tags = ["Alert destinations"];
const destinationParam = z.object({ destinationId: z.uuid() });

/** Where listening alerts go outside Parapet: email, Slack, Microsoft Teams, signed webhooks. For admins. */
export const destinationRoutes = newRouter();

destinationRoutes.openapi(
  defineRoute(may("alerts.destinations"), {
    method: "get", path: "/listening/alert-destinations", tags, summary: "Where the workspace's alerts are sent",
    description: "For admins. A URL or secret is never shown: `targetHint` is the host and the last 4 characters of the address (email destinations show their addresses).",
    responses: { 200: ok(z.object({ destinations: z.array(api.AlertDestination) })), 403: ERRORS[403] },
  }),
  async (c) => c.json({ destinations: await listDestinations(c.var.ctx) }, 200),
);

destinationRoutes.openapi(
  defineRoute(may("alerts.destinations"), {
    method: "post", path: "/listening/alert-destinations", tags, summary: "Add an alert destination",
    description:
      "`kind` email (`target`: addresses separated by commas or new lines, at most 20), slack (an incoming webhook, https://hooks.slack.com/services/…), teams (a Workflows or incoming-webhook URL) or webhook (any https URL; plain http only to this machine). `kinds`: alert kinds sent here (empty: all); `locale`: the language messages are written in. A webhook gets a generated Standard Webhooks signing secret, returned as `signingSecret` this once and never again. Audited `listening.destination_created`. Errors: `destination_target_invalid` (400).",
    request: jsonBody(api.CreateDestinationBody),
    responses: { 201: ok(api.CreatedDestination, "Created"), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json(await createDestination(c.var.ctx, c.req.valid("json")), 201),
);

destinationRoutes.openapi(
  defineRoute(may("alerts.destinations"), {
    method: "patch", path: "/listening/alert-destinations/{destinationId}", tags, summary: "Rename, filter, change the language, or turn off or on",
    description: "Any of `name`, `kinds`, `locale`, `enabled`. A turned-off destination gets no new alerts. The target cannot be changed: add a new destination instead. Audited `listening.destination_updated`. Errors: `destination_not_found` (404).",
    request: { params: destinationParam, ...jsonBody(api.UpdateDestinationBody) },
    responses: { 200: ok(api.AlertDestination), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await updateDestination(c.var.ctx, c.req.valid("param").destinationId, c.req.valid("json")), 200),
);

destinationRoutes.openapi(
  defineRoute(may("alerts.destinations"), {
    method: "delete", path: "/listening/alert-destinations/{destinationId}", tags, summary: "Remove an alert destination",
    description: "Its delivery records go with it. Audited `listening.destination_deleted`. Errors: `destination_not_found` (404).",
    request: { params: destinationParam },
    responses: { 204: noContent, 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => {
    await deleteDestination(c.var.ctx, c.req.valid("param").destinationId);
    return c.body(null, 204);
  },
);

destinationRoutes.openapi(
  defineRoute(may("alerts.destinations"), {
    method: "post", path: "/listening/alert-destinations/{destinationId}/test", tags, summary: "Send a test message now",
    description: "Sent the way real alerts are (same message format, signature and timeout; email through the mail outbox) and answered with the outcome: `delivered`, `queued` (email) or `failed` with the reason (an HTTP status or a network error). Works on a turned-off destination too. Audited `listening.destination_tested`. Errors: `destination_not_found` (404).",
    request: { params: destinationParam },
    responses: { 200: ok(api.DestinationTestOutcome), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await testDestination(c.var.ctx, c.req.valid("param").destinationId), 200),
);
