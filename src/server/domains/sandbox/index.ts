/** The Sandbox from Parapet's side: who may play its scenarios, and the audit log of it. The network is networks/sandbox. */
export { startSandboxScenario } from "./commands/start-sandbox-scenario";
export { stopSandboxScenario } from "./commands/stop-sandbox-scenario";
export { playNextSandboxTick } from "./commands/play-next-sandbox-tick";
export { unsafePlayDueSandboxScenarios } from "./commands/play-due-sandbox-scenarios";
export { getSandboxOverview } from "./queries/get-sandbox-overview";
export { presentRun } from "./sandbox-runs";
