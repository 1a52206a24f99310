import { ActionIcon, Alert, Anchor, Box, Button, Card, Group, ScrollArea, Stack, Text, Title } from "@mantine/core";
import { IconArrowLeft, IconArrowRight, IconPencil, IconPlus } from "@tabler/icons-react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router-dom";
import { useCan } from "../../app/session";
import { notifyError } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { formatNumber, formatPercent } from "../../i18n/format";
import { MentionCard } from "./MentionCard";
import { SourcesPanel } from "./SourcesPanel";
import { useReorderStreams, useStreamMentions, useStreams, type Stream } from "./hooks";

/** 24 hourly totals as small bars, oldest first; the text beside it says the numbers. */
function Sparkline({ hourly, label, rtl }: { hourly: number[]; label: string; rtl: boolean }) {
  const max = Math.max(1, ...hourly);
  const width = 96;
  const bar = width / hourly.length;
  return (
    <svg width={width} height={24} role="img" aria-label={label} style={{ display: "block", transform: rtl ? "scaleX(-1)" : undefined }}>
      {hourly.map((value, i) => {
        const height = value === 0 ? 1 : Math.max(2, (value / max) * 22);
        // Time runs from the start edge to the end edge, as the reader reads (mirrored in right-to-left languages).
        return <rect key={i} x={i * bar} y={24 - height} width={Math.max(1, bar - 1)} height={height} fill={value === 0 ? "var(--mantine-color-gray-3)" : "var(--mantine-color-blue-6)"} />;
      })}
    </svg>
  );
}

function StreamColumn({ stream, index, count }: { stream: Stream; index: number; count: number }) {
  const { t } = useTranslation();
  const canManage = useCan("listening.manage");
  const mentions = useStreamMentions(stream.id);
  const reorder = useReorderStreams();
  const streams = useStreams();
  const move = (delta: number) => {
    const ids = (streams.data ?? []).map((s) => s.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + delta, 0, moved);
    reorder.mutate(ids, { onError: (err) => notifyError(t, err) });
  };
  const { volume } = stream;
  // "Earlier" points to where reading starts: left in left-to-right languages, right in Persian.
  const rtl = document.documentElement.dir === "rtl";
  const share = formatPercent(volume.negativeShare);
  return (
    <Card withBorder padding="sm" w={340} miw={300} component="section" aria-labelledby={`stream-${stream.id}`} data-testid="stream-column" style={{ flexShrink: 0 }}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Title order={2} fz="h4" id={`stream-${stream.id}`} style={{ overflowWrap: "anywhere" }}>
            {stream.name}
          </Title>
          {canManage && (
            <Group gap={2} wrap="nowrap">
              <ActionIcon variant="subtle" color="gray" disabled={index === 0} onClick={() => move(-1)} aria-label={t("listening.moveEarlier", { name: stream.name })}>
                {rtl ? <IconArrowRight size={16} aria-hidden /> : <IconArrowLeft size={16} aria-hidden />}
              </ActionIcon>
              <ActionIcon variant="subtle" color="gray" disabled={index === count - 1} onClick={() => move(1)} aria-label={t("listening.moveLater", { name: stream.name })}>
                {rtl ? <IconArrowLeft size={16} aria-hidden /> : <IconArrowRight size={16} aria-hidden />}
              </ActionIcon>
              <ActionIcon component={Link} to={`/listening/streams/${stream.id}/edit`} variant="subtle" color="gray" aria-label={t("listening.editStream", { name: stream.name })}>
                <IconPencil size={16} aria-hidden />
              </ActionIcon>
            </Group>
          )}
        </Group>
        <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: "anywhere" }} dir="ltr" ta="start">
          {stream.query}
        </Text>
        <Group gap="sm" wrap="nowrap" align="center">
          <Sparkline rtl={rtl} hourly={volume.hourly} label={t("listening.sparklineLabel", { count: volume.last24h })} />
          <Stack gap={0}>
            <Text size="sm" fw={600} data-testid="volume-24h">
              {t("listening.volume24h", { count: volume.last24h, formatted: formatNumber(volume.last24h) })}
            </Text>
            <Text size="xs" c="dimmed">
              {t("listening.volumeHour", { count: volume.lastHour, formatted: formatNumber(volume.lastHour) })} · {t("listening.negativeShare", { share })}
            </Text>
          </Stack>
        </Group>
        <Anchor component={Link} to={`/listening/mentions?stream=${stream.id}`} size="sm">
          {t("listening.allMentionsOf", { name: stream.name })}
        </Anchor>
        <ScrollArea.Autosize mah="calc(100vh - 330px)" type="auto" offsetScrollbars>
          <QueryState query={mentions}>
            {(data) =>
              data.mentions.length === 0 ? (
                <Text size="sm" c="dimmed" py="md">
                  {t("listening.columnEmpty")}
                </Text>
              ) : (
                <Stack gap="xs">
                  {data.mentions.map((mention) => (
                    <MentionCard key={mention.id} mention={mention} compact />
                  ))}
                </Stack>
              )
            }
          </QueryState>
        </ScrollArea.Autosize>
      </Stack>
    </Card>
  );
}

/** The streams board: one column per stream, as listening users know them, with volume and the newest mentions. */
export function StreamsBoardPage() {
  const { t } = useTranslation();
  const canManage = useCan("listening.manage");
  const streams = useStreams();
  // Coming from the editor: scroll the saved stream's column into view (the board scrolls sideways).
  const showStream = (useLocation().state as { showStream?: string } | null)?.showStream;
  // (Again when the list arrives: the cached one may not have the new stream yet.)
  const shown = streams.data?.some((stream) => stream.id === showStream) ?? false;
  useEffect(() => {
    if (shown) document.getElementById(`stream-${showStream}`)?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [shown, showStream]);
  return (
    <Page
      title={t("listening.boardTitle")}
      description={t("listening.boardDescription")}
      actions={
        canManage && (
          <Button component={Link} to="/listening/streams/new" leftSection={<IconPlus size={16} aria-hidden />}>
            {t("listening.newStream")}
          </Button>
        )
      }
    >
      <QueryState query={streams}>
        {(list) =>
          list.length === 0 ? (
            <Alert color="blue" title={t("listening.noStreamsTitle")}>
              <Text size="sm">{canManage ? t("listening.noStreamsManager") : t("listening.noStreamsMember")}</Text>
            </Alert>
          ) : (
            // The page's own width, so on a phone (no side rail) a column is not cut to a sliver; the rest scroll sideways.
            <Box style={{ overflowX: "auto", maxWidth: "100%" }} pb="sm">
              <Group align="flex-start" wrap="nowrap" gap="md">
                {list.map((stream, index) => (
                  <StreamColumn key={stream.id} stream={stream} index={index} count={list.length} />
                ))}
              </Group>
            </Box>
          )
        }
      </QueryState>
      <SourcesPanel />
    </Page>
  );
}
