/** A crisis's lifecycle and crisis mode. The other crisis parts build on declareCrisis, loadCrisis, isOnCrisisTeam and crisisTeam. */
export { declareCrisis, type DeclareInput } from "./commands/declare-crisis";
export { changeCrisisStatus } from "./commands/change-status";
export { changeCrisisSeverity } from "./commands/change-severity";
export { assignCrisisRole, renounceCrisisRole } from "./commands/roles";
export { startCrisisMode, switchCrisisMode, endCrisisMode } from "./commands/crisis-mode";
export { listHeldPosts, decideHeldPost } from "./commands/held-posts";
export { listAwaitingApproval } from "./queries/awaiting-approval";
export { listCrises, getCrisis, crisisBanner, proposeForAlert } from "./queries/list-crises";
export { listCrisisNotices } from "./queries/crisis-notices";
export { retryCrisisNotice } from "./commands/retry-crisis-notice";
export { loadCrisis, isOnCrisisTeam, crisisTeam, presentCrisis, severityOf, crisisRef, type CrisisRow } from "./records";
export { TRANSITIONS, canTransition, OPEN_STATUSES } from "./transitions";
export { lockedDownFor } from "./lockdown";
