import { Badge, Button, Card, Group, Modal, SegmentedControl, Select, Stack, Table, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type * as contract from "../../../contracts/listening";
import { ApiError, api } from "../../api/client";
import { useCan } from "../../app/session";
import { errorText } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, formatNumber, formatRelative } from "../../i18n/format";
import { useChannels } from "../channels/hooks";

type Source = z.infer<typeof contract.Source>;
const SOURCES_KEY = ["listening", "sources"] as const;
const STATE_COLOR = { running: "green", failing: "red", stopped: "gray" } as const;

/** "3 min behind" / "up to date" / "waiting for the first post", from the source's lag. */
function useLagText() {
  const { t } = useTranslation();
  return (source: Source) => {
    if (source.lagSeconds === null) return t("listening.sources.noPostsYet");
    if (!source.behind) return t("listening.sources.upToDate");
    const minutes = Math.round(source.lagSeconds / 60);
    return minutes >= 60 ? t("listening.sources.hoursBehind", { count: Math.round(minutes / 60) }) : t("listening.sources.minutesBehind", { count: Math.max(1, minutes) });
  };
}

/**
 * Why a source fails, in the reader's language (from its stable code), with when it tries again; those who manage
 * sources also get the English detail with the network's own words, in a tooltip on "Technical details".
 */
function SourceError({ source }: { source: Source }) {
  const { t } = useTranslation();
  if (!source.lastErrorCode) return <Text size="sm" c="dimmed">—</Text>;
  const params = source.lastErrorParams ?? {};
  const seconds = Number(params.retryInSeconds);
  const minutes = Math.round(seconds / 60);
  let retry: string | null = null;
  if (Number.isFinite(seconds) && seconds > 0) {
    retry = seconds < 120 ? t("listening.sources.retrySeconds", { count: seconds, formatted: formatNumber(seconds) }) : t("listening.sources.retryMinutes", { count: minutes, formatted: formatNumber(minutes) });
  }
  return (
    <Stack gap={2}>
      <Text size="sm" c="red.9" data-testid="source-error">
        {t(`listening.sources.errors.${source.lastErrorCode}`, { network: String(params.network ?? ""), kind: String(params.kind ?? "") })} {retry}
      </Text>
      {source.lastError && (
        <Tooltip label={<span dir="ltr">{source.lastError}</span>} multiline w={360} withArrow>
          <Text size="xs" c="dimmed" td="underline" style={{ textDecorationStyle: "dotted", cursor: "help", alignSelf: "flex-start" }} tabIndex={0} data-testid="source-error-details">
            {t("listening.sources.errorDetails")}
          </Text>
        </Tooltip>
      )}
    </Stack>
  );
}

