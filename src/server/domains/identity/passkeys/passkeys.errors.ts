import { AppError } from "../../../errors";

export const passkeyChallengeInvalid = () =>
  new AppError("passkey_challenge_invalid", 400, "This passkey request is unknown, was already answered or has expired: start again");
export const passkeyRefused = () => new AppError("passkey_refused", 400, "That passkey was not accepted");
export const passkeyNotRegistered = () => new AppError("passkey_not_registered", 409, "There is no passkey on this account");
export const passkeyAlreadyRegistered = () => new AppError("passkey_already_registered", 409, "This passkey is already registered");
