/** An error a client may see: a stable machine code, an HTTP status, a human message and optional per-field messages. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 423 | 429 | 503,
    message: string,
    readonly fields?: Record<string, string[]>,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const invalidInput = (fields: Record<string, string[]>, message = "Some fields are not valid") =>
  new AppError("invalid_input", 400, message, fields);
export const unauthenticated = (message = "Sign in first") => new AppError("unauthenticated", 401, message);
export const forbidden = (message = "You are not allowed to do this") => new AppError("forbidden", 403, message);
export const notFound = (what: string) => new AppError("not_found", 404, `${what} not found`);
export const conflict = (code: string, message: string) => new AppError(code, 409, message);
export const gone = (code: string, message: string) => new AppError(code, 410, message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError("rate_limited", 429, `Too many attempts; try again in ${retryAfterSeconds} s`, undefined, { retryAfterSeconds });
export const mfaRequired = () => new AppError("mfa_required", 403, "Confirm your sign-in with your authenticator code first");
export const mfaEnrolmentRequired = () =>
  new AppError("mfa_enrolment_required", 403, "This workspace requires two-factor authentication: set it up to continue");
