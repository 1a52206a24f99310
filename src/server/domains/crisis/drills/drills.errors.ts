import { AppError } from "../../../errors";

export const drillNotFound = () => new AppError("crisis_drill_not_found", 404, "This drill does not exist in this workspace");
export const drillPlanNotFound = () => new AppError("crisis_drill_plan_not_found", 404, "This plan does not exist in this workspace (or was archived)");
export const drillAlreadyRunning = () => new AppError("crisis_drill_already_running", 409, "A drill of this plan is already running: finish it first");
export const drillNotRunning = (status: string) => new AppError("crisis_drill_not_running", 409, `This drill is ${status}`);
export const drillAlreadyDeclared = () => new AppError("crisis_drill_already_declared", 409, "The crisis of this drill is already declared");
export const drillSandboxNotSeeded = (missing: string) =>
  new AppError("crisis_drill_sandbox_not_seeded", 409, `The Sandbox network is missing accounts the scenario needs (${missing}): seed the Sandbox first`);
export const drillApproverUnreachable = () =>
  new AppError(
    "drill_approver_unreachable",
    409,
    "Drill: the approver cannot be reached. Once the approval deadline passes, the statement goes to the backup approver, who decides it",
  );
