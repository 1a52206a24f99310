import { ActionIcon, Alert, Anchor, Button, Card, Chip, Group, Loader, Modal, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { IconClockHour4, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { z } from "zod";
import type * as contract from "../../../contracts/queues";
import { ApiError, api } from "../../api/client";
import type { Channel } from "../../api/types";
import { useCan } from "../../app/session";
import { errorText } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { currentLocale } from "../../i18n";
import { formatDateTime, viewerTimeZone } from "../../i18n/format";
import { weekdaysInOrder } from "../../i18n/week";
import { useChannels, useNetworks } from "../channels/hooks";
import { channelLabel } from "./WorkflowEditor";

type ChannelQueue = z.infer<typeof contract.ChannelQueue>;
type QueueSlot = z.infer<typeof contract.QueueSlot>;
type NextSlot = z.infer<typeof contract.NextSlot>;

export const QUEUES_KEY = ["posting-queues"] as const;

export function usePostingQueues() {
  const allowed = useCan("posts.read");
  return useQuery({
    queryKey: QUEUES_KEY,
    queryFn: () => api<{ queues: ChannelQueue[] }>("GET", "/posting-queues").then((r) => r.queues),
    enabled: allowed,
  });
}

/** Monday … Sunday (ISO 1 … 7) in the reader's language, short ("Mon", "Mo", "دوشنبه"). */
function weekdayNames(locale: string, width: "short" | "long" = "short"): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: "UTC" });
  // 1 January 2024 was a Monday.
  return [1, 2, 3, 4, 5, 6, 7].map((day) => format.format(new Date(Date.UTC(2024, 0, day))));
}

/** "09:00" as the reader's language writes a time of day. */
function wallTime(time: string, locale: string): string {
  const [hour, minute] = time.split(":").map(Number);
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1, hour, minute)));
}

/** The slots grouped by time of day: [{ time: "09:00", weekdays: [1,2,3,4,5] }, …], earliest first. */
function byTime(slots: QueueSlot[]): Array<{ time: string; weekdays: number[] }> {
  const groups = new Map<string, number[]>();
  for (const slot of slots) groups.set(slot.time, [...(groups.get(slot.time) ?? []), slot.weekday]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([time, weekdays]) => ({ time, weekdays: weekdays.sort() }));
}

/**
 * Weekdays as the reader's language names them, in the order its week runs (`order`), a run of three or more
 * consecutive days as a range: "Mon–Fri, Sat" ("Sun, Mon–Fri" in US English, whose week starts on Sunday).
 */
function dayList(weekdays: number[], names: string[], order: number[], separator: string): string {
  const positions = weekdays.map((day) => order.indexOf(day)).sort((a, b) => a - b);
  const name = (position: number) => names[order[position] - 1];
  const parts: string[] = [];
  for (let i = 0; i < positions.length; ) {
    let j = i;
    while (j + 1 < positions.length && positions[j + 1] === positions[j] + 1) j++;
    if (j - i >= 2) parts.push(`${name(positions[i])}–${name(positions[j])}`);
    else for (let k = i; k <= j; k++) parts.push(name(positions[k]));
    i = j + 1;
  }
  return parts.join(separator);
}

/** One line per time of day: ["Mon–Fri at 09:00", "Sat at 11:00"], in the reader's language. */
function useSlotSummary() {
  const { t } = useTranslation();
  return (slots: QueueSlot[]) => {
    const locale = currentLocale();
    const names = weekdayNames(locale);
    const order = weekdaysInOrder(locale);
    return byTime(slots).map((group) => t("queues.summaryLine", { days: dayList(group.weekdays, names, order, t("queues.listSeparator")), time: wallTime(group.time, locale) }));
  };
}

/** An instant as the wall clock of `timeZone` shows it: "Mon, 23 Nov, 17:30". */
function inZone(value: string, timeZone: string): string {
  return new Intl.DateTimeFormat(currentLocale(), { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone }).format(new Date(value));
}

/**
 * Settings → Posting queues (/settings/posting-queues): each channel's weekly time slots in a named time zone, and the
 * next times they give. Those who manage channels set them; everyone who writes posts sees them.
 */
