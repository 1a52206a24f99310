import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/listening-alerts";
import { defineRoute, may } from "../../http/access";
import { ERRORS, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import { getAlert, listAlerts, listImpostors, setAlertStatus, setImpostorStatus } from "./alerts/alerts-api";

const tags = ["Listening alerts"];
const alertParam = z.object({ alertId: z.uuid() });
const impostorParam = z.object({ impostorId: z.uuid() });

/** Alerts raised by listening (spikes, turns to negative, critical terms, impostors) and suspected impostor accounts. */
export const alertRoutes = newRouter();

alertRoutes.openapi(
  defineRoute(may("listening.read"), {
    method: "get", path: "/listening/alerts", tags, summary: "The workspace's alerts, newest first, and how many are open",
    description: "Filters: `kind` (spike, negative_turn, keyword, impostor), `status` (open, acknowledged, resolved), `stream` (a stream's id); `limit` up to 200 (100 by default). `open` counts all open alerts of the workspace, whatever the filters.",
    request: { query: api.ListAlertsQuery },
    responses: { 200: ok(api.AlertList), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json(await listAlerts(c.var.ctx, c.req.valid("query")), 200),
);

alertRoutes.openapi(
  defineRoute(may("listening.read"), {
    method: "get", path: "/listening/alerts/{alertId}", tags, summary: "One alert with its evidence and the mentions behind it",
    description: "A spike or turn to negative lists its stream's mentions in the alert's window (newest first, at most 100); a keyword or impostor alert the mentions it names. `deliveries`: where it was sent and how that went. Errors: `alert_not_found` (404).",
    request: { params: alertParam },
    responses: { 200: ok(api.AlertDetail), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await getAlert(c.var.ctx, c.req.valid("param").alertId), 200),
);

alertRoutes.openapi(
  defineRoute(may("alerts.handle"), {
    method: "post", path: "/listening/alerts/{alertId}/status", tags, summary: "Acknowledge or resolve an alert",
    description: "For managers. Forward only: open → acknowledged → resolved (resolving an open alert directly is fine; the same status again changes nothing). Audited `listening.alert_status_changed`. Errors: `alert_not_found` (404), `alert_status_backwards` (409).",
    request: { params: alertParam, ...jsonBody(api.AlertStatusBody) },
    responses: { 200: ok(api.AlertDetail), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await setAlertStatus(c.var.ctx, c.req.valid("param").alertId, c.req.valid("json").status), 200),
);

alertRoutes.openapi(
  defineRoute(may("listening.read"), {
    method: "get", path: "/listening/impostors", tags, summary: "Suspected impostor accounts, the latest seen first",
    description: "Accounts seen in mentions that imitate one of the workspace's channels (confusable handle or name, the brand's name with an affix, giveaway or payment bait), with their score, the channel they imitate and why. Filter: `status` (new, reviewed, reported, taken_down, dismissed).",
    request: { query: api.ListImpostorsQuery },
    responses: { 200: ok(z.object({ impostors: z.array(api.Impostor) })), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json({ impostors: await listImpostors(c.var.ctx, c.req.valid("query")) }, 200),
);

alertRoutes.openapi(
  defineRoute(may("alerts.handle"), {
    method: "post", path: "/listening/impostors/{impostorId}/status", tags, summary: "Record what was done about a suspected impostor",
    description: "For managers: reviewed, reported (to the network), taken_down, dismissed (not an impostor), or new again. The scan never changes a status a person set. Audited `listening.impostor_status_changed`. Errors: `impostor_not_found` (404).",
    request: { params: impostorParam, ...jsonBody(api.ImpostorStatusBody) },
    responses: { 200: ok(api.Impostor), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await setImpostorStatus(c.var.ctx, c.req.valid("param").impostorId, c.req.valid("json").status), 200),
);
