import { Badge, Card, Group, Select, Stack, Text } from "@mantine/core";
import { IconUserCheck } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IMPOSTOR_STATUSES } from "../../../contracts/listening-alerts";
import { useCan } from "../../app/session";
import { Empty } from "../../components/Empty";
import { notifyError } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, formatNumber } from "../../i18n/format";
import { useImpostors, useSetImpostorStatus, type Impostor } from "./hooks";

type Reason = { kind: string; brandHandle?: string; brandName?: string; edits?: number; affix?: string; days?: number; phrases?: string[]; asksForPayment?: boolean };

/** Suspected impostor accounts: whom they imitate and why, and what was done about them. */
export function ImpostorsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>("");
  const impostors = useImpostors(status || undefined);
  return (
    <Page title={t("listeningAlerts.impostorsTitle")} description={t("listeningAlerts.impostorsDescription")}>
      <Select
        label={t("listeningAlerts.statusFilter")}
        value={status}
        onChange={(v) => setStatus(v ?? "")}
        data={[{ value: "", label: t("listeningAlerts.all") }, ...IMPOSTOR_STATUSES.map((s) => ({ value: s, label: t(`listeningAlerts.impostorStatus.${s}`) }))]}
        w={240}
      />
      <QueryState query={impostors}>
        {(list) =>
          list.length === 0 ? (
            <Card withBorder>
              <Empty icon={<IconUserCheck aria-hidden />} title={t("listeningAlerts.noImpostorsTitle")} description={t("listeningAlerts.noImpostorsText")} />
            </Card>
          ) : (
            <Stack gap="sm">
              {list.map((i) => (
                <ImpostorCard key={i.id} impostor={i} />
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Page>
  );
}

function ImpostorCard({ impostor }: { impostor: Impostor }) {
  const { t } = useTranslation();
  const canHandle = useCan("alerts.handle");
  const set = useSetImpostorStatus();
  const reasons = (impostor.evidence.reasons as Reason[] | undefined) ?? [];
  const texts = (impostor.evidence.texts as string[] | undefined) ?? [];
  return (
    <Card withBorder component="article" aria-label={impostor.handle} data-testid="impostor">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <Stack gap={0}>
            <Text fw={700}>
              {impostor.displayName ? `${impostor.displayName} ` : ""}
              <Text span c="dimmed" dir="ltr">
                {impostor.handle}
              </Text>
            </Text>
            {impostor.imitates && (
              <Text size="sm">
                {t("listeningAlerts.imitates", { handle: impostor.imitates.handle, name: impostor.imitates.displayName ?? impostor.imitates.handle, network: t(`listening.networks.${impostor.network}`, { defaultValue: impostor.network }) })}
              </Text>
            )}
          </Stack>
          <Group gap="xs">
            <Badge variant="light" color="red">
              {t("listeningAlerts.score", { score: formatNumber(Math.round(impostor.score * 100)) })}
            </Badge>
            {canHandle ? (
              <Select
                aria-label={t("listeningAlerts.statusOf", { handle: impostor.handle })}
                value={impostor.status}
                onChange={(v) => v && set.mutate({ id: impostor.id, status: v as Impostor["status"] }, { onError: (err) => notifyError(t, err) })}
                data={IMPOSTOR_STATUSES.map((s) => ({ value: s, label: t(`listeningAlerts.impostorStatus.${s}`) }))}
                w={180}
                allowDeselect={false}
              />
            ) : (
              <Badge>{t(`listeningAlerts.impostorStatus.${impostor.status}`)}</Badge>
            )}
          </Group>
        </Group>
        <Stack gap={2} component="ul" style={{ margin: 0, paddingInlineStart: 20 }}>
          {reasons.map((r, index) => (
            <Text component="li" size="sm" key={index}>
              {t(`listeningAlerts.reasons.${r.kind}`, { handle: r.brandHandle ?? "", name: r.brandName ?? "", edits: r.edits ?? 0, affix: r.affix ?? "", days: r.days ?? 0, phrases: (r.phrases ?? []).join(", ") })}
            </Text>
          ))}
        </Stack>
        {texts.map((text, index) => (
          <Text key={index} size="sm" c="dimmed" dir="auto" style={{ borderInlineStart: "3px solid var(--mantine-color-gray-4)", paddingInlineStart: 8 }}>
            {text}
          </Text>
        ))}
        <Text size="xs" c="dimmed">
          {t("listeningAlerts.seen", { first: formatDateTime(impostor.firstSeenAt), last: formatDateTime(impostor.lastSeenAt) })}
        </Text>
      </Stack>
    </Card>
  );
}
