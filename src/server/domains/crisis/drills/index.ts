/** Drills: a plan's scenario played on the Sandbox as a drill crisis, with timed injects and a score from the timeline. */
export { startDrill, declareDrillCrisis, finishDrill, updateDrillDebrief, listDrills, getDrill, unsafeDeliverDrillInjects, sandboxScenarioFor, DEFAULT_INJECTS } from "./drill-commands";
export { scoreDrill, DRILL_TARGETS } from "./score";
