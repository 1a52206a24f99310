import { Alert, Anchor } from "@mantine/core";
import { IconPlugConnectedX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router-dom";
import { useChannels } from "./hooks";

/**
 * On every page, for those who see channels: which channels Parapet can no longer act for. Nothing is published,
 * answered or read for them until someone reconnects them, so this must not be missed.
 */
export function NeedsReconnectBanner() {
  const { t } = useTranslation();
  const location = useLocation();
  const channels = useChannels();
  const broken = (channels.data ?? []).filter((channel) => channel.status === "needs_reconnect");
  if (broken.length === 0) return null;
  const handles = broken.map((channel) => `@${channel.handle}`).join(", ");
  return (
    <Alert color="orange" variant="light" icon={<IconPlugConnectedX size={20} aria-hidden />} mb="md" role="status" title={t("channels.bannerTitle", { count: broken.length })}>
      <bdi className="ltr-value">{handles}</bdi>: {t("channels.bannerText")}{" "}
      {!location.pathname.startsWith("/settings/channels") && (
        <Anchor component={Link} to="/settings/channels" size="sm" fw={500}>
          {t("channels.bannerAction")}
        </Anchor>
      )}
    </Alert>
  );
}
