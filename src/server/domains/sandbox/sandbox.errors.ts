import { conflict, invalidInput } from "../../errors";

export const scenarioUnknown = (scenario: string) => invalidInput({ scenario: [`No Sandbox scenario "${scenario}"`] });
export const tickIntervalOutOfRange = (min: number, max: number) =>
  invalidInput({ tickEverySeconds: [`Between ${min} and ${max} seconds, in whole seconds`] });
export const scenarioAlreadyRunning = () => conflict("sandbox_scenario_running", "This scenario is already playing: stop it before starting it again");
export const runNotRunning = () => conflict("sandbox_run_not_running", "This scenario run has finished or was stopped: start the scenario again");
export const sandboxNotSeeded = (detail: string) =>
  conflict("sandbox_not_seeded", `The Sandbox does not have the accounts this scenario plays with (${detail}); seed it first (the demo does)`);
