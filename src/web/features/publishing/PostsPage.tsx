import { Alert, Anchor, Badge, Box, Button, Card, Group, SegmentedControl, Stack, Table, Text } from "@mantine/core";
import { IconCalendar, IconChecklist, IconPlayerPause, IconPlus, IconSend } from "@tabler/icons-react";
import { useMediaQuery } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { useCan } from "../../app/session";
import { Empty } from "../../components/Empty";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, formatNumber } from "../../i18n/format";
import { useChannels, useNetworks } from "../channels/hooks";
import { isApprovalState, PostStateBadge, useWaitingCount } from "./approvals";
import { ChannelName, DeliveryStatus, TimeZoneNote } from "./components";
import { usePosts, usePublishingStatus } from "./hooks";
import { PauseForm } from "./PauseForm";
import type { Post } from "./types";

const FILTERS = ["all", "draft", "in_review", "approved", "scheduled", "held", "published", "failed", "expired", "cancelled"] as const;
type Filter = (typeof FILTERS)[number];
/** Filters on the post's own state (its targets stay drafts until it is scheduled); the others on its deliveries. */
const POST_STATE_FILTERS: readonly string[] = ["draft", "in_review", "approved", "expired"];

const matches = (post: Post, filter: Filter) =>
  filter === "all" ||
  (POST_STATE_FILTERS.includes(filter) ? post.state === filter : post.targets.some((t) => t.status === filter || (filter === "published" && t.status === "removed")));

/** The time a post is listed by: when it goes (or went) out, else when it was written. */
export const postTime = (post: Post) => post.scheduledAt ?? post.createdAt;

