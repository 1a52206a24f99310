import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text } from "@mantine/core";
import { IconCircleCheck } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import type { Channel } from "../../api/types";
import { Empty } from "../../components/Empty";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { DateTimeField } from "../../components/DateTimeField";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, viewerTimeZone } from "../../i18n/format";
import { useChannels, useNetworks } from "../channels/hooks";
import { at, ChannelName, heldReasonText, TimeZoneNote } from "./components";
import { fromLocalInput, toLocalInput, usePosts, useReleaseHeld } from "./hooks";
import type { Post, PostTarget } from "./types";

/**
 * /publishing/held: posts held on a channel (a pause, a channel to reconnect, an author who left), each decided on
 * by a person: publish now, reschedule, or keep held. After a resume this is where the held posts are reviewed,
 * so resuming never sends a burst of stale posts.
 */
export function HeldPostsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const posts = usePosts();
  const [kept, setKept] = useState(new Set<string>());
  return (
    <Page title={t("publishing.held.title")} description={t("publishing.held.description")} actions={<TimeZoneNote />}>
      {params.get("resumed") && (
        <Alert color="teal" variant="light" title={t("publishing.held.resumedTitle")}>
          {t("publishing.held.resumedText")}
        </Alert>
      )}
      <QueryState query={posts}>
        {(list) => {
          const rows = list.flatMap((post) => post.targets.filter((target) => target.status === "held").map((target) => ({ post, target })));
          if (rows.length === 0) {
            return (
              <Card withBorder>
                <Empty
                  icon={<IconCircleCheck aria-hidden />}
                  title={t("publishing.held.emptyTitle")}
                  description={t("publishing.held.emptyText")}
                  action={
                    <Button component={Link} to="/publishing" variant="default">
                      {t("publishing.backToPosts")}
                    </Button>
                  }
                />
              </Card>
            );
          }
          return (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={820}>
                <Table verticalSpacing="sm" aria-label={t("publishing.held.title")}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("publishing.columns.post")}</Table.Th>
                      <Table.Th>{t("publishing.held.channel")}</Table.Th>
                      <Table.Th>{t("publishing.held.wasDue")}</Table.Th>
                      <Table.Th>{t("publishing.held.decision")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map(({ post, target }) => (
                      <HeldRow key={target.id} post={post} target={target} kept={kept.has(target.id)} onKept={() => setKept(new Set(kept).add(target.id))} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          );
        }}
      </QueryState>
    </Page>
  );
}

/** One held post on one channel, in the review's table. */
function HeldRow({ post, target, kept, onKept }: { post: Post; target: PostTarget; kept: boolean; onKept: () => void }) {
  const { t } = useTranslation();
  const channels = useChannels();
  const networks = useNetworks();
  const channel = channels.data?.find((c) => c.id === target.channelId);
  return (
    <Table.Tr>
      <Table.Td maw={320}>
        <Anchor component={Link} to={`/publishing/posts/${post.id}`} size="sm" fw={500} lineClamp={2} dir="auto">
          {target.text}
        </Anchor>
        <Text size="xs" c="dimmed">
          {t("publishing.status.heldWhy", { why: heldReasonText(t, target.heldReason) })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          <ChannelName channel={channel} networks={networks.data} />
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>
        <Text size="sm">{target.dueAt ? formatDateTime(target.dueAt) : "—"}</Text>
      </Table.Td>
      <Table.Td>
        <HeldDecision target={target} channel={channel} kept={kept} onKept={onKept} />
      </Table.Td>
    </Table.Tr>
  );
}

/** The three decisions on a held post (for those with Full publishing on its channel): publish now, reschedule, keep held. */
export function HeldDecision({ target, channel, kept, onKept }: { target: PostTarget; channel: Channel | undefined; kept: boolean; onKept: () => void }) {
  const { t } = useTranslation();
  const release = useReleaseHeld();
  const [rescheduling, setRescheduling] = useState(false);
  const [at_, setAt] = useState(() => toLocalInput(new Date(Date.now() + 60 * 60_000)));
  const decide = (action: "publish_now" | "reschedule" | "keep_held") =>
    release.mutate([{ targetId: target.id, action, at: action === "reschedule" ? fromLocalInput(at_) : null }], {
      onSuccess: (result) => {
        const outcome = result.results[0];
        if (action === "keep_held") {
          onKept();
          notifySuccess(t("publishing.held.keptToast"));
        } else notifySuccess(t("publishing.held.releasedToast", { time: outcome?.dueAt ? formatDateTime(outcome.dueAt) : "" }));
      },
      onError: (error) => notifyError(t, error),
    });
  const handle = at(channel?.handle ?? "");
  if (!channel?.access.can.publish) {
    return (
      <Text size="xs" c="dimmed">
        {t("publishing.held.needsFullPublishing")}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {kept && (
        <Badge color="orange" variant="light" style={{ textTransform: "none" }}>
          {t("publishing.held.kept")}
        </Badge>
      )}
      <Group gap="xs" wrap="wrap">
        <Button size="xs" onClick={() => decide("publish_now")} loading={release.isPending && release.variables?.[0]?.action === "publish_now"} aria-label={t("publishing.held.publishNowLabel", { handle })}>
          {t("publishing.held.publishNow")}
        </Button>
        <Button size="xs" variant="light" onClick={() => setRescheduling(!rescheduling)} aria-expanded={rescheduling} aria-label={t("publishing.held.rescheduleLabel", { handle })}>
          {t("publishing.held.reschedule")}
        </Button>
        <Button size="xs" variant="default" onClick={() => decide("keep_held")} aria-label={t("publishing.held.keepHeldLabel", { handle })}>
          {t("publishing.held.keepHeld")}
        </Button>
      </Group>
      {rescheduling && (
        <Group gap="xs" align="flex-end" wrap="wrap">
          <DateTimeField size="xs" label={t("publishing.held.newTime")} description={viewerTimeZone()} value={at_} onChange={(event) => setAt(event.currentTarget.value)} />
          <Button size="xs" onClick={() => decide("reschedule")} disabled={!fromLocalInput(at_)} loading={release.isPending && release.variables?.[0]?.action === "reschedule"}>
            {t("publishing.held.confirmReschedule")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
