import { AppError } from "../../../errors";

export const alertNotFound = () => new AppError("alert_not_found", 404, "This alert does not exist in this workspace");
export const alertStatusBackwards = (from: string, to: string) =>
  new AppError("alert_status_backwards", 409, `This alert is already ${from}: it cannot go back to ${to} (open → acknowledged → resolved)`);
export const impostorNotFound = () => new AppError("impostor_not_found", 404, "This suspected impostor account does not exist in this workspace");
