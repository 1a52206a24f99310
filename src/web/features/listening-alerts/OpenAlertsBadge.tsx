import { Badge, VisuallyHidden } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../i18n/format";
import { useOpenAlertCount } from "./hooks";

/** The number of open alerts, beside "Alerts" in the navigation. */
export function OpenAlertsBadge() {
  const { t } = useTranslation();
  const count = useOpenAlertCount();
  if (!count) return null;
  return (
    <Badge size="sm" color="red" variant="filled" circle data-testid="open-alerts-count">
      <span aria-hidden>{formatNumber(count)}</span>
      <VisuallyHidden>{t("nav.openAlerts", { count, formatted: formatNumber(count) })}</VisuallyHidden>
    </Badge>
  );
}
