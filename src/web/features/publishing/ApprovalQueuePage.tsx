import { Anchor, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { IconArrowBack, IconChecklist } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { Empty } from "../../components/Empty";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, formatNumber } from "../../i18n/format";
import { useChannels, useNetworks } from "../channels/hooks";
import { useMembers } from "../members/hooks";
import { DecisionForm, stepLabel, useWaiting, type QueueItem } from "./approvals";
import { ChannelName, TimeZoneNote } from "./components";

/** /publishing/approvals, "Waiting for me": the posts whose current approval step names the reader, soonest first. */
export function ApprovalQueuePage() {
  const { t } = useTranslation();
  const waiting = useWaiting();
  return (
    <Page
      title={t("approvals.queue.title")}
      description={t("approvals.queue.description")}
      actions={
        <Button component={Link} to="/publishing" variant="subtle" leftSection={<IconArrowBack size={16} aria-hidden />}>
          {t("publishing.backToPosts")}
        </Button>
      }
    >
      <TimeZoneNote />
      <QueryState query={waiting}>
        {(items) =>
          items.length === 0 ? (
            <Card withBorder>
              <Empty icon={<IconChecklist aria-hidden />} title={t("approvals.queue.emptyTitle")} description={t("approvals.queue.emptyText")} />
            </Card>
          ) : (
            <Stack gap="lg" component="ul" aria-label={t("approvals.queue.title")} style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {items.map((item) => (
                <QueueEntry key={item.post.id} item={item} />
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Page>
  );
}

/** One post waiting: who wrote it, when it goes out, the step, the text as each channel will show it, the decision. */
function QueueEntry({ item }: { item: QueueItem }) {
  const { t } = useTranslation();
  const channels = useChannels();
  const networks = useNetworks();
  const members = useMembers();
  const { post, step } = item;
  const author = post.history?.find((e) => e.type === "created")?.actor ?? members.data?.find((m) => m.userId === post.authorId)?.name;
  return (
    <Card withBorder component="li" data-post={post.id}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={2} fz="h5">
            {author ? t("approvals.queue.by", { name: author }) : t("approvals.queue.post")}
          </Title>
          <Anchor component={Link} to={`/publishing/posts/${post.id}`} size="sm">
            {t("approvals.queue.open")}
          </Anchor>
        </Group>
        <Text size="sm" c="dimmed">
          {post.scheduledAt ? t("approvals.queue.goesOut", { time: formatDateTime(post.scheduledAt) }) : t("approvals.queue.noTime")}
          {" · "}
          {t("approvals.queue.step", { step: formatNumber(step.index + 1), of: formatNumber(step.of), label: stepLabel(step.label) })}
          {" · "}
          {t("approvals.queue.submitted", { time: formatDateTime(item.submittedAt) })}
        </Text>
        {post.targets.map((target) => {
          const channel = channels.data?.find((c) => c.id === target.channelId);
          return (
            <Stack key={target.id} gap={4}>
              <Text size="sm" fw={600}>
                <ChannelName channel={channel} networks={networks.data} />
              </Text>
              <Text style={{ whiteSpace: "pre-wrap", borderRadius: "var(--mantine-radius-sm)" }} dir="auto" p="sm" bg="gray.0" bd="1px solid gray.3">
                {target.text}
              </Text>
            </Stack>
          );
        })}
        <DecisionForm post={post} />
      </Stack>
    </Card>
  );
}
