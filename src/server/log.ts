import pino, { type Logger } from "pino";

export type { Logger };

/** Keys whose values never reach a log line (credentials, tokens, secrets), at the top level and two levels down. */
const SECRET_KEYS = [
  "password", "currentPassword", "newPassword", "passwordHash",
  "token", "sessionToken", "tokenHash", "secret", "mfaSecret", "mfaPendingSecret", "recoveryCodes",
  "smtpUrl", "databaseUrl", "secretKey",
];
/** Headers that carry credentials, in any `headers` object at the top level or one level down (req, res, request…). */
const SECRET_HEADERS = [".authorization", ".cookie", "['set-cookie']", "['x-csrf-token']"];

/**
 * Paths whose values never reach a log line. `code` (an MFA code, e.g. `body.code`) is redacted only at the top and
 * one level down: deeper codes, such as the cause of a logged error (`err.cause.code`: ECONNREFUSED), stay readable.
 */
export const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...SECRET_HEADERS.flatMap((header) => [`headers${header}`, `*.headers${header}`]),
  "code", "*.code",
];

/** Creates the process logger; `destination` lets tests capture output. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: { service: "parapet" } }, destination);
}
