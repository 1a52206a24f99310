import type { TFunction } from "i18next";
import { ApiError } from "../api/client";
import { formatDateTime, formatNumber } from "../i18n/format";
import { i18next } from "../i18n";

/**
 * The user-facing text for an error: the translation of its stable code (`errors.<code>`),
 * else the server's own message, else a generic one.
 */
export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    const retry = error.retryAfterSeconds;
    const lockedUntil = typeof error.details.lockedUntil === "string" ? formatDateTime(error.details.lockedUntil) : undefined;
    if (error.code === "rate_limited" && retry !== undefined) return t("errors.rate_limited_seconds", { seconds: formatNumber(retry) });
    if (error.code === "account_locked" && lockedUntil) return t("errors.account_locked_until", { time: lockedUntil });
    if (i18next.exists(key)) return t(key);
    if (error.message) return error.message;
    return t("errors.unexpected");
  }
  return t("errors.unexpected");
}

/**
 * The message to show under one input: for an error that has its own code the translated text,
 * for plain validation errors the server's per-field messages.
 */
export function fieldError(t: TFunction, error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = error.fields[field];
  if (!messages?.length) return undefined;
  if (error.code !== "invalid_input" && i18next.exists(`errors.${error.code}`)) return t(`errors.${error.code}`);
  return messages.join(" ");
}

/** Whether the error is fully explained by per-field messages (so no banner is needed). */
export function hasOnlyFieldErrors(error: unknown, fields: string[]): boolean {
  return error instanceof ApiError && Object.keys(error.fields).length > 0 && Object.keys(error.fields).every((f) => fields.includes(f));
}
