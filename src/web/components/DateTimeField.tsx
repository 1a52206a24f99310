import { TextInput, type TextInputProps } from "@mantine/core";
import { formatDate, formatDateTime } from "../i18n/format";

/** "2026-11-25" or "2026-11-25T09:00" (what date and datetime-local inputs hold) as a local date; null when not one. */
export function localInputDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour = "0", minute = "0"] = match;
  const date = new Date(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
  return Number.isNaN(date.getTime()) ? null : date;
}

type DateTimeFieldProps = Omit<TextInputProps, "type" | "value"> & { kind?: "date" | "datetime"; value: string };

/**
 * A date (or date and time) field. The browser draws the field and its picker in the browser's own language and
 * format ("mm/dd/yyyy" in an English browser, whatever language Parapet is in), so under it the chosen value is read
 * back in the reader's language and calendar ("Nov 25, 2026, 09:00 AM CET"; "۵ آذر ۱۴۰۵، ۰۹:۰۰ (CET)" in Persian).
 * The field itself reads left to right; its label, notes and error keep the page's direction.
 */
export function DateTimeField({ kind = "datetime", value, description, ...props }: DateTimeFieldProps) {
  const date = localInputDate(value);
  const readBack = date ? (kind === "date" ? formatDate(date) : formatDateTime(date)) : null;
  return (
    <TextInput
      {...props}
      type={kind === "date" ? "date" : "datetime-local"}
      value={value}
      dir="ltr"
      description={
        readBack ? (
          <>
            {description}
            {description ? <br /> : null}
            <span data-testid="date-read-back">{readBack}</span>
          </>
        ) : (
          description
        )
      }
    />
  );
}
