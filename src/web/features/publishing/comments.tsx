import { Badge, Button, Card, Group, Paper, Stack, Text, Textarea, Title, UnstyledButton } from "@mantine/core";
import { IconCheck, IconMessage, IconX } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type * as contract from "../../../contracts/post-comments";
import { COMMENT_MAX_LENGTH } from "../../../contracts/post-comments";
import { api } from "../../api/client";
import { useConfirm } from "../../components/confirm";
import { errorText } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { RelativeTime } from "../../components/RelativeTime";
import { formatNumber } from "../../i18n/format";
import { usePostApprovals } from "./approvals";

type PostComment = z.infer<typeof contract.PostComment>;
type PostComments = z.infer<typeof contract.PostComments>;
type Person = z.infer<typeof contract.MentionablePeople>["people"][number];

const commentsKey = (postId: string) => ["post-comments", postId] as const;

/** A post's internal comments (refreshed now and then: others comment too). */
function useComments(postId: string) {
  return useQuery({
    queryKey: commentsKey(postId),
    queryFn: () => api<PostComments>("GET", `/posts/${encodeURIComponent(postId)}/comments`),
    refetchInterval: 20_000,
  });
}

function useMentionable(postId: string) {
  return useQuery({
    queryKey: [...commentsKey(postId), "mentionable"],
    queryFn: () => api<{ people: Person[] }>("GET", `/posts/${encodeURIComponent(postId)}/comments/mentionable`).then((r) => r.people),
    staleTime: 60_000,
  });
}

/** The comment's text with its @mentions marked. */
function CommentText({ body, mentions }: { body: string; mentions: Array<{ name: string }> }) {
  const names = mentions.map((m) => `@${m.name}`).filter((n) => n.length > 1).sort((a, b) => b.length - a.length);
  const parts: ReactNode[] = [];
  let rest = body;
  let key = 0;
  while (rest) {
    const hits = names.map((n) => ({ n, i: rest.indexOf(n) })).filter((h) => h.i >= 0).sort((a, b) => a.i - b.i);
    if (!hits.length) {
      parts.push(rest);
      break;
    }
    const { n, i } = hits[0];
    if (i > 0) parts.push(rest.slice(0, i));
    parts.push(
      <Text span fw={700} c="blue.8" key={key++}>
        <bdi>{n}</bdi>
      </Text>,
    );
    rest = rest.slice(i + n.length);
  }
  return (
    <Text size="sm" dir="auto" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
      {parts}
    </Text>
  );
}

/** The @query being typed just before the caret, if any. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@]{0,40})$/u.exec(before);
  if (!match) return null;
  return { start: before.length - match[2].length - 1, query: match[2] };
}

/** A text box for a comment that suggests workspace members after "@" (arrow keys and Enter or Tab pick one). */
function CommentInput({
  postId,
  value,
  onChange,
  picked,
  onPick,
  label,
  autoFocus,
}: {
  postId: string;
  value: string;
  onChange: (value: string) => void;
  picked: Person[];
  onPick: (person: Person) => void;
  label: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const people = useMentionable(postId);
  const area = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const matches = useMemo(() => {
    if (!query) return [];
    const q = query.query.toLocaleLowerCase();
    return (people.data ?? []).filter((p) => p.name.toLocaleLowerCase().includes(q) || p.email.toLocaleLowerCase().startsWith(q)).slice(0, 6);
  }, [query, people.data]);
  const open = query !== null && matches.length > 0;

  const pick = (person: Person) => {
    if (!query) return;
    const caret = area.current?.selectionStart ?? value.length;
    const next = `${value.slice(0, query.start)}@${person.name} ${value.slice(caret)}`;
    onChange(next);
    onPick(person);
    setQuery(null);
    const at = query.start + person.name.length + 2;
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(at, at);
    });
  };

  return (
    <div style={{ position: "relative" }}>
      <Textarea
        ref={area}
        label={label}
        description={t("publishing.comments.hint")}
        value={value}
        autosize
        minRows={2}
        maxLength={COMMENT_MAX_LENGTH}
        dir="auto"
        data-autofocus={autoFocus ? true : undefined}
        autoFocus={autoFocus}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        onChange={(event) => {
          onChange(event.currentTarget.value);
          setQuery(mentionQuery(event.currentTarget.value, event.currentTarget.selectionStart ?? event.currentTarget.value.length));
          setActive(0);
        }}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
        onKeyDown={(event) => {
          if (!open) return;
          if (event.key === "ArrowDown") {
            event.preventDefault();
            setActive((a) => (a + 1) % matches.length);
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            setActive((a) => (a - 1 + matches.length) % matches.length);
          } else if (event.key === "Enter" || event.key === "Tab") {
            event.preventDefault();
            pick(matches[active]);
          } else if (event.key === "Escape") {
            event.preventDefault();
            setQuery(null);
          }
        }}
      />
      {open && (
        <Paper withBorder shadow="md" p={4} style={{ position: "absolute", insetInlineStart: 0, insetInlineEnd: 0, zIndex: 20 }}>
          <div role="listbox" id={listId} aria-label={t("publishing.comments.mentionList")}>
            {matches.map((person, index) => (
              <UnstyledButton
                key={person.userId}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                tabIndex={-1}
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(person);
                }}
                style={{ display: "block", width: "100%", padding: "4px 8px", borderRadius: 4, background: index === active ? "var(--mantine-color-blue-light)" : undefined }}
              >
                <Text size="sm" fw={600} component="span">
                  <bdi>{person.name}</bdi>
                </Text>{" "}
                <Text size="xs" c="dimmed" component="span" className="ltr-value">
                  {person.email}
                </Text>
              </UnstyledButton>
            ))}
          </div>
        </Paper>
      )}
      {picked.length > 0 && (
        <Text size="xs" c="dimmed" mt={4}>
          {t("publishing.comments.willNotify", { names: picked.map((p) => p.name).join(", ") })}
        </Text>
      )}
    </div>
  );
}

