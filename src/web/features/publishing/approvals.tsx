import { Alert, Badge, Button, Group, List, Stack, Text, Textarea, VisuallyHidden } from "@mantine/core";
import { IconCheck, IconClockExclamation, IconHourglass, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { z } from "zod";
import type * as contract from "../../../contracts/publishing";
import { api } from "../../api/client";
import type { Channel } from "../../api/types";
import { useCan, useMe } from "../../app/session";
import { errorText } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { PanelCard } from "../../components/PanelCard";
import { formatDateTime, formatNumber } from "../../i18n/format";
import { useChannels } from "../channels/hooks";
import { useMembers } from "../members/hooks";
import { useTeams } from "../teams/hooks";
import { at } from "./components";
import { POSTS_KEY, useRefreshPublishing } from "./hooks";
import type { Post, PostEvent } from "./types";

export type ApprovalRun = z.infer<typeof contract.ApprovalRun>;
export type RunSlot = ApprovalRun["steps"][number]["approvers"][number];
export type QueueItem = z.infer<typeof contract.ApprovalQueue>["items"][number];

export const APPROVALS_KEY = ["approvals"] as const;
/** The post states that belong to approval (their targets stay drafts meanwhile). */
export const APPROVAL_STATES = ["in_review", "approved", "expired"] as const;
export const isApprovalState = (state: string) => (APPROVAL_STATES as readonly string[]).includes(state);

/** "Waiting for me": posts whose current step names the reader. */
export function useWaiting() {
  const allowed = useCan("posts.read");
  return useQuery({
    queryKey: [...APPROVALS_KEY, "waiting"],
    queryFn: () => api<{ items: QueueItem[] }>("GET", "/approvals/waiting").then((r) => r.items),
    enabled: allowed,
    refetchInterval: 30_000,
  });
}

/** How many posts wait for the reader (the badge in the navigation). */
export function useWaitingCount() {
  const me = useMe();
  const allowed = useCan("posts.read") && Boolean(me.data?.workspace);
  return useQuery({
    queryKey: [...APPROVALS_KEY, "count"],
    queryFn: () => api<{ count: number }>("GET", "/approvals/waiting/count").then((r) => r.count),
    enabled: allowed,
    refetchInterval: 30_000,
  });
}

/** A post's approval runs, newest first. */
export function usePostApprovals(postId: string, enabled = true) {
  return useQuery({
    queryKey: [...APPROVALS_KEY, "post", postId],
    queryFn: () => api<{ runs: ApprovalRun[] }>("GET", `/posts/${encodeURIComponent(postId)}/approvals`).then((r) => [...r.runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))),
    enabled,
  });
}

/** Who a slot asks, in words ("Sofia Rossi", "the Legal team", "anyone with Full publishing on @emberoak"). */
export function useSlotText() {
  const { t } = useTranslation();
  const members = useMembers();
  const teams = useTeams();
  const channels = useChannels();
  return (slot: RunSlot): string => {
    switch (slot.kind) {
      case "user":
        return members.data?.find((m) => m.userId === slot.userId)?.name ?? t("approvals.slot.person");
      case "team": {
        const team = teams.data?.find((x) => x.id === slot.teamId);
        return team ? t("approvals.slot.team", { name: team.name }) : t("approvals.slot.someTeam");
      }
      case "role":
        return t("approvals.slot.role", { role: t(`roles.${slot.role}`) });
      case "external":
        return t("approvals.slot.external", { name: slot.name });
      case "channel_publishers": {
        const channel = channels.data?.find((c) => c.id === slot.channelId);
        return channel ? t("approvals.slot.publishers", { handle: at(channel.handle) }) : t("approvals.slot.publishersSomewhere");
      }
      case "crisis_team":
        return t("approvals.slot.crisisTeam", { ref: slot.ref });
    }
  };
}

/** A step's label as the server names it ("@emberoak", "Legal review · 1"): a handle keeps its "@" in right-to-left text. */
export const stepLabel = (label: string) => (/^@\S+$/.test(label) ? at(label.slice(1)) : label);

