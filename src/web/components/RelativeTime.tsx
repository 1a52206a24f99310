import { useTranslation } from "react-i18next";
import { formatDateTime, formatRelative } from "../i18n/format";
import { isLocale } from "../i18n";

/** A moment shown relative to now ("3 hours ago") with the exact time, zone named, on hover. */
export function RelativeTime({ value, fallback }: { value: string | null | undefined; fallback?: string }) {
  const { i18n, t } = useTranslation();
  if (!value) return <span>{fallback ?? t("common.never")}</span>;
  const locale = isLocale(i18n.language) ? i18n.language : "en";
  const exact = formatDateTime(value, locale);
  return (
    <time dateTime={value} title={exact} style={{ whiteSpace: "nowrap" }}>
      {formatRelative(value, new Date(), locale)}
    </time>
  );
}

/** A moment shown exactly, with the viewer's zone named. */
export function ExactTime({ value }: { value: string }) {
  const { i18n } = useTranslation();
  const locale = isLocale(i18n.language) ? i18n.language : "en";
  return <time dateTime={value}>{formatDateTime(value, locale)}</time>;
}
