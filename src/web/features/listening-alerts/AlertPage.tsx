import { Anchor, Badge, Box, Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useCan } from "../../app/session";
import { notifyError } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, formatNumber, formatPercent, isolate } from "../../i18n/format";
import { languageName } from "../listening/MentionCard";
import { alertTitle, STATUS_COLOR } from "./AlertsPage";
import { useAlert, useSetAlertStatus, type AlertDetail } from "./hooks";
import { DeclareFromAlertButton } from "../crisis/DeclareFromAlertButton";

type Post = { id: number; author: string; network: string; url: string | null; text: string; lang: string; sentiment: string; postedAt: string; copies?: number };
type SpikeFacts = {
  window: { total: number; negative: number };
  baseline: { kind: "hour_of_week" | "last_day"; median: number; negativeShare: number };
  ratio: number;
  negativeShare: number;
  topTerms: Array<{ term: string; count: number }>;
};

/** One alert: what happened, the evidence for a person to judge it, the mentions behind it, and acknowledging it. */
export function AlertPage() {
  const { alertId } = useParams();
  const query = useAlert(alertId);
  const { t } = useTranslation();
  return (
    <QueryState query={query}>
      {(alert) => (
        <Page title={alertTitle(t, alert)} description={t("listeningAlerts.raisedLine", { at: formatDateTime(alert.raisedAt) })} actions={<StatusActions alert={alert} />}>
          {(alert.kind === "spike" || alert.kind === "negative_turn") && <SpikeEvidence alert={alert} />}
          {alert.kind === "keyword" && (
            <Text>{t("listeningAlerts.keywordLine", { term: (alert.evidence.facts as { evidence: { term: string } }).evidence.term, count: Number(alert.evidence.count ?? 1), formatted: formatNumber(Number(alert.evidence.count ?? 1)) })}</Text>
          )}
          {alert.kind === "impostor" && (
            <Text>
              <Anchor component={Link} to="/listening/impostors">
                {t("listeningAlerts.seeImpostors")}
              </Anchor>
            </Text>
          )}
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={2} fz="h4">
                {t("listeningAlerts.mentionsBehind")}
              </Title>
              {alert.streamId && (
                <Anchor component={Link} to={`/listening/mentions?stream=${alert.streamId}`}>
                  {t("listeningAlerts.allMentions")}
                </Anchor>
              )}
            </Group>
            {alert.mentions.length === 0 ? (
              <Text c="dimmed">{t("listeningAlerts.noMentions")}</Text>
            ) : (
              alert.mentions.map((m) => <PostCard key={m.id} post={{ ...m, author: m.authorHandle }} />)
            )}
          </Stack>
        </Page>
      )}
    </QueryState>
  );
}

function StatusActions({ alert }: { alert: AlertDetail }) {
  const { t } = useTranslation();
  const canHandle = useCan("alerts.handle");
  const set = useSetAlertStatus(alert.id);
  const send = (status: "acknowledged" | "resolved") => set.mutate(status, { onError: (err) => notifyError(t, err) });
  return (
    <Group gap="sm">
      <DeclareFromAlertButton alert={{ id: alert.id, title: alertTitle(t, alert) }} />
      <Badge size="lg" color={STATUS_COLOR[alert.status]} variant={alert.status === "open" ? "filled" : "light"} data-testid="alert-status">
        {t(`listeningAlerts.status.${alert.status}`)}
      </Badge>
      {canHandle && alert.status === "open" && (
        <Button onClick={() => send("acknowledged")} loading={set.isPending}>
          {t("listeningAlerts.acknowledge")}
        </Button>
      )}
      {canHandle && alert.status !== "resolved" && (
        <Button variant="default" onClick={() => send("resolved")} loading={set.isPending}>
          {t("listeningAlerts.resolve")}
        </Button>
      )}
    </Group>
  );
}

