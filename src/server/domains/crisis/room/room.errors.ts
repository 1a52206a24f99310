import { AppError } from "../../../errors";

/** The crisis room's errors, each with a stable code (translated in the web app's "errors" section). */
export const crisisNotFound = () => new AppError("crisis_not_found", 404, "This crisis does not exist in this workspace");
export const notOnCrisisTeam = () =>
  new AppError("crisis_not_on_team", 403, "Only the crisis team (or a manager) acts in this crisis room: ask the crisis lead to add you");
export const crisisNotOpen = () => new AppError("crisis_not_open", 409, "This crisis is over (closed, cancelled or merged): its room can be read, not changed");
export const crisisEventNotFound = () => new AppError("crisis_event_not_found", 404, "This timeline entry does not exist");
export const crisisTaskNotFound = () => new AppError("crisis_task_not_found", 404, "This task does not exist");
export const statementNotFound = () => new AppError("statement_not_found", 404, "This statement does not exist");
export const statementTemplateNotFound = () => new AppError("statement_template_not_found", 404, "The crisis's plan has no holding statement with this id");
export const statementVersionConflict = (current: number) =>
  new AppError("statement_version_conflict", 409, "Someone changed this statement since you opened it: reload it and make your change again", undefined, { currentVersion: current });
export const statementWrongStatus = (status: string, wanted: string) =>
  new AppError("statement_wrong_status", 409, `This statement is ${status}; it must be ${wanted} for this`);
export const statementNoApprover = (role: string) =>
  new AppError("statement_no_approver", 409, `Nobody holds the approver role (${role}) in this crisis: name a holder first`);
export const notStatementApprover = () =>
  new AppError("statement_not_approver", 403, "Only the statement's approver decides it (its backup once the deadline has passed)");
export const statementNeedsChannels = () => new AppError("statement_needs_channels", 400, "Choose at least one channel to publish to");
export const statementIsReply = () => new AppError("statement_is_reply", 409, "A saved reply is not published: copy it into a conversation and record its use");
export const statementNotReply = () => new AppError("statement_not_reply", 409, "Only a saved reply is recorded as used; publish the others");
export const statementChannelNeedsApproval = () =>
  new AppError("statement_channel_needs_approval", 409, "A chosen channel has its own approval workflow or you may not publish on it: publish from a channel where you have Full publishing");
export const statementPlaceholdersLeft = (placeholders: string[]) =>
  new AppError("statement_placeholders_left", 409, `Fill in the template's placeholders first: ${placeholders.join(", ")}`, undefined, { placeholders });
