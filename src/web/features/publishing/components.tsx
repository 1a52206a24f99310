import { Anchor, Badge, Group, Text, Tooltip } from "@mantine/core";
import { IconClock, IconExternalLink } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Channel, NetworkInfo } from "../../api/types";
import { formatDateTime, viewerTimeZone } from "../../i18n/format";
import { networkLink, usePublishingStatus } from "./hooks";
import type { PostTarget, TargetStatus } from "./types";

export const STATUS_COLOR: Record<TargetStatus, string> = {
  draft: "gray",
  scheduled: "blue",
  held: "orange",
  publishing: "cyan",
  published: "green",
  failed: "red",
  removed: "dark",
  cancelled: "gray",
};

/**
 * "@handle" for a sentence: left-to-right marks keep the "@" before the name inside right-to-left text.
 */
export const at = (handle: string) => `\u200E@${handle}\u200E`;

/** "Times are in Europe/Berlin": said once per page, since every time on it is in the viewer's zone. */
export function TimeZoneNote() {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <IconClock size={16} aria-hidden />
      <Text size="sm" c="dimmed">
        {t("publishing.timeZoneNote", { zone: viewerTimeZone() })}
      </Text>
    </Group>
  );
}

/** @handle · Network, for a channel id (or a placeholder when the reader cannot see the channel). */
export function ChannelName({ channel, networks }: { channel: Channel | undefined; networks: NetworkInfo[] | undefined }) {
  const { t } = useTranslation();
  if (!channel) return <Text span>{t("publishing.unknownChannel")}</Text>;
  const network = networks?.find((n) => n.network === channel.network)?.displayName ?? channel.network;
  return (
    <Text span>
      <span className="ltr-value">@{channel.handle}</span> · <bdi>{network}</bdi>
    </Text>
  );
}

/** Why a target is held, in words. */
export function heldReasonText(t: (key: string) => string, reason: string | null): string {
  const known = ["paused", "needs_reconnect", "author_removed", "crisis_lockdown"];
  return t(`publishing.heldReasons.${reason && known.includes(reason) ? reason : "other"}`);
}

/** One channel's delivery: a badge with its status, when, why, and the link to the published post. */
export function DeliveryStatus({ target, channel, networks }: { target: PostTarget; channel: Channel | undefined; networks: NetworkInfo[] | undefined }) {
  const { t } = useTranslation();
  const status = usePublishingStatus();
  const pauses = status.data?.pauses ?? [];
  const willBeHeld = target.status === "scheduled" && pauses.some((p) => p.channelIds === null || p.channelIds.includes(target.channelId));
  const sameServer = networks?.find((n) => n.network === channel?.network)?.connectMethod.kind === "sandbox";
  const label = (() => {
    switch (target.status) {
      case "scheduled":
        return target.dueAt ? t("publishing.status.scheduledAt", { time: formatDateTime(target.dueAt) }) : t("publishing.status.scheduled");
      case "held":
        return t("publishing.status.heldWhy", { why: heldReasonText(t, target.heldReason) });
      case "failed":
        return t("publishing.status.failed");
      default:
        return t(`publishing.status.${target.status}`);
    }
  })();
  return (
    <Group gap={6} wrap="wrap">
      <Badge color={STATUS_COLOR[target.status]} variant="light" style={{ textTransform: "none" }} data-status={target.status}>
        {label}
      </Badge>
      {willBeHeld && (
        <Text size="xs" c="red.8">
          {t("publishing.willBeHeld")}
        </Text>
      )}
      {target.status === "scheduled" && target.failure && (
        <Tooltip label={target.failure.message} multiline w={300} withArrow>
          <Text size="xs" c="orange.8">
            {t("publishing.retrying", { kind: t(`publishing.failureKinds.${target.failure.kind}`, { defaultValue: target.failure.kind }) })}
          </Text>
        </Tooltip>
      )}
      {target.status === "failed" && target.failure && (
        <Text size="xs" c="red.8">
          {t(`publishing.failureKinds.${target.failure.kind}`, { defaultValue: target.failure.kind })}: <span className="ltr-value">{target.failure.message}</span>
        </Text>
      )}
      {target.status === "published" && target.url && (
        <Anchor
          href={networkLink(target.url, sameServer)}
          target="_blank"
          rel="noopener"
          size="xs"
          aria-label={channel ? t("publishing.viewOnNetworkLabel", { handle: at(channel.handle) }) : t("publishing.viewOnNetwork")}
        >
          <Group gap={2} wrap="nowrap" component="span">
            {t("publishing.viewOnNetwork")}
            <IconExternalLink size={12} aria-hidden />
          </Group>
        </Anchor>
      )}
    </Group>
  );
}
