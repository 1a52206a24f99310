import pino, { type Logger } from "pino";

export type { Logger };

/** Paths whose values never reach a log line (credentials, tokens, cookies, secrets). */
export const REDACTED_PATHS = [
  "password", "*.password", "*.*.password", "newPassword", "*.newPassword", "currentPassword", "*.currentPassword",
  "token", "*.token", "*.*.token", "secret", "*.secret", "code", "*.code",
  "req.headers.authorization", "req.headers.cookie", "res.headers['set-cookie']",
  "headers.authorization", "headers.cookie", "smtpUrl", "*.smtpUrl", "databaseUrl", "*.databaseUrl", "secretKey", "*.secretKey",
];

/** Creates the process logger; `destination` lets tests capture output. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: { service: "parapet" } }, destination);
}
