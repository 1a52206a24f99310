import type { TFunction } from "i18next";

/** Minimum password length; the server checks the same rule. */
export const MIN_PASSWORD_LENGTH = 10;

export type FieldErrors = Record<string, string | undefined>;

/** Checks before sending, in the user's language; returns the errors, or null when all is well. */
export function validate(checks: Record<string, string | undefined | false>): FieldErrors | null {
  const errors: FieldErrors = {};
  let any = false;
  for (const [field, message] of Object.entries(checks)) {
    if (message) {
      errors[field] = message;
      any = true;
    }
  }
  return any ? errors : null;
}

export const requiredText = (t: TFunction, value: string) => (value.trim() ? undefined : t("validation.required"));

export const emailText = (t: TFunction, value: string) =>
  !value.trim() ? t("validation.required") : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? undefined : t("validation.email");

export const newPasswordText = (t: TFunction, value: string) =>
  value.length >= MIN_PASSWORD_LENGTH ? undefined : t("validation.passwordLength", { count: MIN_PASSWORD_LENGTH });

export const repeatText = (t: TFunction, value: string, repeat: string) => (value === repeat ? undefined : t("validation.passwordsDiffer"));