export function PostingQueuesPage() {
  const { t } = useTranslation();
  const mayManage = useCan("channels.manage");
  const queues = usePostingQueues();
  const channels = useChannels();
  const networks = useNetworks();
  const summary = useSlotSummary();
  const [editing, setEditing] = useState<Channel | null>(null);

  return (
    <Page title={t("queues.title")} description={t("queues.description")}>
      {!mayManage && <Alert color="gray">{t("queues.readOnly")}</Alert>}
      <QueryState query={channels}>
        {(list) => (
          <Stack gap="md">
            {list
              .filter((channel) => channel.status !== "disconnected")
              .map((channel) => {
                const queue = queues.data?.find((q) => q.channelId === channel.id);
                const label = channelLabel(channel, networks.data);
                return (
                  <Card key={channel.id} withBorder radius="md" padding="lg" component="section" aria-labelledby={`queue-${channel.id}`}>
                    <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                      <Title order={2} fz="h4" id={`queue-${channel.id}`}>
                        <bdi>{label}</bdi>
                      </Title>
                      {mayManage && (
                        <Button variant="default" size="xs" leftSection={<IconClockHour4 size={14} aria-hidden />} onClick={() => setEditing(channel)} aria-label={t("queues.editNamed", { channel: `@${channel.handle}` })}>
                          {t("queues.edit")}
                        </Button>
                      )}
                    </Group>
                    {queue ? (
                      <Stack gap={4} mt="sm">
                        {summary(queue.slots).map((line) => (
                          <Text key={line} size="sm" fw={500}>
                            {line}
                          </Text>
                        ))}
                        <Text size="sm" c="dimmed">
                          {t("queues.timeZoneLine", { zone: queue.timeZone })}
                        </Text>
                        {queue.upcoming.length > 0 && (
                          <Text size="sm" c="dimmed">
                            {t("queues.nextTimes", { times: queue.upcoming.slice(0, 3).map((at) => formatDateTime(at)).join(t("queues.listSeparator")) })}
                          </Text>
                        )}
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed" mt="sm">
                        {t("queues.noSlots")}
                      </Text>
                    )}
                  </Card>
                );
              })}
          </Stack>
        )}
      </QueryState>
      {editing && <QueueEditor channel={editing} label={channelLabel(editing, networks.data)} queue={queues.data?.find((q) => q.channelId === editing.id) ?? null} onClose={() => setEditing(null)} />}
    </Page>
  );
}

type Row = { key: number; time: string; weekdays: number[] };

