import { Badge, Button, Card, Stack, Table, Text } from "@mantine/core";
import { IconDevices } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Session } from "../../api/types";
import { ConfirmedRowAction, useConfirm } from "../../components/confirm";
import { Empty } from "../../components/Empty";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { formatNumber } from "../../i18n/format";
import { describeUserAgent } from "./userAgent";

const SESSIONS_KEY = ["me", "sessions"] as const;

/** /account/sessions: where the person is signed in; end one or all others. */
export function SessionsPage() {
  const { t } = useTranslation();
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: SESSIONS_KEY, queryFn: () => api<{ sessions: Session[] }>("GET", "/me/sessions") });

  const end = useMutation({
    mutationFn: (id: string) => api("DELETE", `/me/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => {
      notifySuccess(t("sessions.ended"));
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
    onError: (error) => notifyError(t, error),
  });
  const endOthers = useMutation({
    mutationFn: () => api<{ ended: number }>("POST", "/me/sessions/revoke-others"),
    onSuccess: ({ ended }) => {
      notifySuccess(t("sessions.endedOthers", { count: ended, formatted: formatNumber(ended) }));
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
    onError: (error) => notifyError(t, error),
  });

  const device = (session: Session) => {
    const { browser, system } = describeUserAgent(session.userAgent);
    if (browser && system) return t("sessions.browserOn", { browser, system });
    return browser ?? system ?? t("sessions.unknownDevice");
  };

  const others = sessions.data?.sessions.filter((s) => !s.current).length ?? 0;

  return (
    <Page
      title={t("sessions.title")}
      description={t("sessions.description")}
      actions={
        <Button
          variant="light"
          color="red"
          disabled={others === 0}
          loading={endOthers.isPending}
          onClick={async () => {
            const ok = await confirm({
              title: t("sessions.endOthersTitle"),
              message: t("sessions.endOthersMessage", { count: others, formatted: formatNumber(others) }),
              confirmLabel: t("sessions.endOthers"),
              danger: true,
            });
            if (ok) endOthers.mutate();
          }}
        >
          {t("sessions.endOthers")}
        </Button>
      }
    >
      <QueryState query={sessions}>
        {({ sessions: list }) =>
          list.length === 0 ? (
            <Empty icon={<IconDevices aria-hidden />} title={t("sessions.emptyTitle")} description={t("sessions.emptyText")} />
          ) : (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={720}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("sessions.device")}</Table.Th>
                      <Table.Th>{t("sessions.ip")}</Table.Th>
                      <Table.Th>{t("sessions.signedIn")}</Table.Th>
                      <Table.Th>{t("sessions.lastSeen")}</Table.Th>
                      <Table.Th>{t("sessions.expires")}</Table.Th>
                      <Table.Th>
                        <span className="visually-hidden">{t("common.actions")}</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((session) => (
                      <Table.Tr key={session.id}>
                        <Table.Td>
                          <Stack gap={2}>
                            <Text size="sm" fw={500}>
                              {device(session)}{" "}
                              {session.current && (
                                <Badge size="sm" variant="light" color="teal" ms={4}>
                                  {t("sessions.thisDevice")}
                                </Badge>
                              )}
                            </Text>
                            {session.userAgent && (
                              // The whole line reads left to right, so in Persian the cut falls at the string's end ("…Safari"), not its start.
                              <Text size="xs" c="dimmed" lineClamp={1} title={session.userAgent} className="ltr-value">
                                {session.userAgent}
                              </Text>
                            )}
                          </Stack>
                        </Table.Td>
                        <Table.Td>
                          <span className="ltr-value">{session.ip ?? "—"}</span>
                        </Table.Td>
                        <Table.Td>
                          <RelativeTime value={session.createdAt} />
                        </Table.Td>
                        <Table.Td>
                          <RelativeTime value={session.lastSeenAt} />
                        </Table.Td>
                        <Table.Td>
                          <RelativeTime value={session.expiresAt} />
                        </Table.Td>
                        <Table.Td ta="end">
                          {!session.current && (
                            <ConfirmedRowAction
                              label={t("sessions.end")}
                              ariaLabel={t("sessions.endLabel", { device: device(session) })}
                              confirm={{ title: t("sessions.endTitle"), message: t("sessions.endMessage", { device: device(session) }), confirmLabel: t("sessions.end") }}
                              onConfirmed={() => end.mutate(session.id)}
                            />
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )
        }
      </QueryState>
    </Page>
  );
}
