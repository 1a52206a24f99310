import { Alert, Anchor, Group, Stack, Text } from "@mantine/core";
import { IconAlertOctagon } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router-dom";
import { formatDateTime, isolate } from "../../i18n/format";
import { useCrisisBanner } from "./hooks";
import { useSeverityText } from "../crisis-plans/severity-text";

/** On every page while a crisis is active or stable (triage is quiet): who declared what and why, and whether crisis mode is on. */
export function CrisisBanner() {
  const { t } = useTranslation();
  const severityText = useSeverityText();
  const banner = useCrisisBanner();
  const location = useLocation();
  const crises = banner.data?.crises ?? [];
  if (crises.length === 0) return null;
  return (
    <Stack gap="xs" mb="md" data-testid="crisis-banner">
      {crises.map((c) => {
        const parts = c.mode ? [c.mode.pause && t("crisis.mode.pauseOn"), c.mode.lockdown && t("crisis.mode.lockdownOn")].filter(Boolean).join(" · ") : "";
        return (
          <Alert
            key={c.id}
            // A dark orange: white text on Mantine's filled orange is below 4.5:1 (WCAG AA); this one is 6.6:1.
            color={c.isDrill ? "grape" : "#a53b07"}
            variant="filled"
            icon={<IconAlertOctagon size={20} aria-hidden />}
            role="status"
            aria-live="polite"
            title={`${c.isDrill ? `${t("crisis.drill")} · ` : ""}${c.ref} · ${severityText(c.severityLevel, c.severityName).name} · ${isolate(c.title)}`}
          >
            <Group justify="space-between" wrap="wrap" gap="sm" align="center">
              <Stack gap={2}>
                <Text size="sm" c="white">
                  {t("crisis.banner.text", { name: c.declaredByName ?? t("crisis.someone"), time: formatDateTime(c.declaredAt), reason: c.reason })}
                </Text>
                <Text size="sm" c="white" fw={600}>
                  {c.status === "closed" || c.status === "cancelled" || c.status === "merged" ? t("crisis.banner.kept") : ""}
                  {parts ? t("crisis.banner.modeOn", { parts }) : t("crisis.banner.modeOff")}
                </Text>
              </Stack>
              {location.pathname !== `/crisis/${c.id}` && (
                <Anchor component={Link} to={`/crisis/${c.id}`} c="white" fw={700} underline="always">
                  {t("crisis.banner.open")}
                </Anchor>
              )}
            </Group>
          </Alert>
        );
      })}
    </Stack>
  );
}
