import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/api";
import { defineRoute, may } from "../../http/access";
import { ERRORS, idParam, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import * as sandbox from "./index";

const tags = ["Sandbox"];
export const sandboxRoutes = newRouter();

sandboxRoutes.openapi(
  defineRoute(may("sandbox.manage"), {
    method: "get", path: "/sandbox/scenarios", tags, summary: "Sandbox scenarios and their runs",
    description:
      "The scenarios an admin can play on the Sandbox (the simulated network) with what each does and how many ticks it has, the latest runs newest first with their progress, and the address of the Sandbox's public website.",
    responses: { 200: ok(api.SandboxOverview) },
  }),
  async (c) => c.json(await sandbox.getSandboxOverview(c.var.ctx), 200),
);

sandboxRoutes.openapi(
  defineRoute(may("sandbox.manage"), {
    method: "post", path: "/sandbox/scenario-runs", tags, summary: "Start a scenario",
    description:
      "Starts a new run of the scenario: its first tick is due at once, then one tick every `tickEverySeconds` (default 60), played by the `sandbox.play-scenarios` job every minute. Errors: `sandbox_scenario_running` (409, stop it first), `sandbox_not_seeded` (409).",
    request: jsonBody(api.StartSandboxScenarioBody),
    responses: { 200: ok(api.SandboxScenarioRun), 400: ERRORS[400], 403: ERRORS[403], 409: ERRORS[409] },
  }),
  async (c) => c.json(sandbox.presentRun(await sandbox.startSandboxScenario(c.var.ctx, c.req.valid("json"))), 200),
);

sandboxRoutes.openapi(
  defineRoute(may("sandbox.manage"), {
    method: "post", path: "/sandbox/scenario-runs/{runId}/stop", tags, summary: "Stop a scenario run",
    description: "No further ticks; what the run already added stays on the Sandbox. Errors: `sandbox_run_not_running` (409).",
    request: { params: idParam("runId") },
    responses: { 200: ok(api.SandboxScenarioRun), 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(sandbox.presentRun(await sandbox.stopSandboxScenario(c.var.ctx, { runId: c.req.valid("param").runId })), 200),
);

sandboxRoutes.openapi(
  defineRoute(may("sandbox.manage"), {
    method: "post", path: "/sandbox/scenario-runs/{runId}/play-next-tick", tags, summary: "Play a run's next tick now",
    description:
      "Plays the next tick at once (for demos and tests) and returns the run with what was `added`; the following tick is due a full interval later. Errors: `sandbox_run_not_running` (409), `sandbox_not_seeded` (409).",
    request: { params: idParam("runId") },
    responses: { 200: ok(api.SandboxTickResult), 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => {
    const { run, added } = await sandbox.playNextSandboxTick(c.var.ctx, { runId: c.req.valid("param").runId });
    return c.json({ run: sandbox.presentRun(run), added }, 200);
  },
);

export type SandboxOverview = z.infer<typeof api.SandboxOverview>;