function SpikeEvidence({ alert }: { alert: AlertDetail }) {
  const { t } = useTranslation();
  const facts = (alert.evidence.facts as { evidence: SpikeFacts }).evidence;
  const volume = (alert.evidence.volume as Array<{ start: string; total: number }> | undefined) ?? [];
  const sentiment = (alert.evidence.sentiment as Record<string, number> | undefined) ?? {};
  const languages = (alert.evidence.languages as Array<{ lang: string; count: number }> | undefined) ?? [];
  // The evidence keeps the five most frequent texts even when each was posted once; only a text posted again is "repeated".
  const repeatedPosts = ((alert.evidence.topPosts as Post[] | undefined) ?? []).filter((p) => (p.copies ?? 1) > 1);
  const firstPosts = (alert.evidence.firstPosts as Post[] | undefined) ?? [];
  const max = Math.max(1, facts.baseline.median, ...volume.map((v) => v.total));
  const usual = t(facts.baseline.kind === "hour_of_week" ? "listeningAlerts.usualHourOfWeek" : "listeningAlerts.usualLastDay");
  const totalSplit = Object.values(sentiment).reduce((a, b) => a + b, 0) || 1;
  return (
    <Stack gap="lg">
      <Card withBorder>
        <Stack gap="sm">
          <Title order={2} fz="h4">
            {t("listeningAlerts.volume")}
          </Title>
          <Text>{t("listeningAlerts.volumeLine", { total: formatNumber(facts.window.total), median: formatNumber(facts.baseline.median), usual, ratio: formatNumber(facts.ratio, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) })}</Text>
          <Box role="img" aria-label={t("listeningAlerts.volumeChart", { values: volume.map((v) => formatNumber(v.total)).join(", "), median: formatNumber(facts.baseline.median) })} style={{ position: "relative" }}>
            <Group gap={6} align="flex-end" h={120} wrap="nowrap">
              {volume.map((v, i) => (
                <Stack key={v.start} gap={2} align="center" style={{ flex: 1 }}>
                  <Text size="xs">{formatNumber(v.total)}</Text>
                  <Box
                    w="100%"
                    h={Math.max(2, (v.total / max) * 90)}
                    bg={i === volume.length - 1 ? "red.6" : "blue.3"}
                    style={{ borderRadius: 3 }}
                  />
                </Stack>
              ))}
            </Group>
            <Box
              style={{ position: "absolute", insetInline: 0, bottom: (facts.baseline.median / max) * 90, borderTop: "2px dashed var(--mantine-color-gray-7)" }}
              aria-hidden
            />
          </Box>
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {volume[0] ? formatDateTime(volume[0].start) : ""}
            </Text>
            <Text size="xs" c="dimmed">
              {t("listeningAlerts.baselineLegend", { median: formatNumber(facts.baseline.median) })}
            </Text>
          </Group>
        </Stack>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card withBorder>
          <Title order={2} fz="h5" mb="xs">
            {t("listeningAlerts.topTerms")}
          </Title>
          <Group gap={6}>
            {facts.topTerms.map((term) => (
              <Badge key={term.term} variant="light" tt="none">
                {term.term} · {formatNumber(term.count)}
              </Badge>
            ))}
          </Group>
        </Card>
        <Card withBorder>
          <Title order={2} fz="h5" mb="xs">
            {t("listeningAlerts.sentimentSplit")}
          </Title>
          {(["negative", "neutral", "positive"] as const).map((s) => (
            <Text key={s} size="sm">
              {t(`listening.sentiment.${s}`)}: {formatNumber(sentiment[s] ?? 0)} ({formatPercent((sentiment[s] ?? 0) / totalSplit)})
            </Text>
          ))}
          <Text size="xs" c="dimmed" mt={4}>
            {t("listeningAlerts.negativeUsually", { share: formatPercent(facts.baseline.negativeShare) })}
          </Text>
        </Card>
        <Card withBorder>
          <Title order={2} fz="h5" mb="xs">
            {t("listeningAlerts.languageSplit")}
          </Title>
          {languages.map((l) => (
            <Text key={l.lang} size="sm">
              {languageName(l.lang)}: {formatNumber(l.count)}
            </Text>
          ))}
        </Card>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack gap="xs" data-testid="repeated-posts">
          <Title order={2} fz="h5">
            {t("listeningAlerts.topPosts")}
          </Title>
          {repeatedPosts.map((p) => (
            <PostCard key={p.id} post={p} />
          ))}
          {repeatedPosts.length === 0 && (
            <Text size="sm" c="dimmed">
              {t("listeningAlerts.noRepeats")}
            </Text>
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={2} fz="h5">
            {t("listeningAlerts.firstPosts")}
          </Title>
          {firstPosts.map((p) => (
            <PostCard key={p.id} post={p} />
          ))}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

function PostCard({ post }: { post: Post }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm" component="article">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={600} truncate>
          {isolate(`@${post.author.replace(/^@/, "")}`)}
        </Text>
        <Text size="xs" c="dimmed">
          {formatDateTime(post.postedAt)}
        </Text>
      </Group>
      <Text size="sm" dir="auto" style={{ whiteSpace: "pre-wrap" }}>
        {post.text}
      </Text>
      <Group gap="xs" mt={4}>
        <Badge size="sm" variant="light" color={post.sentiment === "negative" ? "red" : post.sentiment === "positive" ? "green" : "gray"}>
          {t(`listening.sentiment.${post.sentiment}`)}
        </Badge>
        <Text size="xs" c="dimmed">
          {languageName(post.lang)}
        </Text>
        {post.copies && post.copies > 1 ? <Text size="xs">{t("listeningAlerts.copies", { count: post.copies, formatted: formatNumber(post.copies) })}</Text> : null}
        {post.url && (
          <Anchor href={post.url} target="_blank" rel="noreferrer" size="xs">
            {t("listeningAlerts.openPost")}
          </Anchor>
        )}
      </Group>
    </Card>
  );
}
