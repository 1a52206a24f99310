import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/crisis-plans";
import { defineRoute, may } from "../../http/access";
import { ERRORS, idParam, jsonBody, newRouter, noContent, ok } from "../../http/openapi-kit";
import { approvePlanStatement, createPlan, getPlan, listPlans, listPlanVersions, setPlanArchived, updatePlan } from "./plans/plans";
import { createSeverity, deleteSeverity, listSeverities, updateSeverity } from "./plans/severities";
import { SCENARIO_TEMPLATES } from "./plans/templates";
import { listStakeholderDestinations } from "./plans/stakeholder-destinations";

const sevTags = ["Crisis: severities"];
const planTags = ["Crisis: plans"];
const levelParam = z.object({ level: z.coerce.number().int().min(1).max(9) });
const planParam = idParam("planId");

/** Severity levels and crisis plans per scenario (with versions, holding statements and readiness). */
export const crisisPlanRoutes = newRouter();

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/severities", tags: sevTags, summary: "The workspace's severity levels, most urgent first",
    description: "SEV1–SEV4 are written on first use (what each means, who approves statements, whether crisis mode starts by itself, internal and public update cadence, fast-track approval deadline).",
    responses: { 200: ok(z.object({ severities: z.array(api.Severity) })) },
  }),
  async (c) => c.json({ severities: await listSeverities(c.var.ctx) }, 200),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.severities"), {
    method: "post", path: "/crisis/severities", tags: sevTags, summary: "Add a severity level (admins)",
    description: "`level` 1 is the most urgent. Audited `crisis.severity_created`. Errors: `severity_exists` (409).",
    request: jsonBody(api.CreateSeverityBody), responses: { 201: ok(api.Severity, "Created"), 400: ERRORS[400], 403: ERRORS[403], 409: ERRORS[409] },
  }),
  async (c) => c.json(await createSeverity(c.var.ctx, c.req.valid("json")), 201),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.severities"), {
    method: "patch", path: "/crisis/severities/{level}", tags: sevTags, summary: "Change a severity level (admins)",
    description: "Any of its fields; crises already declared keep their due times until their severity changes. Audited `crisis.severity_updated` with before and after. Errors: `severity_not_found` (404).",
    request: { params: levelParam, ...jsonBody(api.UpdateSeverityBody) }, responses: { 200: ok(api.Severity), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await updateSeverity(c.var.ctx, c.req.valid("param").level, c.req.valid("json")), 200),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.severities"), {
    method: "delete", path: "/crisis/severities/{level}", tags: sevTags, summary: "Remove a severity level (admins)",
    description: "Not the only level, not one a crisis that is not closed has, not a plan's default. Audited `crisis.severity_deleted`. Errors: `severity_not_found` (404), `severity_in_use` (409).",
    request: { params: levelParam }, responses: { 204: noContent, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => {
    await deleteSeverity(c.var.ctx, c.req.valid("param").level);
    return c.body(null, 204);
  },
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/plan-templates", tags: planTags, summary: "The ready templates for the eight scenarios",
    description: "Roles, a first-hour checklist with timed steps, a holding statement (acknowledge → empathize → what we are doing → what people should do → when the next update comes), triggers and crisis-mode defaults. A new plan starts from one.",
    responses: { 200: ok(z.object({ templates: z.array(api.ScenarioTemplateOut) })) },
  }),
  async (c) => c.json({ templates: Object.values(SCENARIO_TEMPLATES) }, 200),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/plans", tags: planTags, summary: "The workspace's crisis plans with their readiness",
    description: "By scenario then name; `archived=true` lists archived plans too. Readiness: roles held by current members, backups set, statements approved, days since the last drill (ready needs one within `drillDueDays`).",
    request: { query: z.object({ archived: z.enum(["true", "false"]).optional() }) },
    responses: { 200: ok(z.object({ plans: z.array(api.PlanSummary) })) },
  }),
  async (c) => c.json({ plans: await listPlans(c.var.ctx, { archived: c.req.valid("query").archived === "true" }) }, 200),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.plans"), {
    method: "post", path: "/crisis/plans", tags: planTags, summary: "Create a plan for a scenario (from its ready template unless `content` is given)",
    description: "Version 1. Holding statements start unapproved. Audited `crisis.plan_created`. Errors: `plan_content_invalid` (400: duplicate roles or ids, a holder or backup who is not a member, a backup equal to the holder, an unknown severity, stream or alert destination).",
    request: jsonBody(api.CreatePlanBody), responses: { 201: ok(api.Plan, "Created"), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json(await createPlan(c.var.ctx, c.req.valid("json")), 201),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/plans/{planId}", tags: planTags, summary: "A plan at its newest version (or `version`)",
    request: { params: planParam, query: z.object({ version: z.coerce.number().int().min(1).optional() }) },
    responses: { 200: ok(api.Plan), 404: ERRORS[404] },
  }),
  async (c) => c.json(await getPlan(c.var.ctx, c.req.valid("param").planId, c.req.valid("query").version), 200),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/plans/{planId}/versions", tags: planTags, summary: "A plan's versions, newest first",
    request: { params: planParam }, responses: { 200: ok(z.object({ versions: z.array(api.PlanVersionSummary) })), 404: ERRORS[404] },
  }),
  async (c) => c.json({ versions: await listPlanVersions(c.var.ctx, c.req.valid("param").planId) }, 200),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.plans"), {
    method: "put", path: "/crisis/plans/{planId}", tags: planTags, summary: "Save a new version of a plan",
    description: "Send the whole content and the version you read (`expectedVersion`). A holding statement keeps its approval only if its text and language are unchanged; approvals are never set through this route. Audited `crisis.plan_updated`. Errors: `plan_version_conflict` (409, with `currentVersion`), `plan_archived` (409), `plan_content_invalid` (400), `plan_not_found` (404).",
    request: { params: planParam, ...jsonBody(api.UpdatePlanBody) }, responses: { 200: ok(api.Plan), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await updatePlan(c.var.ctx, c.req.valid("param").planId, c.req.valid("json")), 200),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.plans"), {
    method: "post", path: "/crisis/plans/{planId}/statements/{statementId}/approve", tags: planTags, summary: "Approve a holding statement in advance",
    description: "Writes a new version recording who approved it and when. Audited `crisis.plan_statement_approved`. Errors: `plan_statement_not_found` (404), `plan_version_conflict` (409).",
    request: { params: z.object({ planId: z.uuid(), statementId: z.string().min(1).max(40) }), ...jsonBody(api.ApproveStatementBody) },
    responses: { 200: ok(api.Plan), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => {
    const { planId, statementId } = c.req.valid("param");
    return c.json(await approvePlanStatement(c.var.ctx, planId, statementId, c.req.valid("json").expectedVersion), 200);
  },
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.plans"), {
    method: "post", path: "/crisis/plans/{planId}/archive", tags: planTags, summary: "Archive a plan (no longer listed or proposed; crises keep their version)",
    description: "Audited `crisis.plan_archived`.",
    request: { params: planParam }, responses: { 200: ok(api.Plan), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await setPlanArchived(c.var.ctx, c.req.valid("param").planId, true), 200),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.plans"), {
    method: "post", path: "/crisis/plans/{planId}/restore", tags: planTags, summary: "Restore an archived plan",
    description: "Audited `crisis.plan_restored`.",
    request: { params: planParam }, responses: { 200: ok(api.Plan), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await setPlanArchived(c.var.ctx, c.req.valid("param").planId, false), 200),
);

crisisPlanRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/stakeholder-destinations", tags: planTags, summary: "Alert destinations a plan's stakeholder can be notified through",
    description: "Kind, name and whether each is on; never its address. Crisis mode sends its notice to a stakeholder's destination at the stakeholder's severity (drills never do).",
    responses: { 200: ok(z.object({ destinations: z.array(api.StakeholderDestination) })), 403: ERRORS[403] },
  }),
  async (c) => c.json({ destinations: await listStakeholderDestinations(c.var.ctx) }, 200),
);