function AddSource({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const channels = useChannels();
  const [kind, setKind] = useState<"network_stream" | "feed">("network_stream");
  const [channelId, setChannelId] = useState<string | null>(null);
  const [url, setUrl] = useState("");
  const add = useMutation({
    mutationFn: () => api<Source>("POST", "/listening/sources", kind === "feed" ? { kind, url } : { kind, channelId }),
    onSuccess: (source) => {
      void client.invalidateQueries({ queryKey: SOURCES_KEY });
      notifySuccess(t("listening.sources.added", { name: source.name }));
      onClose();
    },
  });
  const fieldError = add.error instanceof ApiError ? errorText(t, add.error) : undefined;
  return (
    <Stack>
      <SegmentedControl
        value={kind}
        onChange={(value) => setKind(value as typeof kind)}
        data={[
          { value: "network_stream", label: t("listening.sources.kindChannel") },
          { value: "feed", label: t("listening.sources.kindFeed") },
        ]}
      />
      {kind === "network_stream" ? (
        <Select
          label={t("listening.sources.channel")}
          description={t("listening.sources.channelHint")}
          data={(channels.data ?? []).filter((c) => c.status !== "disconnected").map((c) => ({ value: c.id, label: `@${c.handle} · ${c.network}` }))}
          value={channelId}
          onChange={setChannelId}
          error={fieldError}
          comboboxProps={{ withinPortal: true }}
        />
      ) : (
        <TextInput label={t("listening.sources.feedUrl")} description={t("listening.sources.feedHint")} value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fieldError} dir="ltr" />
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t("common.cancel")}
        </Button>
        <Button loading={add.isPending} disabled={kind === "feed" ? !url.trim() : !channelId} onClick={() => add.mutate()}>
          {t("listening.sources.add")}
        </Button>
      </Group>
    </Stack>
  );
}

/** Where mentions come from: each source's state, how far behind it is, its last error, and restart/remove for managers. */
export function SourcesPanel() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const canManage = useCan("listening.manage");
  const lagText = useLagText();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Source | null>(null);
  const sources = useQuery({ queryKey: SOURCES_KEY, queryFn: () => api<{ sources: Source[] }>("GET", "/listening/sources").then((r) => r.sources), refetchInterval: 15_000 });
  const refresh = () => void client.invalidateQueries({ queryKey: SOURCES_KEY });
  const restart = useMutation({ mutationFn: (id: string) => api<Source>("POST", `/listening/sources/${id}/restart`, {}), onSuccess: (s) => (refresh(), notifySuccess(t("listening.sources.restarted", { name: s.name }))) });
  const remove = useMutation({ mutationFn: (id: string) => api("DELETE", `/listening/sources/${id}`), onSuccess: () => (refresh(), setRemoving(null)) });
  return (
    <Card withBorder component="section" aria-labelledby="sources-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Stack gap={0}>
            <Title order={2} fz="h4" id="sources-title">
              {t("listening.sources.title")}
            </Title>
            <Text size="sm" c="dimmed">
              {t("listening.sources.description")}
            </Text>
          </Stack>
          {canManage && (
            <Button variant="default" onClick={() => setAdding(true)}>
              {t("listening.sources.add")}
            </Button>
          )}
        </Group>
        <QueryState query={sources}>
          {(list) =>
            list.length === 0 ? (
              <Text size="sm">{t("listening.sources.none")}</Text>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("listening.sources.source")}</Table.Th>
                      <Table.Th>{t("listening.sources.state")}</Table.Th>
                      <Table.Th>{t("listening.sources.lag")}</Table.Th>
                      <Table.Th>{t("listening.sources.lastError")}</Table.Th>
                      {canManage && <Table.Th>{t("listening.sources.actions")}</Table.Th>}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((source) => (
                      <Table.Tr key={source.id} data-testid="source-row">
                        <Table.Td>
                          <Text size="sm" fw={600}>
                            {source.name}
                          </Text>
                          <Text size="xs" c="dimmed" dir="auto">
                            {source.kind === "feed" ? source.url : t("listening.sources.liveStream")}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          {/* The whole word: a badge's label is cut with an ellipsis when its column is narrow. */}
                          <Badge color={STATE_COLOR[source.state]} variant="light" styles={{ root: { overflow: "visible" }, label: { overflow: "visible" } }}>
                            {t(`listening.sources.states.${source.state}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" c={source.behind ? "red.9" : undefined} fw={source.behind ? 600 : undefined}>
                            {lagText(source)}
                          </Text>
                          {source.lastHandledAt && (
                            <Text size="xs" c="dimmed" title={formatDateTime(source.lastHandledAt)}>
                              {t("listening.sources.lastHandled", { when: formatRelative(source.lastHandledAt) })}
                            </Text>
                          )}
                          {source.shedCount > 0 && (
                            <Text size="xs" c="red.9">
                              {t("listening.sources.shed", { count: source.shedCount })}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <SourceError source={source} />
                        </Table.Td>
                        {canManage && (
                          <Table.Td>
                            <Group gap="xs" wrap="nowrap">
                              <Button size="xs" variant="default" loading={restart.isPending && restart.variables === source.id} onClick={() => restart.mutate(source.id, { onError: (err) => notifyError(t, err) })}>
                                {t("listening.sources.restart")}
                              </Button>
                              <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(source)}>
                                {t("listening.sources.remove")}
                              </Button>
                            </Group>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryState>
      </Stack>
      <Modal opened={adding} onClose={() => setAdding(false)} title={t("listening.sources.add")}>
        {adding && <AddSource onClose={() => setAdding(false)} />}
      </Modal>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={t("listening.sources.removeTitle", { name: removing?.name ?? "" })}>
        <Stack>
          <Text size="sm">{t("listening.sources.removeText")}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>
              {t("common.cancel")}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => removing && remove.mutate(removing.id, { onError: (err) => notifyError(t, err) })}>
              {t("listening.sources.remove")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