/** /publishing: every post on the channels the reader can read, its delivery per channel, filtered by state. */
export function PostsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter = (FILTERS as readonly string[]).includes(params.get("status") ?? "") ? (params.get("status") as Filter) : "all";
  const posts = usePosts();
  const channels = useChannels();
  const networks = useNetworks();
  const status = usePublishingStatus();
  const canWrite = useCan("posts.write");
  const canPause = useCan("publishing.pause");
  const [pausing, setPausing] = useState(false);
  const waitingCount = useWaitingCount();
  const narrow = useMediaQuery("(max-width: 48em)");
  const canDraftSomewhere = (channels.data ?? []).some((c) => c.access.can.draft && c.status !== "disconnected");
  const wholeWorkspacePaused = status.data?.pauses.some((p) => p.channelIds === null) ?? false;

  const newPost = canWrite && canDraftSomewhere && (
    <Button component={Link} to="/publishing/new" leftSection={<IconPlus size={16} aria-hidden />}>
      {t("publishing.newPost")}
    </Button>
  );
  const actions = (
    <>
      <Button component={Link} to="/publishing/calendar" variant="default" leftSection={<IconCalendar size={16} aria-hidden />}>
        {t("calendar.open")}
      </Button>
      <Button
        component={Link}
        to="/publishing/approvals"
        variant="default"
        leftSection={<IconChecklist size={16} aria-hidden />}
        rightSection={waitingCount.data ? <Badge size="sm" circle aria-hidden>{formatNumber(waitingCount.data)}</Badge> : undefined}
        aria-label={t("approvals.queue.linkLabel", { count: waitingCount.data ?? 0, formatted: formatNumber(waitingCount.data ?? 0) })}
      >
        {t("approvals.queue.title")}
      </Button>
      {canPause && !wholeWorkspacePaused && (
        <Button variant="default" color="red" leftSection={<IconPlayerPause size={16} aria-hidden />} onClick={() => setPausing(true)}>
          {t("publishing.pause.button")}
        </Button>
      )}
      {newPost}
    </>
  );
  const channelOf = (id: string) => channels.data?.find((c) => c.id === id);
  /** A post in approval shows where its approval is; its targets are drafts meanwhile. */
  const targetStatus = (post: Post, target: Post["targets"][number]) =>
    isApprovalState(post.state) && target.status === "draft" ? <PostStateBadge post={post} /> : <DeliveryStatus target={target} channel={channelOf(target.channelId)} networks={networks.data} />;

  return (
    <Page title={t("publishing.title")} description={t("publishing.description")} actions={actions}>
      {status.data && status.data.held > 0 && (
        <Alert color="orange" variant="light" title={t("publishing.heldAlertTitle", { count: status.data.held })}>
          <Group gap="sm">
            <Text size="sm">{t("publishing.heldAlertText")}</Text>
            <Anchor component={Link} to="/publishing/held" size="sm" fw={600}>
              {t("publishing.reviewHeld")}
            </Anchor>
          </Group>
        </Alert>
      )}
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Box style={{ overflowX: "auto", maxWidth: "100%" }}>
          <SegmentedControl
          aria-label={t("publishing.filterLabel")}
          data={FILTERS.map((value) => ({ value, label: t(`publishing.filters.${value}`) }))}
          value={filter}
          onChange={(value) => setParams(value === "all" ? {} : { status: value }, { replace: true })}
          />
        </Box>
        <TimeZoneNote />
      </Group>
      <QueryState query={posts}>
        {(list) => {
          const shown = list.filter((post) => matches(post, filter)).sort((a, b) => postTime(b).localeCompare(postTime(a)));
          if (list.length === 0) {
            return (
              <Card withBorder>
                <Empty
                  icon={<IconSend aria-hidden />}
                  title={t("publishing.emptyTitle")}
                  description={canWrite && canDraftSomewhere ? t("publishing.emptyText") : t("publishing.emptyNoChannels")}
                  action={newPost || undefined}
                />
              </Card>
            );
          }
          if (shown.length === 0) {
            return (
              <Card withBorder>
                <Empty
                  icon={<IconSend aria-hidden />}
                  title={t("publishing.noneInFilter", { filter: t(`publishing.filters.${filter}`) })}
                  description={t("publishing.noneInFilterText")}
                  action={
                    <Button variant="default" onClick={() => setParams({}, { replace: true })}>
                      {t("publishing.showAll")}
                    </Button>
                  }
                />
              </Card>
            );
          }
          if (narrow) {
            // On a phone each post is a card: its text, then each channel with its status, then its time.
            return (
              <Stack gap="sm" component="ul" aria-label={t("publishing.listLabel")} style={{ listStyle: "none", padding: 0, margin: 0 }}>
                {shown.map((post) => (
                  <Card withBorder key={post.id} component="li" padding="sm">
                    <Stack gap={6}>
                      <Anchor component={Link} to={`/publishing/posts/${post.id}`} fw={500} size="sm" lineClamp={3} dir="auto">
                        {post.text || t("publishing.noText")}
                      </Anchor>
                      {post.targets.map((target) => (
                        <Stack key={target.id} gap={2}>
                          <Text size="sm">
                            <ChannelName channel={channelOf(target.channelId)} networks={networks.data} />
                          </Text>
                          {targetStatus(post, target)}
                        </Stack>
                      ))}
                      <PostTime post={post} />
                    </Stack>
                  </Card>
                ))}
              </Stack>
            );
          }
          return (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={760}>
                <Table verticalSpacing="sm" aria-label={t("publishing.listLabel")}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("publishing.columns.post")}</Table.Th>
                      <Table.Th>{t("publishing.columns.channels")}</Table.Th>
                      <Table.Th>{t("publishing.columns.time")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.map((post) => (
                      <Table.Tr key={post.id}>
                        <Table.Td maw={380}>
                          <Anchor component={Link} to={`/publishing/posts/${post.id}`} fw={500} size="sm" lineClamp={2} dir="auto">
                            {post.text || t("publishing.noText")}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Stack gap={6}>
                            {post.targets.map((target) => (
                              <Group key={target.id} gap="xs" wrap="wrap">
                                <Text size="sm">
                                  <ChannelName channel={channelOf(target.channelId)} networks={networks.data} />
                                </Text>
                                {targetStatus(post, target)}
                              </Group>
                            ))}
                          </Stack>
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: "nowrap" }}>
                          <PostTime post={post} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Text size="xs" c="dimmed" p="sm">
                {t("publishing.countShown", { count: shown.length, shown: formatNumber(shown.length), total: formatNumber(list.length) })}
              </Text>
            </Card>
          );
        }}
      </QueryState>
      <PauseForm opened={pausing} onClose={() => setPausing(false)} />
    </Page>
  );
}

/** When a post goes (or went) out, with a word saying which. */
function PostTime({ post }: { post: Post }) {
  const { t } = useTranslation();
  const label = !post.scheduledAt
    ? t("publishing.timeWritten")
    : post.state === "cancelled"
      ? t("publishing.timeCancelled")
      : new Date(post.scheduledAt).getTime() > Date.now()
        ? t("publishing.timeScheduled")
        : post.targets.some((x) => x.status === "published" || x.status === "removed")
          ? t("publishing.timeWent")
          : t("publishing.timeWasDue");
  return (
    <div>
      <Text size="sm">{formatDateTime(postTime(post))}</Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </div>
  );
}