/** Sets one channel's slots: rows of a time of day and the weekdays it applies to, in one time zone. */
function QueueEditor({ channel, label, queue, onClose }: { channel: Channel; label: string; queue: ChannelQueue | null; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 36em)");
  const queryClient = useQueryClient();
  const zones = useMemo(() => {
    const list = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
    return [...new Set(["UTC", ...list])];
  }, []);
  const [timeZone, setTimeZone] = useState<string>(queue?.timeZone ?? viewerTimeZone());
  const [rows, setRows] = useState<Row[]>(() =>
    queue ? byTime(queue.slots).map((group, key) => ({ key, ...group })) : [{ key: 0, time: "09:00", weekdays: [1, 2, 3, 4, 5] }],
  );
  const [problem, setProblem] = useState<string | null>(null);
  const names = weekdayNames(currentLocale());
  const longNames = weekdayNames(currentLocale(), "long");

  const save = useMutation({
    mutationFn: (slots: QueueSlot[]) => api<ChannelQueue>("PUT", `/channels/${encodeURIComponent(channel.id)}/queue`, { timeZone, slots }),
    onSuccess: (saved) => {
      notifySuccess(saved.slots.length ? t("queues.saved") : t("queues.removed"));
      void queryClient.invalidateQueries({ queryKey: QUEUES_KEY });
      onClose();
    },
    onError: (error) => notifyError(t, error),
  });

  const submit = () => {
    const times = rows.map((r) => r.time);
    const empty = rows.find((r) => !/^\d\d:\d\d$/.test(r.time));
    if (empty) return setProblem(t("queues.chooseTime"));
    const noDays = rows.find((r) => r.weekdays.length === 0);
    if (noDays) return setProblem(t("queues.chooseDay", { time: noDays.time }));
    const twice = times.find((time, index) => times.indexOf(time) !== index);
    if (twice) return setProblem(t("queues.timeTwice", { time: twice }));
    setProblem(null);
    save.mutate(rows.flatMap((r) => r.weekdays.map((weekday) => ({ weekday, time: r.time }))));
  };

  return (
    <Modal opened onClose={onClose} title={t("queues.editorTitle", { channel: label })} size="lg" fullScreen={phone} closeButtonProps={{ "aria-label": t("common.close") }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          <Select
            label={t("queues.timeZone")}
            description={t("queues.timeZoneHint")}
            data={zones}
            value={timeZone}
            onChange={(value) => value && setTimeZone(value)}
            searchable
            allowDeselect={false}
            dir="ltr"
            maw={360}
          />
          <Stack gap="sm" role="group" aria-label={t("queues.slots")}>
            <Text fw={500} size="sm">
              {t("queues.slots")}
            </Text>
            {rows.map((row, index) => (
              <Card key={row.key} withBorder padding="sm" radius="sm">
                <Group align="flex-end" gap="sm" wrap="wrap">
                  <TextInput
                    type="time"
                    label={t("queues.time")}
                    value={row.time}
                    onChange={(event) => {
                      const time = event.currentTarget.value;
                      setRows(rows.map((r) => (r.key === row.key ? { ...r, time } : r)));
                    }}
                    dir="ltr"
                    w={130}
                  />
                  <Chip.Group multiple value={row.weekdays.map(String)} onChange={(value) => setRows(rows.map((r) => (r.key === row.key ? { ...r, weekdays: value.map(Number).sort() } : r)))}>
                    <Group gap={6} wrap="wrap" role="group" aria-label={t("queues.daysFor", { time: row.time || "—" })}>
                      {weekdaysInOrder(currentLocale()).map((day) => (
                        <Chip key={day} value={String(day)} size="sm" aria-label={longNames[day - 1]}>
                          {names[day - 1]}
                        </Chip>
                      ))}
                    </Group>
                  </Chip.Group>
                  <ActionIcon variant="subtle" color="red" onClick={() => setRows(rows.filter((r) => r.key !== row.key))} aria-label={t("queues.removeTime", { time: row.time || String(index + 1) })}>
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              </Card>
            ))}
            <Group>
              <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setRows([...rows, { key: Math.max(-1, ...rows.map((r) => r.key)) + 1, time: "12:00", weekdays: [1, 2, 3, 4, 5] }])}>
                {t("queues.addTime")}
              </Button>
            </Group>
            {rows.length === 0 && <Text size="sm" c="dimmed">{t("queues.noRowsNote")}</Text>}
          </Stack>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {rows.length === 0 ? t("queues.removeQueue") : t("queues.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * In the composer, with "Add to queue" chosen: the time the server would give the post now (the next slot shared by
 * its channels and free on each), in the viewer's zone and, when it differs, in the queue's. Saving computes it again.
 */
export function QueueSlotPreview({ channels, postId }: { channels: Channel[]; postId?: string }) {
  const { t } = useTranslation();
  const mayManage = useCan("channels.manage");
  const channelIds = channels.map((c) => c.id).sort();
  const next = useQuery({
    queryKey: [...QUEUES_KEY, "next", channelIds, postId ?? null],
    queryFn: () => api<NextSlot>("POST", "/posting-queues/next-slot", { channelIds, ...(postId ? { postId } : {}) }),
    enabled: channelIds.length > 0,
    retry: false,
    staleTime: 15_000,
  });
  if (next.isPending) {
    return (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">{t("queues.composer.finding")}</Text>
      </Group>
    );
  }
  if (next.error) {
    const error = next.error;
    const handle = error instanceof ApiError && error.code === "queue_empty" ? channels.find((c) => c.id === error.details.channelId)?.handle : undefined;
    return (
      <Alert color="orange" variant="light" role="alert">
        <Stack gap={4}>
          <Text size="sm">{handle ? t("queues.composer.noSlotsOn", { channel: `@${handle}` }) : errorText(t, error)}</Text>
          {mayManage && (
            <Anchor component={Link} to="/settings/posting-queues" size="sm">
              {t("queues.composer.setUp")}
            </Anchor>
          )}
        </Stack>
      </Alert>
    );
  }
  const zones = [...new Set(next.data.channels.map((c) => c.timeZone))].filter((zone) => zone !== viewerTimeZone());
  return (
    <Stack gap={2} aria-live="polite">
      <Text size="sm" fw={500}>
        {t("queues.composer.nextSlot", { time: formatDateTime(next.data.at) })}
      </Text>
      {zones.map((zone) => (
        <Text key={zone} size="sm" c="dimmed">
          {t("queues.composer.inZone", { time: inZone(next.data.at, zone), zone })}
        </Text>
      ))}
      <Text size="xs" c="dimmed">
        {t("queues.composer.hint")}
      </Text>
    </Stack>
  );
}
