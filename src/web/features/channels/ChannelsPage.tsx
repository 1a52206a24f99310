import { Anchor, Avatar, Badge, Button, Card, Group, Modal, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconPlugConnected, IconPlus } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api } from "../../api/client";
import type { Channel } from "../../api/types";
import { useCan } from "../../app/session";
import { ConfirmedRowAction } from "../../components/confirm";
import { Empty } from "../../components/Empty";
import { notifyError, notifySuccess, notifyWarning } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { ConnectChannelForm } from "./ConnectChannelForm";
import { ReconnectLinkForm } from "./ReconnectLinkForm";
import { CHANNELS_KEY, healthOf, useChannels, useNetworks, type ChannelHealth } from "./hooks";

const FAILURE_KINDS = ["rate_limited", "auth_expired", "invalid_content", "transient", "outcome_unknown"];

/** A stored failure ("transient: 502 from the network"): its kind in the reader's language, the network's words as they were. */
function FailureText({ text }: { text: string }) {
  const { t } = useTranslation();
  const [kind, ...rest] = text.split(": ");
  const known = FAILURE_KINDS.includes(kind);
  return (
    <Text size="xs" lineClamp={2}>
      {known && <b>{t(`channels.failureKinds.${kind}`)}: </b>}
      <span className="ltr-value">{known ? rest.join(": ") : text}</span>
    </Text>
  );
}

const BADGE_COLOR: Record<ChannelHealth, string> = { working: "green", problem: "yellow", expired: "red", needs_reconnect: "orange" };

/** The avatar takes the first letters of the first two words: "Ember & Oak" would read "E&", so words without a letter or digit are left out ("EO"). */
const initialsSource = (name: string) => name.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).join(" ");

