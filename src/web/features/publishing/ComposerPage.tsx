import { Alert, Badge, Button, Card, Checkbox, Flex, Group, Radio, Stack, Switch, Text, Textarea, Title } from "@mantine/core";
import { IconAlertTriangle, IconPlayerPause } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { textLengthFor } from "../../../contracts/text-length";
import { ApiError, api } from "../../api/client";
import type { Channel, NetworkInfo } from "../../api/types";
import { DateTimeField } from "../../components/DateTimeField";
import { errorText } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { PanelCard } from "../../components/PanelCard";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, formatNumber, viewerTimeZone } from "../../i18n/format";
import { useChannels, useNetworks } from "../channels/hooks";
import { APPROVALS_KEY, askedNow, useSlotText, type ApprovalRun } from "./approvals";
import { at } from "./components";
import { LinkPreviewCard } from "./LinkPreviewCard";
import { QueueSlotPreview } from "./queues";
import { MediaPicker, isMediaError, mediaBody, type MediaDraft } from "./MediaPicker";
import { fromLocalInput, toLocalInput, usePost, usePublishingStatus, useSavePost } from "./hooks";
import { AutosaveNotices, AutosaveOffer, useAutosave, type DraftBody } from "./autosave";
import { CommentsPanel } from "./comments";
import { LockdownNote, useLockedChannels } from "./lockdown";
import { useActiveMe } from "../../app/session";
import type { Post } from "./types";
import { pausedByText } from "./paused-by";

type When = "draft" | "schedule" | "now" | "queue";

/** /publishing/new: compose a post. */
export function NewPostPage() {
  const { t } = useTranslation();
  const channels = useChannels();
  const networks = useNetworks();
  return (
    <Page title={t("publishing.composer.newTitle")} description={t("publishing.composer.description")}>
      <QueryState query={channels}>{(list) => <QueryState query={networks}>{(nets) => <Composer channels={list} networks={nets} />}</QueryState>}</QueryState>
    </Page>
  );
}

/** /publishing/posts/:postId/edit: change a post that has not gone out. */
export function EditPostPage() {
  const { t } = useTranslation();
  const { postId = "" } = useParams();
  const post = usePost(postId);
  const channels = useChannels();
  const networks = useNetworks();
  // Not keyed by version: the composer's own autosaves make new versions while its writer types.
  const [generation, setGeneration] = useState(0);
  return (
    <Page title={t("publishing.composer.editTitle")} description={t("publishing.composer.description")}>
      <QueryState query={post}>
        {(loaded) => (
          <QueryState query={channels}>
            {(list) => <QueryState query={networks}>{(nets) => <Composer key={`${loaded.id}:${generation}`} post={loaded} channels={list} networks={nets} onReload={() => void post.refetch().then(() => setGeneration((g) => g + 1))} />}</QueryState>}
          </QueryState>
        )}
      </QueryState>
    </Page>
  );
}

/** The length of a text as `channel`'s network counts it, and its limit. */
function lengthOn(channel: Channel, networks: NetworkInfo[], text: string): { count: number; limit: number | null } {
  const limits = networks.find((n) => n.network === channel.network)?.limits;
  if (!limits) return { count: textLengthFor(text, { linkLength: null }), limit: null };
  return { count: textLengthFor(text, limits), limit: limits.textLength };
}

function Counter({ channel, networks, text, id }: { channel: Channel; networks: NetworkInfo[]; text: string; id?: string }) {
  const { t } = useTranslation();
  const { count, limit } = lengthOn(channel, networks, text);
  const over = limit !== null && count > limit;
  return (
    <Text size="xs" c={over ? "red.8" : "dimmed"} fw={over ? 700 : undefined} id={id} data-over={over ? "true" : "false"}>
      <span className="ltr-value">@{channel.handle}</span>:{" "}
      {limit === null
        ? t("publishing.composer.countNoLimit", { n: formatNumber(count) })
        : over
          ? t("publishing.composer.countOver", { n: formatNumber(count), limit: formatNumber(limit), over: formatNumber(count - limit) })
          : t("publishing.composer.count", { n: formatNumber(count), limit: formatNumber(limit) })}
    </Text>
  );
}

