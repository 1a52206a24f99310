/** The plans part's exports for the rest of the crisis module (lifecycle, room, review, drills) and the demo. */
export { ensureSeverities, severityOf, toSeverity, DEFAULT_SEVERITIES } from "./severities";
export { getPlanVersion, proposePlan, createPlanIn, approveStatementsIn } from "./plans";
export { SCENARIO_TEMPLATES, scenarioTemplate, type ScenarioTemplate } from "./templates";
export { planReadiness, DRILL_DUE_DAYS } from "./readiness";
export { listPlans } from "./plans";
