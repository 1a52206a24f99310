import { Anchor, Badge, Card, Group, SegmentedControl, Select, Table, Text } from "@mantine/core";
import { IconBellCheck } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { Empty } from "../../components/Empty";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../i18n/format";
import { useAlerts, type Alert } from "./hooks";

export const STATUS_COLOR = { open: "red", acknowledged: "yellow", resolved: "gray" } as const;
const KINDS = ["spike", "negative_turn", "keyword", "impostor"] as const;

/** The workspace's alerts, newest first; open ones stand out. */
export function AlertsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const kind = params.get("kind") ?? "";
  const alerts = useAlerts({ status: status || undefined, kind: kind || undefined, stream: params.get("stream") ?? undefined });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return (
    <Page title={t("listeningAlerts.title")} description={t("listeningAlerts.description")}>
      <Group gap="md" align="flex-end" wrap="wrap">
        <SegmentedControl
          aria-label={t("listeningAlerts.statusFilter")}
          value={status}
          onChange={(v) => set("status", v)}
          data={[{ value: "", label: t("listeningAlerts.all") }, ...(["open", "acknowledged", "resolved"] as const).map((s) => ({ value: s, label: t(`listeningAlerts.status.${s}`) }))]}
        />
        <Select
          label={t("listeningAlerts.kindFilter")}
          value={kind}
          onChange={(v) => set("kind", v ?? "")}
          data={[{ value: "", label: t("listeningAlerts.allKinds") }, ...KINDS.map((k) => ({ value: k, label: t(`listeningAlerts.kind.${k}`) }))]}
          w={220}
        />
      </Group>
      <QueryState query={alerts}>
        {(data) =>
          data.alerts.length === 0 ? (
            <Card withBorder>
              <Empty icon={<IconBellCheck aria-hidden />} title={t("listeningAlerts.noneTitle")} description={t("listeningAlerts.noneText")} />
            </Card>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="sm" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("listeningAlerts.alert")}</Table.Th>
                    <Table.Th>{t("listeningAlerts.kindFilter")}</Table.Th>
                    <Table.Th>{t("listeningAlerts.stream")}</Table.Th>
                    <Table.Th>{t("listeningAlerts.raisedAt")}</Table.Th>
                    <Table.Th>{t("listeningAlerts.statusFilter")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.alerts.map((alert) => (
                    <AlertRow key={alert.id} alert={alert} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Page>
  );
}

function AlertRow({ alert }: { alert: Alert }) {
  const { t } = useTranslation();
  const open = alert.status === "open";
  return (
    <Table.Tr data-testid="alert-row" style={open ? { borderInlineStart: "4px solid var(--mantine-color-red-6)" } : undefined}>
      <Table.Td>
        <Anchor component={Link} to={`/listening/alerts/${alert.id}`} fw={open ? 700 : 400}>
          {alertTitle(t, alert)}
        </Anchor>
      </Table.Td>
      <Table.Td>{t(`listeningAlerts.kind.${alert.kind}`)}</Table.Td>
      <Table.Td>{alert.streamName ?? "—"}</Table.Td>
      <Table.Td>{formatDateTime(alert.raisedAt)}</Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[alert.status]} variant={open ? "filled" : "light"}>
          {t(`listeningAlerts.status.${alert.status}`)}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}

/** The alert's title in the reader's language (the stored title is English, for mail and logs). */
export function alertTitle(t: (key: string, values?: Record<string, unknown>) => string, alert: Alert): string {
  const facts = alert.evidence.facts as { evidence?: { term?: string; handle?: string } } | undefined;
  return t(`listeningAlerts.titles.${alert.kind}`, { stream: alert.streamName ?? "", term: facts?.evidence?.term ?? "", handle: facts?.evidence?.handle ?? "" });
}
