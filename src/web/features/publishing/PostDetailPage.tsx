import { Alert, Button, Group, Modal, Stack, Text, Textarea, Timeline, Title } from "@mantine/core";
import { IconArrowBack, IconEdit, IconTrash, IconX } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api } from "../../api/client";
import type { Channel } from "../../api/types";
import { useCan } from "../../app/session";
import { useConfirm } from "../../components/confirm";
import { fieldError } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { PanelCard } from "../../components/PanelCard";
import { ErrorAlert, QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../i18n/format";
import { useChannels, useNetworks } from "../channels/hooks";
import { ApprovalCard, ApprovedActions, describeApprovalEvent, isApprovalState, PostStateBadge, versionText } from "./approvals";
import { at, ChannelName, DeliveryStatus, heldReasonText, TimeZoneNote } from "./components";
import { HeldDecision } from "./HeldPostsPage";
import { CommentsPanel } from "./comments";
import { MoveToCard } from "./calendar/MoveToCard";
import { usePost, useRefreshPublishing } from "./hooks";
import type { Post, PostEvent, PostTarget } from "./types";
import { PostMediaSection } from "./MediaPicker";

const NOT_STARTED = ["draft", "scheduled", "held"];

/** /publishing/posts/:postId: the text per channel, each channel's delivery, the history, and what the reader may do. */
export function PostDetailPage() {
  const { t } = useTranslation();
  const { postId = "" } = useParams();
  const post = usePost(postId);
  return (
    <Page
      title={t("publishing.detail.title")}
      actions={
        <Button component={Link} to="/publishing" variant="subtle" leftSection={<IconArrowBack size={16} aria-hidden />}>
          {t("publishing.backToPosts")}
        </Button>
      }
    >
      <QueryState query={post}>{(loaded) => <PostDetail post={loaded} />}</QueryState>
    </Page>
  );
}

function PostDetail({ post }: { post: Post }) {
  const { t } = useTranslation();
  const channels = useChannels();
  const networks = useNetworks();
  const canWrite = useCan("posts.write");
  const confirm = useConfirm();
  const refresh = useRefreshPublishing();
  const [takingDown, setTakingDown] = useState<PostTarget | null>(null);
  const channelOf = (id: string) => channels.data?.find((c) => c.id === id);
  const mayDraftAll = post.targets.every((target) => channelOf(target.channelId)?.access.can.draft);
  const open = post.targets.filter((target) => NOT_STARTED.includes(target.status));
  const editable = canWrite && mayDraftAll && post.state !== "cancelled" && open.length === post.targets.length;
  const cancellable = canWrite && mayDraftAll && post.state !== "cancelled" && open.length > 0;
  const cancel = useMutation({
    mutationFn: () => api<Post>("POST", `/posts/${encodeURIComponent(post.id)}/cancel`),
    onSuccess: () => {
      notifySuccess(t("publishing.detail.cancelledToast"));
      refresh();
    },
    onError: (error) => notifyError(t, error),
  });

  const created = post.history?.find((e) => e.type === "created");
  return (
    <Stack gap="lg">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2}>
          <Text size="sm" c="dimmed">
            {created ? t("publishing.detail.writtenBy", { name: created.actor, time: formatDateTime(created.at) }) : formatDateTime(post.createdAt)}
            {" · "}
            {post.scheduledAt
              ? new Date(post.scheduledAt).getTime() > Date.now()
                ? t("publishing.detail.scheduledFor", { time: formatDateTime(post.scheduledAt) })
                : t("publishing.detail.wasDue", { time: formatDateTime(post.scheduledAt) })
              : post.state === "draft"
                ? t("publishing.detail.draftNoTime")
                : null}
          </Text>
          <TimeZoneNote />
        </Stack>
        <Group gap="sm">
          {editable && (
            <Button component={Link} to={`/publishing/posts/${post.id}/edit`} variant="light" leftSection={<IconEdit size={16} aria-hidden />}>
              {t("publishing.detail.edit")}
            </Button>
          )}
          {cancellable && (
            <Button
              variant="default"
              color="red"
              leftSection={<IconX size={16} aria-hidden />}
              loading={cancel.isPending}
              onClick={async () => {
                const ok = await confirm({ title: t("publishing.detail.cancelTitle"), message: t("publishing.detail.cancelMessage", { count: open.length }), confirmLabel: t("publishing.detail.cancelPost"), danger: true });
                if (ok) cancel.mutate();
              }}
            >
              {t("publishing.detail.cancelPost")}
            </Button>
          )}
        </Group>
      </Group>

      {post.state === "cancelled" && <Alert color="gray">{t("publishing.detail.cancelledNote")}</Alert>}
      <ApprovedActions post={post} channels={channels.data} />
      <MoveToCard key={`${post.id}:${post.version}`} post={post} />

      <PostMediaSection media={post.media ?? []} />

      <Stack gap="md">
        <Title order={2} fz="h4">
          {t("publishing.detail.perChannel")}
        </Title>
        {post.targets.map((target) => {
          const channel = channelOf(target.channelId);
          return (
            <PanelCard
              key={target.id}
              data-channel={channel?.handle}
              order={3}
              title={<ChannelName channel={channel} networks={networks.data} />}
              badge={isApprovalState(post.state) && target.status === "draft" ? <PostStateBadge post={post} /> : <DeliveryStatus target={target} channel={channel} networks={networks.data} />}
            >
              <Text style={{ whiteSpace: "pre-wrap" }} dir="auto" p="sm" bg="gray.0" bd="1px solid gray.3" styles={{ root: { borderRadius: "var(--mantine-radius-sm)" } }}>
                {target.text}
              </Text>
              {target.variantText !== null && (
                <Text size="xs" c="dimmed">
                  {t("publishing.detail.ownText")}
                </Text>
              )}
              {target.status === "published" && target.publishedAt && (
                <Text size="xs" c="dimmed">
                  {t("publishing.detail.publishedAt", { time: formatDateTime(target.publishedAt) })}
                </Text>
              )}
              {target.status === "removed" && target.removed && (
                <Text size="sm">{t("publishing.detail.removedNote", { time: formatDateTime(target.removed.at), reason: target.removed.reason })}</Text>
              )}
              {target.status === "published" && channel?.access.can.publish && (
                <Group>
                  <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => setTakingDown(target)} aria-label={t("publishing.takeDown.buttonLabel", { handle: at(channel.handle) })}>
                    {t("publishing.takeDown.button")}
                  </Button>
                </Group>
              )}
              {target.status === "held" && (
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    {t("publishing.detail.heldDecide")}
                  </Text>
                  <HeldDecision target={target} channel={channel} kept={false} onKept={() => undefined} />
                </Stack>
              )}
            </PanelCard>
          );
        })}
      </Stack>

      <ApprovalCard post={post} />

      <CommentsPanel postId={post.id} />

      <PanelCard title={t("publishing.history.title")}>
        <Timeline bulletSize={14} lineWidth={2} active={-1}>
          {(post.history ?? []).map((event, index) => (
            <Timeline.Item key={index} title={<Text size="sm">{describeEvent(t, event, channelOf(event.targetId ? (post.targets.find((x) => x.id === event.targetId)?.channelId ?? "") : ""))}</Text>}>
              <Text size="xs" c="dimmed">
                <time dateTime={event.at}>{formatDateTime(event.at)}</time>
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </PanelCard>
      <TakeDownModal post={post} target={takingDown} channel={takingDown ? channelOf(takingDown.channelId) : undefined} onClose={() => setTakingDown(null)} />
    </Stack>
  );
}

/** One history event in words: who did what, where. */
export function describeEvent(t: TFunction, event: PostEvent, channel: Channel | undefined): string {
  const data = event.data as Record<string, unknown>;
  const on = channel ? at(channel.handle) : t("publishing.unknownChannel");
  const time = (value: unknown) => (typeof value === "string" ? formatDateTime(value) : "");
  const kind = (value: unknown) => t(`publishing.failureKinds.${String(value)}`, { defaultValue: String(value ?? "") });
  const actor = event.actorId ? event.actor : t("publishing.history.system");
  switch (event.type) {
    case "created":
      return t("publishing.history.created", { actor });
    case "edited":
      return t("publishing.history.edited", { actor, version: versionText(data.version) });
    case "scheduled":
      return t("publishing.history.scheduled", { actor, time: time(data.at) });
    case "unscheduled":
      return t("publishing.history.unscheduled", { actor });
    case "held":
      return t("publishing.history.held", { on, why: heldReasonText(t, typeof data.reason === "string" ? data.reason : null) });
    case "released":
      return data.action === "publish_now" ? t("publishing.history.releasedNow", { actor, on }) : t("publishing.history.rescheduled", { actor, on, time: time(data.at) });
    case "published":
      return data.reconciled ? t("publishing.history.publishedReconciled", { on }) : t("publishing.history.published", { on });
    case "attempt_failed":
      return t("publishing.history.attemptFailed", { on, kind: kind(data.kind), time: time(data.retryAt) });
    case "attempt_stalled":
      return t("publishing.history.attemptStalled", { on });
    case "failed":
      return t("publishing.history.failed", { on, kind: kind(data.kind), message: String(data.message ?? "") });
    case "taken_down":
      return t("publishing.history.takenDown", { actor, on, reason: String(data.reason ?? "") });
    case "cancelled":
      return t("publishing.history.cancelled", { actor });
    case "handed_over":
      return t("publishing.history.handedOver", { actor });
    case "rescheduled":
      return t("publishing.history.moved", { actor, from: data.from ? time(data.from) : "—", to: time(data.to) });
    default:
      return describeApprovalEvent(t, event) ?? t("publishing.history.other", { type: event.type, actor });
  }
}

/** Taking a published post down from its network: a reason is required, and the effect is said before. */
function TakeDownModal({ post, target, channel, onClose }: { post: Post; target: PostTarget | null; channel: Channel | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshPublishing();
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const takeDown = useMutation({
    mutationFn: () => api<Post>("POST", `/posts/${encodeURIComponent(post.id)}/targets/${encodeURIComponent(target!.id)}/take-down`, { reason: reason.trim() }),
    onSuccess: () => {
      notifySuccess(t("publishing.takeDown.done", { handle: at(channel?.handle ?? "") }));
      refresh();
      setReason("");
      onClose();
    },
  });
  return (
    <Modal opened={target !== null} onClose={onClose} title={t("publishing.takeDown.title", { handle: at(channel?.handle ?? "") })} closeButtonProps={{ "aria-label": t("common.close") }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!reason.trim()) return setMissing(true);
          takeDown.mutate();
        }}
      >
        <Stack>
          <Text size="sm">{t("publishing.takeDown.explain")}</Text>
          <Textarea
            label={t("publishing.takeDown.reason")}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            withAsterisk
            autosize
            minRows={2}
            maxLength={500}
            error={(missing && !reason.trim() ? t("publishing.takeDown.reasonRequired") : undefined) ?? fieldError(t, takeDown.error, "reason")}
            data-autofocus
          />
          <ErrorAlert error={takeDown.error && !fieldError(t, takeDown.error, "reason") ? takeDown.error : null} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" color="red" loading={takeDown.isPending}>
              {t("publishing.takeDown.confirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
