import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { IconPlayerPause } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api } from "../../api/client";
import { useCan } from "../../app/session";
import { useConfirm } from "../../components/confirm";
import { notifyError, notifySuccess } from "../../components/notify";
import { formatDateTime, formatList, formatNumber, isolate } from "../../i18n/format";
import { useChannels } from "../channels/hooks";
import { at } from "./components";
import { pausedByText } from "./paused-by";
import { usePublishingStatus, useRefreshPublishing } from "./hooks";
import type { Pause, ResumeResult } from "./types";

/**
 * On every page while publishing is paused: who paused it, since when and why. Those who may pause can resume here;
 * resuming releases nothing by itself, it opens the review of the posts the pause held.
 */
export function PauseBanner() {
  const { t } = useTranslation();
  const status = usePublishingStatus();
  const channels = useChannels();
  const canPause = useCan("publishing.pause");
  const confirm = useConfirm();
  const navigate = useNavigate();
  const refresh = useRefreshPublishing();
  const resume = useMutation({
    mutationFn: (pause: Pause) => api<ResumeResult>("POST", `/publishing/pauses/${encodeURIComponent(pause.id)}/resume`),
    onSuccess: (result) => {
      notifySuccess(t("publishing.banner.resumed", { count: result.held.length }));
      refresh();
      if (result.held.length > 0) navigate(`/publishing/held?resumed=${encodeURIComponent(result.pause.id)}`);
    },
    onError: (error) => notifyError(t, error),
  });
  const pauses = status.data?.pauses ?? [];
  if (pauses.length === 0) return null;
  /** The paused channels by handle; those the viewer cannot see are counted ("2 channels you cannot see"), as on a crisis's page. */
  const handles = (ids: string[]) => {
    const seen = ids.map((id) => channels.data?.find((c) => c.id === id)?.handle).filter((h): h is string => Boolean(h));
    const hidden = ids.length - seen.length;
    return formatList([...seen.map(at), ...(hidden > 0 ? [t("crisis.mode.hiddenChannels", { count: hidden, formatted: formatNumber(hidden) })] : [])]);
  };

  return (
    <Stack gap="xs" mb="md">
      {pauses.map((pause) => (
        <Alert
          key={pause.id}
          color="red"
          variant="filled"
          icon={<IconPlayerPause size={20} aria-hidden />}
          role="status"
          aria-live="polite"
          title={pause.channelIds ? t("publishing.banner.titleChannels", { channels: handles(pause.channelIds) }) : t("publishing.banner.title")}
        >
          <Group justify="space-between" wrap="wrap" gap="sm" align="center">
            <Text size="sm" c="white">
              {t("publishing.banner.text", { name: pausedByText(t, pause), time: formatDateTime(pause.pausedAt), reason: isolate(pause.reason) })}
            </Text>
            {canPause && (
              <Button
                size="xs"
                variant="white"
                color="red"
                loading={resume.isPending && resume.variables?.id === pause.id}
                onClick={async () => {
                  const ok = await confirm({
                    title: t("publishing.banner.resumeTitle"),
                    message: t("publishing.banner.resumeMessage"),
                    confirmLabel: t("publishing.banner.resume"),
                  });
                  if (ok) resume.mutate(pause);
                }}
              >
                {t("publishing.banner.resume")}
              </Button>
            )}
          </Group>
        </Alert>
      ))}
    </Stack>
  );
}