/** /settings/channels: the brand's connected accounts, their health, connect, check and disconnect. */
export function ChannelsPage() {
  const { t } = useTranslation();
  const canManage = useCan("channels.manage");
  const queryClient = useQueryClient();
  const channels = useChannels();
  const networks = useNetworks();
  const [connecting, setConnecting] = useState<Channel | "new" | null>(null);
  const [checkingId, setCheckingId] = useState<string | null>(null);
  const [linkFor, setLinkFor] = useState<Channel | null>(null);
  useOAuthOutcome();
  const networkName = (id: string) => networks.data?.find((n) => n.network === id)?.displayName ?? id;
  // The Sandbox's website is served by this same server: link by path, whatever address the server thinks it has.
  const onSandbox = (channel: Channel) => networks.data?.find((n) => n.network === channel.network)?.connectMethod.kind === "sandbox";
  const sitePath = (url: string) => new URL(url, window.location.origin).pathname;

  const check = useMutation({
    mutationFn: (channel: Channel) => api<{ channel: Channel; outcome: { ok: boolean } }>("POST", `/channels/${encodeURIComponent(channel.id)}/verify`),
    onMutate: (channel) => setCheckingId(channel.id),
    onSettled: () => setCheckingId(null),
    onSuccess: (result) => {
      if (result.outcome.ok) notifySuccess(t("channels.checkedToast", { handle: result.channel.handle }));
      else notifyWarning(t("channels.checkFailedToast", { handle: result.channel.handle }));
      void queryClient.invalidateQueries({ queryKey: CHANNELS_KEY });
    },
    onError: (error) => notifyError(t, error),
  });
  const disconnect = useMutation({
    mutationFn: (channel: Channel) => api<{ revokedAtNetwork: "revoked" | "not_supported" | "failed" }>("DELETE", `/channels/${encodeURIComponent(channel.id)}`),
    onSuccess: (result, channel) => {
      notifySuccess(t(`channels.disconnectedToast.${result.revokedAtNetwork}`, { handle: channel.handle }));
      void queryClient.invalidateQueries({ queryKey: CHANNELS_KEY });
    },
    onError: (error) => notifyError(t, error),
  });

  const connectButton = canManage && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setConnecting("new")} disabled={!networks.data?.length}>
      {t("channels.connect")}
    </Button>
  );

  return (
    <Page title={t("channels.title")} description={t("channels.description")} actions={connectButton}>
      <QueryState query={channels}>
        {(list) =>
          list.length === 0 ? (
            <Card withBorder>
              <Empty
                icon={<IconPlugConnected aria-hidden />}
                title={t("channels.emptyTitle")}
                description={canManage ? t("channels.emptyText") : t("channels.emptyReadOnly")}
                action={connectButton || undefined}
              />
            </Card>
          ) : (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={900}>
                <Table verticalSpacing="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("channels.account")}</Table.Th>
                      <Table.Th>{t("channels.health")}</Table.Th>
                      <Table.Th>{t("channels.expires")}</Table.Th>
                      <Table.Th>{t("channels.lastSuccess")}</Table.Th>
                      <Table.Th>{t("channels.lastError")}</Table.Th>
                      <Table.Th>
                        <span className="visually-hidden">{t("common.actions")}</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((channel) => {
                      const health = healthOf(channel);
                      return (
                        <Table.Tr key={channel.id}>
                          <Table.Td>
                            <Group gap="sm" wrap="nowrap">
                              <Avatar src={channel.avatarUrl} size="md" radius="xl" color="blue" name={initialsSource(channel.displayName)} alt="" />
                              <Stack gap={0}>
                                <Text size="sm" fw={500}>
                                  {channel.displayName}
                                </Text>
                                <Text size="xs" c="dimmed">
                                  <span className="ltr-value">@{channel.handle}</span> · <bdi>{networkName(channel.network)}</bdi>
                                </Text>
                                {onSandbox(channel) && channel.profileUrl && (
                                  <Anchor href={sitePath(channel.profileUrl)} target="_blank" rel="noopener" size="xs" aria-label={t("sandbox.viewOnNetworkLabel", { handle: channel.handle })}>
                                    {t("sandbox.viewOnNetwork")}
                                  </Anchor>
                                )}
                              </Stack>
                            </Group>
                          </Table.Td>
                          <Table.Td style={{ whiteSpace: "nowrap" }}>
                            <Badge color={BADGE_COLOR[health]} variant="light">
                              {t(`channels.healthStates.${health}`)}
                            </Badge>
                            <Text size="xs" c="dimmed" mt={4}>
                              {channel.health.tokenValid ? t("channels.tokenValid") : t("channels.tokenInvalid")}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            {!channel.health.tokenValid ? (
                              <Text size="sm" c="dimmed">
                                —
                              </Text>
                            ) : channel.health.expiresAt ? (
                              <RelativeTime value={channel.health.expiresAt} />
                            ) : (
                              <Text size="sm">{t("channels.doesNotExpire")}</Text>
                            )}
                          </Table.Td>
                          <Table.Td>
                            <RelativeTime value={channel.health.lastSuccessAt} />
                          </Table.Td>
                          <Table.Td maw={260}>
                            {channel.health.lastError ? (
                              <Tooltip label={channel.health.lastError} multiline w={320} withArrow>
                                <Stack gap={0}>
                                  <FailureText text={channel.health.lastError} />
                                  <Text size="xs" c="dimmed">
                                    <RelativeTime value={channel.health.lastErrorAt} />
                                  </Text>
                                </Stack>
                              </Tooltip>
                            ) : (
                              <Text size="sm" c="dimmed">
                                {t("channels.noError")}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td>
                            {canManage && (
                              <Group gap="xs" justify="flex-end" wrap="nowrap">
                                {channel.status === "needs_reconnect" && (
                                  <>
                                    <Button size="xs" color="orange" onClick={() => setConnecting(channel)} aria-label={t("channels.reconnectLabel", { handle: channel.handle })}>
                                      {t("channels.reconnect")}
                                    </Button>
                                    <Button size="xs" variant="light" color="orange" onClick={() => setLinkFor(channel)} aria-label={t("channels.reconnectLinkLabel", { handle: channel.handle })}>
                                      {t("channels.reconnectLink")}
                                    </Button>
                                  </>
                                )}
                                <Button
                                  size="xs"
                                  variant="light"
                                  loading={checkingId === channel.id}
                                  onClick={() => check.mutate(channel)}
                                  aria-label={t("channels.checkLabel", { handle: channel.handle })}
                                >
                                  {t("channels.check")}
                                </Button>
                                <ConfirmedRowAction
                                  label={t("channels.disconnect")}
                                  ariaLabel={t("channels.disconnectLabel", { handle: channel.handle })}
                                  confirm={{ title: t("channels.disconnectTitle", { handle: channel.handle }), message: t("channels.disconnectMessage", { network: networkName(channel.network) }), confirmLabel: t("channels.disconnect") }}
                                  onConfirmed={() => disconnect.mutate(channel)}
                                />
                              </Group>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )
        }
      </QueryState>
      <Modal opened={connecting !== null} onClose={() => setConnecting(null)} title={connecting === "new" ? t("channels.connectTitle") : t("channels.reconnectTitle")}>
        {connecting !== null && networks.data && (
          <ConnectChannelForm networks={networks.data} reconnect={connecting === "new" ? undefined : connecting} onDone={() => setConnecting(null)} />
        )}
      </Modal>
      <Modal opened={linkFor !== null} onClose={() => setLinkFor(null)} title={linkFor ? t("channels.reconnectLinkTitle", { handle: linkFor.handle }) : ""} size="lg">
        {linkFor && <ReconnectLinkForm channel={linkFor} onDone={() => setLinkFor(null)} />}
      </Modal>
    </Page>
  );
}

/** Back from a network's OAuth page: says how it went (`?connected=` or `?connectError=`), then clears the address. */
function useOAuthOutcome() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const connected = params.get("connected");
  const failed = params.get("connectError");
  const told = useRef<string | null>(null);
  useEffect(() => {
    if (!connected && !failed) return;
    // Once per arrival: the effect runs again when anything it uses changes before the address is cleared.
    if (told.current === (connected ?? failed)) return;
    told.current = connected ?? failed;
    if (connected) notifySuccess(t("channels.oauthConnectedToast"));
    else notifyWarning(t(`errors.${failed}`, { defaultValue: t("channels.oauthFailedToast") }));
    void queryClient.invalidateQueries({ queryKey: CHANNELS_KEY });
    setParams({}, { replace: true });
  }, [connected, failed, t, queryClient, setParams]);
}
