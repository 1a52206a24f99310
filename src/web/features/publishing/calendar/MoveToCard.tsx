import { Button, Card, Group, Modal, Stack, Text, Title } from "@mantine/core";
import { IconCalendarEvent } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useActiveMe } from "../../../app/session";
import { DateTimeField } from "../../../components/DateTimeField";
import { notifySuccess } from "../../../components/notify";
import { formatDateTime, viewerTimeZone } from "../../../i18n/format";
import { useChannels } from "../../channels/hooks";
import { fromLocalInput, toLocalInput, usePublishingStatus } from "../hooks";
import type { Post } from "../types";
import { canMove } from "./entries";
import { isPauseWarning, moveErrorText, useReschedulePost } from "./reschedule";

/**
 * "Move to…" on a post's page: the keyboard way to do what dragging does on the calendar. Only the time changes; shown
 * to those who may move the post (the server decides).
 */
export function MoveToCard({ post }: { post: Post }) {
  const { t } = useTranslation();
  const me = useActiveMe();
  const channels = useChannels();
  const status = usePublishingStatus();
  const move = useReschedulePost();
  const [value, setValue] = useState(() => toLocalInput(new Date(post.scheduledAt ?? Date.now() + 3_600_000)));
  const [error, setError] = useState<string | null>(null);
  const [askPause, setAskPause] = useState(false);
  if (!canMove(post, channels.data, me.user.id)) return null;

  const submit = (acknowledgePause = false) => {
    const at = fromLocalInput(value);
    if (!at) return setError(t("publishing.composer.chooseTime"));
    if (new Date(at).getTime() < Date.now() - 60_000) return setError(t("publishing.composer.timeInPast"));
    setError(null);
    move.mutate(
      { post, at, acknowledgePause },
      {
        onSuccess: (saved) => notifySuccess(t("calendar.moved", { time: formatDateTime(saved.scheduledAt ?? at) })),
        onError: (err) => (isPauseWarning(err) && !acknowledgePause ? setAskPause(true) : setError(moveErrorText(t, err))),
      },
    );
  };
  const pauses = status.data?.pauses ?? [];
  const pause = pauses.find((p) => p.channelIds === null) ?? pauses.find((p) => post.targets.some((target) => p.channelIds?.includes(target.channelId)));

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group gap="xs">
          <IconCalendarEvent size={18} aria-hidden />
          <Title order={2} fz="h4">
            {t("calendar.moveTo.title")}
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          {t("calendar.moveTo.explain")}
        </Text>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Group align="flex-end" gap="sm" wrap="wrap">
            <DateTimeField
              label={t("calendar.moveTo.label")}
              description={t("calendar.moveTo.zone", { zone: viewerTimeZone() })}
              value={value}
              onChange={(event) => setValue(event.currentTarget.value)}
              error={error}
            />
            <Button type="submit" loading={move.isPending}>
              {t("calendar.moveTo.button")}
            </Button>
          </Group>
        </form>
      </Stack>
      <Modal opened={askPause} onClose={() => setAskPause(false)} title={t("calendar.pausedTitle")} centered>
        <Stack>
          <Text size="sm">{t("calendar.pausedText", { reason: pause?.reason ?? t("calendar.pausedTitle") })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAskPause(false)}>
              {t("calendar.keepTime")}
            </Button>
            <Button
              color="orange"
              onClick={() => {
                setAskPause(false);
                submit(true);
              }}
            >
              {t("calendar.moveAnyway")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
