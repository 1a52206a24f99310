import { Alert, Badge, Button, Card, Center, Group, Loader, Stack, Text, Textarea, Title } from "@mantine/core";
import { IconCircleCheck, IconCircleX, IconClock } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import type { z } from "zod";
import type * as contract from "../../../contracts/publishing";
import { ApiError, api } from "../../api/client";
import { errorText } from "../../components/errors";
import { useDocumentTitle } from "../../components/Page";
import { formatDateTime, viewerTimeZone } from "../../i18n/format";

type View = z.infer<typeof contract.ExternalApprovalView>;
type Result = z.infer<typeof contract.ExternalDecisionResult>;

/** The link is dead (used, revoked, expired, post changed): the server says so with this code and 410. */
const isDeadLink = (error: unknown) => error instanceof ApiError && (error.status === 410 || error.code === "approval_link_invalid");

/**
 * /external-approval?token=…: the address the server mails an external approver (a client, an influencer) — no account,
 * no seat. They see the post as it will appear on each channel, then approve (comment optional) or reject (comment
 * required). The link works once.
 */
export function ExternalApprovalPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("externalApproval.title"));
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [comment, setComment] = useState("");
  const [commentError, setCommentError] = useState<string | undefined>();

  const view = useQuery({
    queryKey: ["external-approval", token],
    queryFn: () => api<View>("GET", `/external-approvals/${encodeURIComponent(token)}`),
    enabled: token !== "",
    retry: false,
    refetchOnWindowFocus: false,
  });
  const decide = useMutation({
    mutationFn: (decision: "approve" | "reject") =>
      api<Result>("POST", `/external-approvals/${encodeURIComponent(token)}/${decision}`, { contentHash: view.data?.contentHash ?? "", comment: comment.trim() || null }),
  });

  const heading = (
    <Title order={1} fz="h2">
      {t("externalApproval.title")}
    </Title>
  );

  if (decide.isSuccess) {
    const approved = decide.data.decision === "approved";
    return (
      <Stack gap="md">
        {heading}
        <Alert
          color={approved ? "green" : "orange"}
          icon={approved ? <IconCircleCheck aria-hidden /> : <IconCircleX aria-hidden />}
          role="status"
          title={approved ? t("externalApproval.approvedTitle") : t("externalApproval.rejectedTitle")}
        >
          {approved
            ? decide.data.postState === "scheduled"
              ? t("externalApproval.approvedScheduled")
              : decide.data.postState === "in_review"
                ? t("externalApproval.approvedNextStep")
                : t("externalApproval.approvedText")
            : t("externalApproval.rejectedText")}
        </Alert>
        <Text size="sm" c="dimmed">
          {t("externalApproval.linkUsed")}
        </Text>
      </Stack>
    );
  }

  const deadError = view.error ?? (isDeadLink(decide.error) ? decide.error : null);
  if (!token || deadError) {
    const serverDown = deadError instanceof ApiError && deadError.status >= 500;
    return (
      <Stack gap="md">
        {heading}
        <Alert color="red" role="alert" title={t("externalApproval.invalidTitle")}>
          {serverDown ? errorText(t, deadError) : t("errors.approval_link_invalid")}
        </Alert>
        <Text size="sm" c="dimmed">
          {t("externalApproval.askAgain")}
        </Text>
      </Stack>
    );
  }
  if (view.isPending || !view.data) {
    return (
      <Center py="xl">
        <Loader aria-label={t("common.loading")} />
      </Center>
    );
  }

  const post = view.data;
  const submit = (decision: "approve" | "reject") => (event?: FormEvent) => {
    event?.preventDefault();
    if (decision === "reject" && !comment.trim()) {
      setCommentError(t("externalApproval.commentRequired"));
      document.getElementById("external-approval-comment")?.focus();
      return;
    }
    setCommentError(undefined);
    decide.mutate(decision);
  };

  return (
    <form onSubmit={submit("approve")} noValidate>
      <Stack gap="md">
        {heading}
        <Text>
          {t("externalApproval.intro", { name: post.approver.name, workspace: post.workspace })}
        </Text>
        {post.step.of > 1 && (
          <Text size="sm" c="dimmed">
            {t("externalApproval.step", { index: post.step.index + 1, of: post.step.of })}
          </Text>
        )}
        <Group gap={6} wrap="nowrap" align="flex-start">
          <IconClock size={18} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
          <Text size="sm">
            {post.scheduledAt
              ? t("externalApproval.scheduledAt", { when: formatDateTime(post.scheduledAt), zone: viewerTimeZone() })
              : t("externalApproval.noTime")}
          </Text>
        </Group>
        <Stack gap="sm" component="section" aria-label={t("externalApproval.postLabel")}>
          {post.channels.map((channel, index) => (
            <Card key={`${channel.handle}-${index}`} withBorder radius="md" padding="md" data-channel={channel.handle}>
              <Group gap="xs" mb="xs" wrap="wrap">
                <Badge variant="light" color="blue">
                  <bdi>{channel.network}</bdi>
                </Badge>
                <Text fw={600} className="ltr-value">
                  @{channel.handle}
                </Text>
              </Group>
              <Text style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} dir="auto">
                {channel.text}
              </Text>
            </Card>
          ))}
        </Stack>
        <Textarea
          id="external-approval-comment"
          label={t("externalApproval.comment")}
          description={t("externalApproval.commentHint")}
          value={comment}
          onChange={(event) => {
            setComment(event.currentTarget.value);
            if (event.currentTarget.value.trim()) setCommentError(undefined);
          }}
          error={commentError}
          autosize
          minRows={3}
          maxLength={2000}
        />
        {decide.error && !isDeadLink(decide.error) && (
          <Alert color="red" role="alert">
            {decide.error instanceof ApiError && decide.error.fields.contentHash ? t("externalApproval.changed") : errorText(t, decide.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button type="button" variant="default" onClick={() => submit("reject")()} loading={decide.isPending && decide.variables === "reject"} disabled={decide.isPending}>
            {t("externalApproval.reject")}
          </Button>
          <Button type="submit" loading={decide.isPending && decide.variables === "approve"} disabled={decide.isPending}>
            {t("externalApproval.approve")}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t("externalApproval.expires", { when: formatDateTime(post.expiresAt) })}
        </Text>
      </Stack>
    </form>
  );
}
