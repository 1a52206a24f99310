import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { listSandboxScenarioRuns } from "../../../networks/sandbox/scenario-runs";
import { SANDBOX_SCENARIOS } from "../../../networks/sandbox/scenarios";
import { presentRun } from "../sandbox-runs";

/** The scenarios an admin can start (with what each does), the latest runs with their progress, and the website. */
export async function getSandboxOverview(ctx: Ctx) {
  authorize(ctx.actor, "sandbox.manage");
  const runs = await listSandboxScenarioRuns(ctx.db);
  return {
    siteUrl: `${ctx.services.config.publicUrl}/sandbox`,
    scenarios: Object.values(SANDBOX_SCENARIOS).map((scenario) => ({ id: scenario.id, title: scenario.title, description: scenario.description, ticks: scenario.ticks.length })),
    runs: runs.map(presentRun),
  };
}