/** The people a run's current step still waits for, joined for a sentence. */
export function askedNow(run: ApprovalRun, slotText: (slot: RunSlot) => string): string {
  const step = run.steps[run.currentStep];
  if (!step) return "";
  const filled = new Set(run.decisions.filter((d) => d.step === run.currentStep && d.decision === "approved").map((d) => d.slot));
  return step.approvers
    .filter((slot, index) => !slot.dropped && !filled.has(index))
    .map(slotText)
    .join(", ");
}

/** The badge of a post in approval (waiting, approved, expired); nothing for other states. */
export function PostStateBadge({ post }: { post: Post }) {
  const { t } = useTranslation();
  if (!isApprovalState(post.state)) return null;
  const color = post.state === "in_review" ? "yellow" : post.state === "approved" ? "teal" : "red";
  return (
    <Badge color={color} variant="light" style={{ textTransform: "none" }} data-state={post.state}>
      {t(`approvals.state.${post.state}`)}
    </Badge>
  );
}

/** Approve (comment optional) or reject (comment required) the current step; inline, under the post. */
export function DecisionForm({ post, onDecided }: { post: Post; onDecided?: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const refresh = useRefreshPublishing();
  const [comment, setComment] = useState("");
  const [missing, setMissing] = useState(false);
  const decide = useMutation({
    mutationFn: (decision: "approve" | "reject") =>
      api<{ post: Post }>("POST", `/posts/${encodeURIComponent(post.id)}/${decision}`, { contentHash: post.contentHash, comment: comment.trim() || null }),
    onSuccess: (result, decision) => {
      notifySuccess(
        decision === "reject"
          ? t("approvals.decide.rejectedToast")
          : result.post.state === "scheduled"
            ? t("approvals.decide.approvedScheduled", { time: formatDateTime(result.post.scheduledAt ?? "") })
            : result.post.state === "approved"
              ? t("approvals.decide.approvedReady")
              : t("approvals.decide.approvedNextStep"),
      );
      setComment("");
      refresh();
      void queryClient.invalidateQueries({ queryKey: APPROVALS_KEY });
      void queryClient.invalidateQueries({ queryKey: POSTS_KEY });
      onDecided?.();
    },
  });
  const id = `decision-${post.id}`;
  return (
    <Stack gap="xs">
      <Textarea
        id={id}
        label={t("approvals.decide.comment")}
        description={t("approvals.decide.commentHint")}
        value={comment}
        onChange={(event) => setComment(event.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={2000}
        dir="auto"
        error={missing && !comment.trim() ? t("approvals.decide.commentRequired") : undefined}
      />
      {decide.error ? (
        <Alert color="red" role="alert">
          {errorText(t, decide.error)}
        </Alert>
      ) : null}
      <Group gap="sm">
        <Button color="teal.9" leftSection={<IconCheck size={16} aria-hidden />} loading={decide.isPending && decide.variables === "approve"} onClick={() => decide.mutate("approve")}>
          {t("approvals.decide.approve")}
        </Button>
        <Button
          color="red"
          variant="light"
          leftSection={<IconX size={16} aria-hidden />}
          loading={decide.isPending && decide.variables === "reject"}
          onClick={() => {
            if (!comment.trim()) return setMissing(true);
            decide.mutate("reject");
          }}
        >
          {t("approvals.decide.reject")}
        </Button>
      </Group>
    </Stack>
  );
}

/** A post's page: its approval, the step it is at, who decided what on which version, and the reader's decision. */
export function ApprovalCard({ post }: { post: Post }) {
  const { t } = useTranslation();
  const me = useMe();
  const runs = usePostApprovals(post.id, true);
  const waiting = useWaiting();
  const slotText = useSlotText();
  const list = runs.data ?? [];
  if (list.length === 0 && !isApprovalState(post.state)) return null;
  const current = list.find((run) => run.status === "pending");
  const mine = me.data?.user.id !== undefined && me.data.user.id === post.authorId;
  const askedOfMe = waiting.data?.some((item) => item.post.id === post.id) ?? false;

  return (
    <PanelCard testId="approval-card" title={t("approvals.card.title")}>
      <Stack gap="md">
        {post.state === "in_review" && current && (
          <Alert color="yellow" variant="light" icon={<IconHourglass size={18} aria-hidden />} title={t("approvals.state.in_review")}>
            {t("approvals.card.waitingFor", { step: formatNumber(current.currentStep + 1), of: formatNumber(current.steps.length), label: stepLabel(current.steps[current.currentStep]?.label ?? ""), who: askedNow(current, slotText) })}
          </Alert>
        )}
        {post.state === "expired" && (
          <Alert color="red" variant="light" icon={<IconClockExclamation size={18} aria-hidden />} title={t("approvals.state.expired")}>
            {t("approvals.card.expiredText")}
          </Alert>
        )}
        {post.state === "in_review" && mine && <Text size="sm">{t("approvals.card.ownPost")}</Text>}
        {post.state === "in_review" && !mine && askedOfMe && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t("approvals.card.yourDecision")}
            </Text>
            <DecisionForm post={post} />
          </Stack>
        )}
        {list.map((run) => (
          <RunView key={run.id} run={run} slotText={slotText} />
        ))}
      </Stack>
    </PanelCard>
  );
}

const RUN_COLOR: Record<ApprovalRun["status"], string> = { pending: "yellow", approved: "teal", rejected: "red", invalidated: "gray", expired: "red", cancelled: "gray" };

/** One run: its steps (any/all, who), and each decision with the version it was made on and its comment. */
function RunView({ run, slotText }: { run: ApprovalRun; slotText: (slot: RunSlot) => string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-run={run.status}>
      <Group gap="xs" wrap="wrap">
        <Badge color={RUN_COLOR[run.status]} variant="light" style={{ textTransform: "none" }}>
          {t(`approvals.run.${run.status}`)}
        </Badge>
        <Text size="sm" c="dimmed">
          {t("approvals.run.submitted", { version: formatNumber(run.version), time: formatDateTime(run.createdAt) })}
        </Text>
      </Group>
      {run.status === "invalidated" && <Text size="sm">{t("approvals.run.invalidatedText", { version: formatNumber(run.version) })}</Text>}
      <List spacing={6} size="sm" listStyleType="none" ms={0} ps={0}>
        {run.steps.map((step, index) => {
          const decisions = run.decisions.filter((d) => d.step === index);
          const state = run.status === "pending" && index === run.currentStep ? "current" : index < run.currentStep || run.status === "approved" ? "done" : "later";
          return (
            <List.Item key={index}>
              <Stack gap={2}>
                <Text size="sm" fw={state === "current" ? 700 : 500}>
                  {t("approvals.run.step", { step: formatNumber(index + 1), label: stepLabel(step.label) })}
                  {" · "}
                  {t(step.mode === "all" ? "approvals.run.modeAll" : "approvals.run.modeAny", { who: step.approvers.filter((s) => !s.dropped).map(slotText).join(", ") })}
                  {state === "current" && (
                    <Badge component="span" size="xs" color="yellow" variant="light" ms={6} style={{ textTransform: "none" }}>
                      {t("approvals.run.current")}
                    </Badge>
                  )}
                </Text>
                {decisions.map((d, i) => (
                  <Text key={i} size="sm" ps="md" c={d.decision === "rejected" ? "red.8" : undefined}>
                    {t(d.decision === "approved" ? "approvals.run.approvedBy" : "approvals.run.rejectedBy", { name: d.actor, version: formatNumber(run.version), time: formatDateTime(d.at) })}
                    {d.comment && (
                      <>
                        {": "}
                        <q dir="auto">{d.comment}</q>
                      </>
                    )}
                  </Text>
                ))}
              </Stack>
            </List.Item>
          );
        })}
      </List>
    </Stack>
  );
}

/** An approved post: ready to publish; the author or someone with Full publishing publishes now or schedules it. */
export function ApprovedActions({ post, channels }: { post: Post; channels: Channel[] | undefined }) {
  const { t } = useTranslation();
  const me = useMe();
  const refresh = useRefreshPublishing();
  const queryClient = useQueryClient();
  const mayPublishAll = post.targets.every((x) => channels?.find((c) => c.id === x.channelId)?.access.can.publish);
  const may = useCan("posts.write") && (me.data?.user.id === post.authorId || mayPublishAll);
  const publish = useMutation({
    mutationFn: () =>
      api<Post>("PUT", `/posts/${encodeURIComponent(post.id)}`, {
        text: post.text,
        channels: post.targets.map((x) => ({ channelId: x.channelId, text: x.variantText })),
        scheduledAt: new Date().toISOString(),
        version: post.version,
      }),
    onSuccess: () => {
      notifySuccess(t("publishing.composer.savedNow"));
      refresh();
      void queryClient.invalidateQueries({ queryKey: APPROVALS_KEY });
    },
  });
  if (post.state !== "approved") return null;
  return (
    <Alert color="teal" variant="light" icon={<IconCheck size={18} aria-hidden />} title={t("approvals.state.approved")}>
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{may ? t("approvals.card.approvedText") : t("approvals.card.approvedOthers")}</Text>
        {publish.error ? <Text size="sm" c="red.8" role="alert">{errorText(t, publish.error)}</Text> : null}
        {may && (
          <Group gap="sm">
            <Button onClick={() => publish.mutate()} loading={publish.isPending}>
              {t("publishing.composer.publishNow")}
            </Button>
            <Button component={Link} to={`/publishing/posts/${post.id}/edit`} variant="default">
              {t("publishing.composer.schedule")}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** A version number from an event's data in the reader's digits (Persian reads "نسخهٔ ۲"). */
export const versionText = (value: unknown) => (typeof value === "number" ? formatNumber(value) : String(value ?? ""));

/** The approval events of a post's history in words; null for other events. */
export function describeApprovalEvent(t: TFunction, event: PostEvent): string | null {
  const data = event.data as Record<string, unknown>;
  const actor = event.actorId ? event.actor : t("publishing.history.system");
  const comment = typeof data.comment === "string" && data.comment ? data.comment : null;
  switch (event.type) {
    case "submitted":
      return t("approvals.history.submitted", { actor, version: versionText(data.version) });
    case "approved":
      return t("approvals.history.approved", { actor, version: versionText(data.version), label: stepLabel(String(data.stepLabel ?? "")) }) + (comment ? `: “${comment}”` : "");
    case "rejected":
      return t("approvals.history.rejected", { actor, version: versionText(data.version), comment: comment ?? "" });
    case "approval_step_started":
      return t("approvals.history.stepStarted", { label: stepLabel(String(data.stepLabel ?? "")) });
    case "approval_completed":
      return t("approvals.history.completed", { version: versionText(data.version) });
    case "approval_invalidated":
      return data.wasApproved ? t("approvals.history.resetApproved", { actor, version: versionText(data.version) }) : t("approvals.history.resetPending", { actor, version: versionText(data.version) });
    case "approval_withdrawn":
      return t("approvals.history.withdrawn", { actor });
    case "approval_reminder_sent":
      return t("approvals.history.reminded");
    case "expired":
      return t("approvals.history.expired");
    default:
      return null;
  }
}

/** The number of posts waiting for the reader's approval, beside "Publishing" in the navigation (nothing at zero). */
export function WaitingCountBadge() {
  const { t } = useTranslation();
  const count = useWaitingCount();
  if (!count.data) return null;
  return (
    <Badge size="sm" color="yellow" variant="filled" circle data-testid="waiting-count">
      <span aria-hidden>{formatNumber(count.data)}</span>
      <VisuallyHidden>{t("approvals.nav.waiting", { count: count.data, formatted: formatNumber(count.data) })}</VisuallyHidden>
    </Badge>
  );
}
