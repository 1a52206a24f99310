import { AppError } from "../../errors";

export const invalidCredentials = () => new AppError("invalid_credentials", 401, "Email or password is wrong");
export const accountLocked = (until: Date) =>
  new AppError("account_locked", 423, `Too many failed sign-ins: this account is locked until ${until.toISOString()}`, undefined, { lockedUntil: until.toISOString() });
export const accountDisabled = () => new AppError("account_disabled", 403, "This account has been disabled");
export const invalidMfaCode = () => new AppError("invalid_mfa_code", 400, "That code is not valid (or was already used)", { code: ["Enter the current 6-digit code or a recovery code"] });
export const mfaNotEnrolled = () => new AppError("mfa_not_enrolled", 409, "Two-factor authentication is not set up");
export const mfaAlreadyEnrolled = () => new AppError("mfa_already_enrolled", 409, "Two-factor authentication is already set up");
export const invalidResetToken = () => new AppError("invalid_reset_token", 410, "This password reset link is invalid, used or expired: ask for a new one");
export const wrongPassword = (field = "currentPassword") => new AppError("wrong_password", 400, "Your current password is wrong", { [field]: ["Your current password is wrong"] });