function Composer({ post, channels, networks, onReload }: { post?: Post; channels: Channel[]; networks: NetworkInfo[]; onReload?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const status = usePublishingStatus();
  const me = useActiveMe();
  const usable = channels.filter((c) => c.access.can.draft && c.status !== "disconnected");
  const [text, setText] = useState(post?.text ?? "");
  const [selected, setSelected] = useState<string[]>(post?.targets.map((target) => target.channelId) ?? (usable.length === 1 ? [usable[0].id] : []));
  const [variants, setVariants] = useState<Record<string, string | null>>(() => Object.fromEntries((post?.targets ?? []).filter((x) => x.variantText !== null).map((x) => [x.channelId, x.variantText])));
  const [media, setMedia] = useState<MediaDraft[]>(() => post?.media ?? []);
  // The calendar opens a new post at the time clicked: /publishing/new?at=<ISO time>.
  const [params] = useSearchParams();
  const prefill = !post && params.get("at") && !Number.isNaN(new Date(params.get("at")!).getTime()) ? new Date(params.get("at")!) : null;
  const [when, setWhen] = useState<When>(post?.scheduledAt || prefill ? "schedule" : "draft");
  const [time, setTime] = useState(() => toLocalInput(post?.scheduledAt ? new Date(post.scheduledAt) : (prefill ?? new Date(Date.now() + 60 * 60_000))));
  const [checks, setChecks] = useState<Record<string, string>>({});
  const [pauseWarning, setPauseWarning] = useState(false);
  /** What the post holds without a time: what autosave saves, and what Save sends with one. */
  const draftBody: DraftBody = {
    text,
    // Autosave attaches the images too (an upload no post uses is deleted after a day).
    media: mediaBody(media),
    channels: selected.map((channelId) => ({ channelId, text: variants[channelId]?.trim() ? variants[channelId] : null })),
  };
  const autosave = useAutosave({
    post,
    body: draftBody,
    userId: me.user.id,
    onRestore: (restored) => {
      setText(restored.text);
      setSelected(restored.channels.map((c) => c.channelId));
      setVariants(Object.fromEntries(restored.channels.filter((c) => c.text).map((c) => [c.channelId, c.text ?? null])));
    },
    onReload,
  });
  const save = useSavePost(autosave.postId ?? post?.id);

  const chosen = selected.map((id) => channels.find((c) => c.id === id)).filter((c): c is Channel => Boolean(c));
  // A crisis lock down sends the writer's posts on its channels to the crisis team instead (see ./lockdown).
  const locked = useLockedChannels(chosen);
  const needsApproval = chosen.filter((c) => !c.access.can.publish && !locked.channels.includes(c));
  const mayPublish = chosen.length > 0 && needsApproval.length === 0 && locked.channels.length === 0;
  // Who needs approval may still schedule or publish now: the server sends the post for approval first.
  const effectiveWhen: When = chosen.length > 0 ? when : "draft";
  const paused = status.data?.pauses ?? [];
  const pauseFor = (channelId: string) => paused.find((p) => p.channelIds === null) ?? paused.find((p) => p.channelIds?.includes(channelId));
  const activePause = chosen.map((c) => pauseFor(c.id)).find(Boolean);
  const overLimit = chosen.some((c) => {
    const { count, limit } = lengthOn(c, networks, variants[c.id] ?? text);
    return limit !== null && count > limit;
  });

  const serverField = (field: string): string | undefined => {
    if (!(save.error instanceof ApiError)) return undefined;
    const messages = save.error.fields[field];
    if (!messages?.length) return undefined;
    if (save.error.code === "post_too_long") return t("errors.post_too_long");
    return messages.join(" ");
  };
  const fieldOfChannel = (channelId: string) => `channels.${selected.indexOf(channelId)}.text`;

  const slotText = useSlotText();
  const queryClient = useQueryClient();
  /** Whom a post just sent for approval waits for, in words (its pending run's current step). */
  const sentForApproval = (postId: string) =>
    api<{ runs: ApprovalRun[] }>("GET", `/posts/${encodeURIComponent(postId)}/approvals`)
      .then((r) => {
        const run = r.runs.find((x) => x.status === "pending");
        return run ? askedNow(run, slotText) : "";
      })
      .catch(() => "");

  const submit = async (acknowledgePause = false) => {
    const problems: Record<string, string> = {};
    if (chosen.length === 0) problems.channels = t("publishing.composer.chooseChannel");
    if (!text.trim() && chosen.some((c) => !variants[c.id]?.trim())) problems.text = t("publishing.composer.writeSomething");
    if (effectiveWhen === "schedule" && !fromLocalInput(time)) problems.scheduledAt = t("publishing.composer.chooseTime");
    if (effectiveWhen === "schedule" && fromLocalInput(time) && new Date(fromLocalInput(time)!).getTime() < Date.now() - 60_000) problems.scheduledAt = t("publishing.composer.timeInPast");
    setChecks(problems);
    if (Object.keys(problems).length) return;
    const scheduledAt = effectiveWhen === "draft" || effectiveWhen === "queue" ? null : effectiveWhen === "now" ? new Date().toISOString() : fromLocalInput(time);
    // An autosave under way finishes first; Save then goes to the draft it made, with its version.
    const draft = await autosave.settle();
    save.mutate(
      {
        ...draftBody,
        scheduledAt,
        ...(effectiveWhen === "queue" ? { queue: true } : {}),
        media: mediaBody(media),
        ...(acknowledgePause ? { acknowledgePause: true } : {}),
        ...(draft.postId ? { postId: draft.postId, version: draft.version ?? post?.version } : {}),
      },
      {
        onSuccess: (saved) => {
          autosave.done();
          setPauseWarning(false);
          void queryClient.invalidateQueries({ queryKey: APPROVALS_KEY });
          const held = acknowledgePause;
          if (saved.state === "in_review") {
            // The server decided it needs approval (the writer's level, or a channel's workflow): say to whom.
            void sentForApproval(saved.id).then((who) => notifySuccess(who ? t("approvals.composer.sentTo", { who }) : t("approvals.composer.sent")));
            navigate(`/publishing/posts/${saved.id}`);
            return;
          }
          notifySuccess(
            held
              ? t("publishing.composer.savedHeld")
              : saved.state === "approved"
                ? t("approvals.state.approved")
                : saved.state === "draft"
                ? t("publishing.composer.savedDraft")
                : effectiveWhen === "now"
                  ? t("publishing.composer.savedNow")
                  : t("publishing.composer.savedScheduled", { time: formatDateTime(saved.scheduledAt!) }),
          );
          navigate(`/publishing/posts/${saved.id}`);
        },
        onError: (error) => {
          autosave.resume();
          if (error instanceof ApiError && error.code === "publishing_paused") setPauseWarning(true);
        },
      },
    );
  };

  const submitLabel =
    effectiveWhen === "draft"
      ? t("publishing.composer.saveDraft")
      : !mayPublish
        ? t("approvals.composer.submit")
        : effectiveWhen === "now"
          ? t("publishing.composer.publishNow")
          : effectiveWhen === "queue"
            ? t("queues.composer.addToQueue")
          : t("publishing.composer.schedule");
  const generalError =
    save.error && !(save.error instanceof ApiError && (save.error.code === "publishing_paused" || save.error.code === "post_too_long" || isMediaError(save.error) || (save.error.code === "invalid_input" && Object.keys(save.error.fields).length > 0)));

  if (usable.length === 0) {
    return <Alert color="blue">{t("publishing.composer.noChannels")}</Alert>;
  }

  return (
    <Flex gap="lg" align="flex-start" wrap="wrap">
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      style={{ maxWidth: 820, flex: "1 1 520px", minWidth: 0 }}
    >
      <Stack gap="lg">
        <AutosaveOffer autosave={autosave} />
        <Card withBorder>
          <Checkbox.Group
            label={<Title order={2} fz="h4">{t("publishing.composer.channels")}</Title>}
            description={t("publishing.composer.channelsHint")}
            value={selected}
            onChange={(next) => setSelected(usable.filter((c) => next.includes(c.id)).map((c) => c.id).concat(next.filter((id) => !usable.some((c) => c.id === id))))}
            error={checks.channels ?? serverField("channels")}
          >
            <Stack gap="sm" mt="sm">
              {usable.map((channel) => {
                const network = networks.find((n) => n.network === channel.network);
                return (
                  <Checkbox
                    key={channel.id}
                    value={channel.id}
                    label={
                      <Group gap="xs" wrap="wrap" component="span">
                        <span className="ltr-value">@{channel.handle}</span>
                        <Text span size="sm" c="dimmed">
                          · <bdi>{network?.displayName ?? channel.network}</bdi>
                        </Text>
                        {channel.access.can.publish ? null : (
                          <Badge size="sm" color="yellow" variant="light" style={{ textTransform: "none" }} component="span">
                            {t("publishing.composer.needsApproval")}
                          </Badge>
                        )}
                      </Group>
                    }
                  />
                );
              })}
            </Stack>
          </Checkbox.Group>
        </Card>

        <Card withBorder>
          <Stack gap="sm">
            <Textarea
              label={<Title order={2} fz="h4">{t("publishing.composer.text")}</Title>}
              description={t("publishing.composer.textHint")}
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              autosize
              minRows={4}
              dir="auto"
              aria-describedby="post-counters"
              error={checks.text ?? serverField("text")}
            />
            <Stack gap={2} id="post-counters" aria-live="polite">
              {chosen
                .filter((c) => !variants[c.id]?.trim())
                .map((c) => (
                  <Counter key={c.id} channel={c} networks={networks} text={text} />
                ))}
            </Stack>
            {chosen.map((channel) => {
              const own = variants[channel.id] !== undefined && variants[channel.id] !== null;
              return (
                <Stack key={channel.id} gap={4}>
                  <Switch
                    checked={own}
                    onChange={(event) => {
                      const on = event.currentTarget.checked;
                      setVariants({ ...variants, [channel.id]: on ? (variants[channel.id] ?? text) : null });
                    }}
                    label={t("publishing.composer.ownText", { handle: at(channel.handle) })}
                  />
                  {own && (
                    <>
                      <Textarea
                        label={t("publishing.composer.variantLabel", { handle: at(channel.handle) })}
                        value={variants[channel.id] ?? ""}
                        onChange={(event) => setVariants({ ...variants, [channel.id]: event.currentTarget.value })}
                        autosize
                        minRows={3}
                        dir="auto"
                        error={serverField(fieldOfChannel(channel.id))}
                      />
                      <Counter channel={channel} networks={networks} text={variants[channel.id] ?? ""} />
                    </>
                  )}
                </Stack>
              );
            })}
          </Stack>
        </Card>

        <LinkPreviewCard text={text} />

        <MediaPicker media={media} onChange={setMedia} channels={chosen} networks={networks} saveError={save.error} />

        <PanelCard title={t("publishing.composer.when")}>
          <Stack gap="sm">
            <LockdownNote locked={locked} />
            {needsApproval.length > 0 && (
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
                {t("publishing.composer.approvalNote", { channels: needsApproval.map((c) => at(c.handle)).join(", ") })}
              </Alert>
            )}
            {chosen.length > 0 ? (
              <Radio.Group value={when} onChange={(value) => setWhen(value as When)} aria-label={t("publishing.composer.when")}>
                <Stack gap="xs">
                  <Radio value="draft" label={t("publishing.composer.whenDraft")} />
                  <Radio value="schedule" label={t("publishing.composer.whenSchedule")} />
                  <Radio value="now" label={mayPublish ? t("publishing.composer.whenNow") : t("approvals.composer.whenNow")} />
                  <Radio value="queue" label={t("queues.composer.whenQueue")} />
                </Stack>
              </Radio.Group>
            ) : (
              <Text size="sm">{t("publishing.composer.chooseChannelFirst")}</Text>
            )}
            {effectiveWhen === "schedule" && (
              <DateTimeField
                label={t("publishing.composer.time")}
                description={t("publishing.composer.timeZone", { zone: viewerTimeZone() })}
                value={time}
                onChange={(event) => setTime(event.currentTarget.value)}
                error={checks.scheduledAt ?? serverField("scheduledAt")}
                maw={320}
              />
            )}
            {effectiveWhen === "queue" && <QueueSlotPreview channels={chosen} postId={post?.id} />}
            {effectiveWhen !== "draft" && activePause && !pauseWarning && (
              <Alert color="red" variant="light" icon={<IconPlayerPause size={18} aria-hidden />}>
                {t("publishing.composer.pausedNote", { reason: activePause.reason, name: pausedByText(t, activePause) })}
              </Alert>
            )}
            {pauseWarning && (
              <Alert color="red" variant="light" icon={<IconPlayerPause size={18} aria-hidden />} title={t("publishing.composer.pausedTitle")} role="alert">
                <Stack gap="sm" align="flex-start">
                  <Text size="sm">
                    {activePause
                      ? t("publishing.composer.pausedWarning", { reason: activePause.reason, name: pausedByText(t, activePause), time: formatDateTime(activePause.pausedAt) })
                      : errorText(t, save.error)}
                  </Text>
                  <Group gap="sm">
                    <Button color="red" onClick={() => void submit(true)} loading={save.isPending}>
                      {t("publishing.composer.scheduleAnyway")}
                    </Button>
                    <Button variant="default" onClick={() => setPauseWarning(false)}>
                      {t("common.cancel")}
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            )}
          </Stack>
        </PanelCard>

        {save.error instanceof ApiError && save.error.code === "post_changed" ? (
          <Alert color="orange" role="alert" title={t("errors.post_changed")}>
            <Button size="xs" variant="default" onClick={onReload}>
              {t("publishing.composer.reload")}
            </Button>
          </Alert>
        ) : (
          generalError && (
            <Alert color="red" role="alert" icon={<IconAlertTriangle aria-hidden />}>
              {errorText(t, save.error)}
            </Alert>
          )
        )}
        {overLimit && (
          <Text size="sm" c="red.8" role="status">
            {t("publishing.composer.overLimit")}
          </Text>
        )}
        <AutosaveNotices autosave={autosave} />
        <Group justify="flex-end">
          <Button variant="default" component={Link} to={post ? `/publishing/posts/${post.id}` : "/publishing"}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending && !pauseWarning} disabled={pauseWarning}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
    <CommentsPanel postId={autosave.postId} beside />
    </Flex>
  );
}