/** The people still named in the text ("@Name") among those picked from the suggestions. */
const stillMentioned = (body: string, picked: Person[]) => picked.filter((p, i, all) => body.includes(`@${p.name}`) && all.findIndex((q) => q.userId === p.userId) === i);

function CommentForm({ postId, initial, onDone, submitLabel, label }: { postId: string; initial?: PostComment; onDone?: () => void; submitLabel: string; label: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState(initial?.body ?? "");
  const [picked, setPicked] = useState<Person[]>(() => (initial?.mentions ?? []).map((m) => ({ userId: m.userId, name: m.name, email: "" })));
  const mentions = stillMentioned(body, picked);
  const save = useMutation({
    mutationFn: () =>
      initial
        ? api<PostComment>("PUT", `/posts/${encodeURIComponent(postId)}/comments/${initial.id}`, { body, mentions: mentions.map((m) => m.userId) })
        : api<PostComment>("POST", `/posts/${encodeURIComponent(postId)}/comments`, { body, mentions: mentions.map((m) => m.userId) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: commentsKey(postId) });
      notifySuccess(mentions.length ? t("publishing.comments.savedNotified", { names: mentions.map((m) => m.name).join(", ") }) : t("publishing.comments.saved"));
      if (!initial) {
        setBody("");
        setPicked([]);
      }
      onDone?.();
    },
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (body.trim()) save.mutate();
      }}
    >
      <Stack gap="xs">
        <CommentInput postId={postId} value={body} onChange={setBody} picked={mentions} onPick={(p) => setPicked((list) => [...list, p])} label={label} autoFocus={Boolean(initial)} />
        {save.error ? (
          <Text size="sm" c="red.8" role="alert">
            {errorText(t, save.error)}
          </Text>
        ) : null}
        <Group gap="xs" justify="flex-end">
          {onDone && initial && (
            <Button size="xs" variant="default" onClick={onDone} leftSection={<IconX size={14} aria-hidden />}>
              {t("common.cancel")}
            </Button>
          )}
          <Button size="xs" type="submit" loading={save.isPending} disabled={!body.trim()} leftSection={<IconCheck size={14} aria-hidden />}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type ThreadItem =
  | { kind: "comment"; at: string; comment: PostComment }
  | { kind: "decision"; at: string; actor: string; decision: "approved" | "rejected"; comment: string; version: number; external: boolean };

function OneComment({ postId, comment, current }: { postId: string; comment: PostComment; current: number }) {
  const { t } = useTranslation();
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const remove = useMutation({
    mutationFn: () => api("DELETE", `/posts/${encodeURIComponent(postId)}/comments/${comment.id}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: commentsKey(postId) });
      notifySuccess(t("publishing.comments.deleted"));
    },
  });
  return (
    <Stack gap={4} component="li" data-testid="comment">
      <Group gap={6} wrap="wrap">
        <Text size="sm" fw={700}>
          <bdi>{comment.author}</bdi>
        </Text>
        <Text size="xs" c="dimmed">
          <RelativeTime value={comment.createdAt} />
          {comment.editedAt ? ` · ${t("publishing.comments.edited")}` : ""}
        </Text>
        <Badge size="xs" variant="light" color={comment.postVersion === current ? "gray" : "yellow"} style={{ textTransform: "none" }}>
          {comment.postVersion === current ? t("publishing.comments.onVersion", { version: formatNumber(comment.postVersion) }) : t("publishing.comments.onOlderVersion", { version: formatNumber(comment.postVersion) })}
        </Badge>
      </Group>
      {editing ? (
        <CommentForm postId={postId} initial={comment} onDone={() => setEditing(false)} submitLabel={t("common.save")} label={t("publishing.comments.editLabel")} />
      ) : (
        <CommentText body={comment.body} mentions={comment.mentions} />
      )}
      {!editing && (comment.can.edit || comment.can.delete) && (
        <Group gap={4}>
          {comment.can.edit && (
            <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)}>
              {t("publishing.comments.edit")}
            </Button>
          )}
          {comment.can.delete && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              loading={remove.isPending}
              onClick={async () => {
                const ok = await confirm({ title: t("publishing.comments.deleteTitle"), message: t("publishing.comments.deleteMessage"), confirmLabel: t("publishing.comments.delete"), danger: true });
                if (ok) remove.mutate();
              }}
            >
              {t("publishing.comments.delete")}
            </Button>
          )}
        </Group>
      )}
      {remove.error ? (
        <Text size="sm" c="red.8" role="alert">
          {errorText(t, remove.error)}
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * The internal comments of a post (never published), beside the composer and on the post's page: each with its author,
 * time and the version of the post it was written on; approvers' comments (also external approvers') read-only in the
 * same thread. Without a post yet (a new post before its first save) it says when comments become possible.
 */
export function CommentsPanel({ postId, beside = false }: { postId: string | null; /** Beside the composer (a column), not under a page. */ beside?: boolean }) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-labelledby="comments-title" style={beside ? { flex: "1 1 300px", maxWidth: 480, minWidth: 0 } : undefined}>
      <Stack gap="sm">
        <Group gap="xs">
          <IconMessage size={18} aria-hidden />
          <Title order={2} fz="h4" id="comments-title">
            {t("publishing.comments.title")}
          </Title>
        </Group>
        <Text size="xs" c="dimmed">
          {t("publishing.comments.description")}
        </Text>
        {postId ? <Thread postId={postId} /> : <Text size="sm">{t("publishing.comments.notYet")}</Text>}
      </Stack>
    </Card>
  );
}

function Thread({ postId }: { postId: string }) {
  const { t } = useTranslation();
  const comments = useComments(postId);
  const approvals = usePostApprovals(postId);
  if (comments.isLoading) return <Text size="sm">{t("common.loading")}</Text>;
  if (comments.error || !comments.data) return <Text size="sm" c="red.8">{errorText(t, comments.error)}</Text>;
  const data = comments.data;
  const items: ThreadItem[] = [
    ...data.comments.map((comment) => ({ kind: "comment" as const, at: comment.createdAt, comment })),
    ...(approvals.data ?? []).flatMap((run) =>
      run.decisions
        .filter((d) => d.comment)
        .map((d) => ({ kind: "decision" as const, at: d.at, actor: d.actor, decision: d.decision, comment: d.comment!, version: run.version, external: d.userId === null })),
    ),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Stack gap="md">
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("publishing.comments.empty")}
        </Text>
      ) : (
        <Stack gap="md" component="ol" style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label={t("publishing.comments.title")}>
          {items.map((item) =>
            item.kind === "comment" ? (
              <OneComment key={item.comment.id} postId={postId} comment={item.comment} current={data.postVersion} />
            ) : (
              <Stack gap={4} component="li" key={`${item.at}-${item.actor}`} data-testid="approval-comment">
                <Group gap={6} wrap="wrap">
                  <Text size="sm" fw={700}>
                    <bdi>{item.actor}</bdi>
                  </Text>
                  <Text size="xs" c="dimmed">
                    <RelativeTime value={item.at} />
                  </Text>
                  <Badge size="xs" variant="light" color={item.decision === "approved" ? "teal" : "red"} style={{ textTransform: "none" }}>
                    {item.decision === "approved" ? t("publishing.comments.approvedVersion", { version: formatNumber(item.version) }) : t("publishing.comments.rejectedVersion", { version: formatNumber(item.version) })}
                  </Badge>
                </Group>
                <Text size="sm" dir="auto" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                  {item.comment}
                </Text>
              </Stack>
            ),
          )}
        </Stack>
      )}
      {data.canComment && <CommentForm postId={postId} submitLabel={t("publishing.comments.add")} label={t("publishing.comments.newLabel")} />}
    </Stack>
  );
}
