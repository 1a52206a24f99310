import { AppError } from "../../../errors";

export const destinationNotFound = () => new AppError("destination_not_found", 404, "This alert destination does not exist in this workspace");
export const destinationTargetInvalid = (reason: string) => new AppError("destination_target_invalid", 400, `This target cannot receive alerts: ${reason}`);
