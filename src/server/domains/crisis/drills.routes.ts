import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/crisis-review";
import { defineRoute, may } from "../../http/access";
import { ERRORS, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import * as drills from "./drills";

const tags = ["Crisis drills"];
export const drillRoutes = newRouter();

drillRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/drills", tags, summary: "Drills of the workspace, newest first, with their scores",
    responses: { 200: ok(z.object({ drills: z.array(api.Drill) })), 403: ERRORS[403] },
  }),
  async (c) => c.json({ drills: await drills.listDrills(c.var.ctx) }, 200),
);

drillRoutes.openapi(
  defineRoute(may("crisis.plans"), {
    method: "post", path: "/crisis/drills", tags, summary: "Start a drill of a plan on the Sandbox network",
    description:
      "Plays the plan's Sandbox scenario (hacked account → hacked_account_spam, impostor → impostor_giveaway, product recall → defective_product, anything else → viral_complaint) and schedules timed injects that act when their minute comes (defaults: approver unreachable at +5 — the approver's decisions on the drill crisis's statements are refused with `drill_approver_unreachable`, so the backup decides after the deadline; a journalist's direct message and mention to the brand's Sandbox channel at +10; a task for the lead, 'the executive asks for a status update', at +20; a second wave of complaint posts on the Sandbox at +30). Nothing is declared: declaring is the first thing scored. 409 `crisis_drill_already_running`, `crisis_drill_sandbox_not_seeded`.",
    request: jsonBody(api.StartDrillBody),
    responses: { 201: ok(api.Drill), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await drills.startDrill(c.var.ctx, c.req.valid("json")), 201),
);

drillRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/drills/{drillId}", tags, summary: "A drill: injects, its crisis, score and debrief",
    request: { params: api.DrillIdParam },
    responses: { 200: ok(api.Drill), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await drills.getDrill(c.var.ctx, c.req.valid("param").drillId), 200),
);

drillRoutes.openapi(
  defineRoute(may("crisis.declare"), {
    method: "post", path: "/crisis/drills/{drillId}/declare", tags, summary: "Declare the drill's crisis (a drill crisis: Sandbox channels only)",
    description:
      "From the alert the scenario raised (`alertId`) or by hand, from the drill page or from the crises page's declare dialog (which asks whether a declaration made while a drill runs is that drill; `title` and `summary` then come from the dialog). The crisis is marked as a drill: crisis mode acts on Sandbox channels only and never ends real sessions. Injects delivered before act now.",
    request: { params: api.DrillIdParam, ...jsonBody(api.DeclareDrillBody) },
    responses: { 200: ok(api.Drill), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await drills.declareDrillCrisis(c.var.ctx, c.req.valid("param").drillId, c.req.valid("json")), 200),
);

drillRoutes.openapi(
  defineRoute(may("crisis.plans"), {
    method: "post", path: "/crisis/drills/{drillId}/finish", tags, summary: "Finish (or abandon) a drill: the score from the timeline; the plan's last drilled date",
    description:
      "Scores: declared within 10 minutes of the start, paused within 5 of declaring, holding statement approved within 30, internal cadence kept, backup approver used when needed. Injects not delivered yet are marked skipped, and the drill's Sandbox scenario run is stopped (unless another running drill plays the same scenario).",
    request: { params: api.DrillIdParam, ...jsonBody(api.FinishDrillBody) },
    responses: { 200: ok(api.Drill), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await drills.finishDrill(c.var.ctx, c.req.valid("param").drillId, c.req.valid("json")), 200),
);

drillRoutes.openapi(
  defineRoute(may("crisis.plans"), {
    method: "patch", path: "/crisis/drills/{drillId}", tags, summary: "Write the drill's debrief",
    request: { params: api.DrillIdParam, ...jsonBody(api.UpdateDrillBody) },
    responses: { 200: ok(api.Drill), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await drills.updateDrillDebrief(c.var.ctx, c.req.valid("param").drillId, c.req.valid("json").debrief), 200),
);
