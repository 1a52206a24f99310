import { AppError } from "../../../errors";

export const severityNotFound = (level: number) => new AppError("severity_not_found", 404, `There is no severity level ${level} in this workspace`);
export const severityExists = (level: number) => new AppError("severity_exists", 409, `Severity level ${level} already exists`);
export const severityInUse = (reason: string) => new AppError("severity_in_use", 409, `This severity level cannot be removed: ${reason}`);
export const planNotFound = () => new AppError("plan_not_found", 404, "This crisis plan does not exist in this workspace");
export const planVersionNotFound = (version: number) => new AppError("plan_version_not_found", 404, `This plan has no version ${version}`);
export const planVersionConflict = (current: number) =>
  new AppError("plan_version_conflict", 409, `Someone saved this plan meanwhile (now version ${current}): reload it and make your change again`, undefined, { currentVersion: current });
export const planArchived = () => new AppError("plan_archived", 409, "This plan is archived: restore it before changing it");
export const planContentInvalid = (reason: string) => new AppError("plan_content_invalid", 400, `This plan cannot be saved: ${reason}`);
export const planStatementNotFound = () => new AppError("plan_statement_not_found", 404, "This plan has no holding statement with that id");
