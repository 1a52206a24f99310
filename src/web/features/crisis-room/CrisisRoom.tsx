import { Alert, Badge, Button, Card, Checkbox, CopyButton, Group, MultiSelect, Paper, SegmentedControl, Select, SimpleGrid, Stack, Switch, Table, Tabs, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useMediaQuery } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { DateTimeField } from "../../components/DateTimeField";
import { STATEMENT_LOCALES, TASK_KINDS } from "../../../contracts/crisis-plans";
import { placeholdersLeft, STATEMENT_KINDS, statementTexts } from "../../../contracts/crisis-room";
import { timelineActorKind } from "../../../contracts/crisis-timeline";
import { notifyError, notifySuccess } from "../../components/notify";
import { RelativeTime } from "../../components/RelativeTime";
import { useActiveMe } from "../../app/session";
import { formatDateTime, formatNumber, formatPercent, isolate } from "../../i18n/format";
import { useChannels } from "../channels/hooks";
import { useMembers } from "../members/hooks";
import { useFigures, useRoomAction, useStatements, useStatusUpdates, useTasks, useTimeline, type Statement, type TimelineEvent } from "./hooks";

// The crisis room's sections (live figures, timeline, tasks, internal status updates, statements), shown on a
// crisis's page under its header (features/crisis/CrisisPage.tsx).
export function CrisisRoom({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const timeline = useTimeline(crisisId);
  const tasks = useTasks(crisisId);
  const updates = useStatusUpdates(crisisId);
  const act = timeline.data?.access.act ?? false;
  // Four tabs do not fit a phone's width: there they wrap as pills, each a whole button with its badge, instead of
  // underlined tabs whose second row floats apart from the first.
  const phone = useMediaQuery("(max-width: 36em)");
  return (
    <Stack gap="md" data-testid="crisis-room">
      <FiguresStrip crisisId={crisisId} />
      {!act && timeline.data && <Alert color="gray">{t("crisisRoom.readOnly")}</Alert>}
      <Tabs
        defaultValue="timeline"
        keepMounted={false}
        variant={phone ? "pills" : "default"}
        styles={phone ? { list: { gap: 6 }, tab: { border: "1px solid var(--mantine-color-gray-4)" } } : undefined}
      >
        <Tabs.List>
          <Tabs.Tab value="timeline">{t("crisisRoom.timeline")}</Tabs.Tab>
          <Tabs.Tab value="tasks" rightSection={tasks.data?.overdue ? <Badge color="red" size="sm">{formatNumber(tasks.data.overdue)}</Badge> : null}>
            {t("crisisRoom.tasks")}
          </Tabs.Tab>
          <Tabs.Tab value="updates" rightSection={updates.data?.due ? <Badge color="orange" size="sm">{t("crisisRoom.dueBadge")}</Badge> : null}>
            {t("crisisRoom.updates")}
          </Tabs.Tab>
          <Tabs.Tab value="statements">{t("crisisRoom.statements")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="timeline" pt="md">
          <TimelinePanel crisisId={crisisId} act={act} />
        </Tabs.Panel>
        <Tabs.Panel value="tasks" pt="md">
          <TasksPanel crisisId={crisisId} act={act} />
        </Tabs.Panel>
        <Tabs.Panel value="updates" pt="md">
          <UpdatesPanel crisisId={crisisId} act={act} />
        </Tabs.Panel>
        <Tabs.Panel value="statements" pt="md">
          <StatementsPanel crisisId={crisisId} act={act} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

const percent = (share: number | null) => (share === null ? "–" : formatPercent(share));

function Stat({ label, value, hint, color }: { label: string; value: string; hint?: string; color?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="lg" c={color}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

function FiguresStrip({ crisisId }: { crisisId: string }) {
  const { t } = useTranslation();
  const figures = useFigures(crisisId).data;
  if (!figures) return null;
  const since = figures.minutesSinceLastPublicUpdate;
  const overdue = figures.nextPublicUpdateDueAt !== null && new Date(figures.nextPublicUpdateDueAt).getTime() < Date.now();
  return (
    <section aria-label={t("crisisRoom.figures")}>
      {figures.endedAt && (
        <Text size="sm" c="dimmed" mb="xs" data-testid="figures-at-end">
          {t("crisisRoom.figuresAtEnd", { time: formatDateTime(figures.endedAt) })}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <Stat
          label={t("crisisRoom.mentionsLastHour")}
          value={formatNumber(figures.lastHour.total)}
          hint={figures.streams.length ? (figures.volumeRatio !== null ? t("crisisRoom.againstUsual", { ratio: formatNumber(figures.volumeRatio), usual: formatNumber(figures.baseline.hourlyMean) }) : t("crisisRoom.noBaseline")) : t("crisisRoom.noStreams")}
          color={figures.volumeRatio !== null && figures.volumeRatio >= 3 ? "red.9" : undefined}
        />
        <Stat label={t("crisisRoom.negativeShare")} value={percent(figures.lastHour.negativeShare)} hint={t("crisisRoom.usualShare", { share: percent(figures.baseline.negativeShare) })} />
        <Stat
          label={t("crisisRoom.sinceLastPublic")}
          value={since === null ? t("crisisRoom.noPublicYet") : t("crisisRoom.minutes", { count: since })}
          hint={figures.nextPublicUpdateDueAt ? t("crisisRoom.nextPublicDue", { at: formatDateTime(figures.nextPublicUpdateDueAt) }) : undefined}
          color={overdue || since === null ? "red.9" : undefined}
        />
        <Stat label={t("crisisRoom.inbox")} value="–" hint={t("crisisRoom.inboxNotAvailable")} />
      </SimpleGrid>
    </section>
  );
}

/** Parapet's own jobs record under internal names (crisis.deadlines, crisis.watch-listening, drill injects); the room names them in words. */
export function actorName(t: ReturnType<typeof useTranslation>["t"], label: string): string {
  const kind = timelineActorKind(label);
  return kind === "drill_script" ? t("crisisRoom.drillScript") : kind === "automatic" ? t("crisisRoom.automatic") : label;
}

/**
 * A note is its writer's text; the one the lifecycle writes on the crisis another was merged into is worded from its
 * facts (its stored text is English).
 */
export function noteText(t: ReturnType<typeof useTranslation>["t"], event: { text: string; data: unknown }): string {
  const from = (event.data as { mergedFromNumber?: unknown } | null)?.mergedFromNumber;
  return typeof from === "number" ? t("crisisRoom.mergedFrom", { ref: isolate(`CR-${from}`) }) : event.text;
}

/** Words an automatic timeline event from its type and facts (i18n "crisisEvent"); a note is its own text. */
function eventText(t: ReturnType<typeof useTranslation>["t"], event: TimelineEvent): string {
  if (event.type === "note") return noteText(t, event);
  const data = event.data as Record<string, unknown>;
  const values = { ...data, actor: actorName(t, event.actorLabel), defaultValue: event.type } as Record<string, unknown>;
  // Counts (posts held, people notified) in the viewer's digits; a counted text picks its singular or plural by `count`.
  if (typeof data.count === "number") values.formatted = formatNumber(data.count);
  if (event.type === "stakeholders_notified") Object.assign(values, { team: formatNumber(Number(data.team ?? 0)), stakeholders: formatNumber(Number(data.stakeholders ?? 0)) });
  // Stored values (states, decisions, roles, inject kinds) are words of the interface language, not raw keys.
  const word = (value: unknown, key: (v: string) => string) => (typeof value === "string" ? t(key(value), { defaultValue: value }) : value);
  if (event.type === "status_changed") Object.assign(values, { from: word(data.from, (v) => `crisis.status.${v}`), to: word(data.to, (v) => `crisis.status.${v}`) });
  if (event.type === "held_post_decided") values.decision = word(data.decision, (v) => `crisis.held.decisions.${v}`);
  if (event.type === "role_changed") values.role = word(data.role, (v) => `crisis.roles.${v}`);
  if (event.type === "inject") values.inject = word(data.kind, (v) => `crisisDrills.inject.${v}`);
  if (event.type === "volume_changed") {
    const count = (v: unknown) => (typeof v === "number" ? formatNumber(v) : "–");
    const share = (v: unknown) => percent(typeof v === "number" ? v : null);
    Object.assign(values, { total: count(data.total), previousTotal: count(data.previousTotal), negative: share(data.negativeShare), previousNegative: share(data.previousNegativeShare) });
  }
  // A reminder says what it was about: an overdue task or a due internal update.
  if (event.type === "reminder_sent" && data.about === "task") return t("crisisRoom.reminderTask", { title: String(data.title ?? "") });
  if (event.type === "reminder_sent" && data.about === "status_update") return t("crisisRoom.reminderUpdate");
  // One ad hoc task (the room's) or the plan's checklist (the lifecycle's, with a count).
  if (event.type === "task_created" && data.count === undefined) return t("crisisRoom.taskAdded", { title: String(data.title ?? "") });
  const generic = t(`crisisEvent.${event.type}`, values);
  // Finer wordings where the lifecycle part has them (else the event type's own).
  if (event.type === "security_action" && typeof data.action === "string") {
    const sessions = Number(data.sessions ?? 0);
    const tokens = Number(data.tokens ?? 0);
    const tokensText = t("crisisEvent.tokensRevoked", { count: tokens, formatted: formatNumber(tokens) });
    return t(`crisisEvent.${data.action}`, { ...values, count: sessions, formatted: formatNumber(sessions), tokens: tokensText, result: String(data.revokedAtNetwork ?? ""), defaultValue: generic });
  }
  if ((event.type === "crisis_mode_on" || event.type === "crisis_mode_off") && typeof data.part === "string" && data.part !== "all") return t(`crisisEvent.${event.type.replace("mode_", "mode_part_")}`, { ...values, defaultValue: generic });
  return generic;
}

function TimelinePanel({ crisisId, act }: { crisisId: string; act: boolean }) {
  const { t } = useTranslation();
  const timeline = useTimeline(crisisId);
  const [text, setText] = useState("");
  const [pinned, setPinned] = useState(false);
  const [pinnedOnly, setPinnedOnly] = useState(false);
  const addNote = useRoomAction<{ text: string; pinned: boolean }>(crisisId, (body) => ({ method: "POST", path: "/notes", body }));
  const pin = useRoomAction<{ id: string; pinned: boolean }>(crisisId, ({ id, pinned }) => ({ method: "POST", path: `/timeline/${id}/pin`, body: { pinned } }));
  const events = [...(timeline.data?.events ?? [])].reverse().filter((e) => !pinnedOnly || e.pinned);
  return (
    <Stack gap="sm">
      {act && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            addNote.mutate({ text, pinned }, { onSuccess: () => (setText(""), setPinned(false)), onError: (err) => notifyError(t, err) });
          }}
        >
          <Stack gap="xs">
            <Textarea label={t("crisisRoom.note")} description={t("crisisRoom.noteHelp")} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={2} />
            <Group>
              <Checkbox label={t("crisisRoom.pinNote")} checked={pinned} onChange={(e) => setPinned(e.currentTarget.checked)} />
              <Button type="submit" loading={addNote.isPending} disabled={!text.trim()}>
                {t("crisisRoom.addNote")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <Switch label={t("crisisRoom.pinnedOnly")} checked={pinnedOnly} onChange={(e) => setPinnedOnly(e.currentTarget.checked)} />
      {events.length === 0 ? (
        <Text c="dimmed">{t("crisisRoom.timelineEmpty")}</Text>
      ) : (
        <Stack gap={4} component="ol" style={{ listStyle: "none", paddingInlineStart: 0, margin: 0 }}>
          {events.map((event) => (
            <Paper key={event.id} component="li" withBorder p="xs" bg={event.pinned ? "yellow.0" : undefined}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div style={{ minWidth: 0 }}>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(event.occurredAt)} · {actorName(t, event.actorLabel)}
                    {event.pinned ? ` · ${t("crisisRoom.pinned")}` : ""}
                  </Text>
                  <Text fw={event.type === "note" ? 400 : 600} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                    {eventText(t, event)}
                  </Text>
                </div>
                {act && (
                  // A long entry (a plan's task list) must not squeeze the button to a sliver.
                  <Button size="compact-xs" variant="subtle" style={{ flexShrink: 0 }} onClick={() => pin.mutate({ id: event.id, pinned: !event.pinned }, { onError: (err) => notifyError(t, err) })}>
                    {event.pinned ? t("crisisRoom.unpin") : t("crisisRoom.pin")}
                  </Button>
                )}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** A <input type="datetime-local"> value (the viewer's zone) as an ISO time, or null. */
const localToIso = (value: string) => (value ? new Date(value).toISOString() : null);

function TasksPanel({ crisisId, act }: { crisisId: string; act: boolean }) {
  const { t } = useTranslation();
  const tasks = useTasks(crisisId);
  const members = useMembers();
  const [title, setTitle] = useState("");
  const [kind, setKind] = useState<string>("other");
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [due, setDue] = useState("");
  const create = useRoomAction<Record<string, unknown>>(crisisId, (body) => ({ method: "POST", path: "/tasks", body }));
  const update = useRoomAction<{ id: string; status: string }>(crisisId, ({ id, status }) => ({ method: "PATCH", path: `/tasks/${id}`, body: { status } }));
  const people = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name || m.email }));
  return (
    <Stack gap="sm">
      {act && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              { title, kind, ownerId, dueAt: localToIso(due) },
              { onSuccess: () => (setTitle(""), setDue(""), setOwnerId(null)), onError: (err) => notifyError(t, err) },
            );
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t("crisisRoom.taskTitle")} value={title} onChange={(e) => setTitle(e.currentTarget.value)} style={{ flex: "1 1 16rem" }} />
            <Select label={t("crisisRoom.taskKind")} data={TASK_KINDS.map((k) => ({ value: k, label: t(`crisisRoom.kind_${k}`) }))} value={kind} onChange={(v) => setKind(v ?? "other")} w={160} />
            <Select label={t("crisisRoom.owner")} data={people} value={ownerId} onChange={setOwnerId} clearable searchable w={200} />
            <DateTimeField label={t("crisisRoom.due")} value={due} onChange={(e) => setDue(e.currentTarget.value)} w={210} />
            <Button type="submit" loading={create.isPending} disabled={!title.trim()}>
              {t("crisisRoom.addTask")}
            </Button>
          </Group>
        </form>
      )}
      {tasks.data && tasks.data.overdue > 0 && <Alert color="red">{t("crisisRoom.overdueCount", { count: tasks.data.overdue })}</Alert>}
      {tasks.data?.tasks.length === 0 ? (
        <Text c="dimmed">{t("crisisRoom.tasksEmpty")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("crisisRoom.taskTitle")}</Table.Th>
                <Table.Th>{t("crisisRoom.owner")}</Table.Th>
                <Table.Th>{t("crisisRoom.due")}</Table.Th>
                <Table.Th>{t("crisisRoom.status")}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(tasks.data?.tasks ?? []).map((task) => (
                <Table.Tr key={task.id} data-overdue={task.overdue || undefined}>
                  <Table.Td>
                    <Text fw={task.overdue ? 700 : 400} c={task.overdue ? "red" : undefined} td={task.status !== "open" ? "line-through" : undefined}>
                      {task.title}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t(`crisisRoom.kind_${task.kind}`)} · {t(`crisisRoom.source_${task.source}`, { defaultValue: task.source })}
                    </Text>
                  </Table.Td>
                  <Table.Td>{task.ownerName ?? (task.ownerRole ? t(`crisisRoom.role_${task.ownerRole}`, { defaultValue: task.ownerRole }) : "–")}</Table.Td>
                  <Table.Td>
                    {task.dueAt ? formatDateTime(task.dueAt) : "–"}
                    {task.overdue && (
                      <Badge color="red" ms="xs">
                        {t("crisisRoom.overdue")}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`crisisRoom.taskStatus_${task.status}`)}</Table.Td>
                  <Table.Td>
                    {act && (
                      <Group gap={4} wrap="nowrap">
                        {task.status === "open" ? (
                          <>
                            <Button size="compact-sm" onClick={() => update.mutate({ id: task.id, status: "done" }, { onError: (err) => notifyError(t, err) })}>
                              {t("crisisRoom.markDone")}
                            </Button>
                            <Button size="compact-sm" variant="default" onClick={() => update.mutate({ id: task.id, status: "skipped" }, { onError: (err) => notifyError(t, err) })}>
                              {t("crisisRoom.skip")}
                            </Button>
                          </>
                        ) : (
                          <Button size="compact-sm" variant="subtle" onClick={() => update.mutate({ id: task.id, status: "open" }, { onError: (err) => notifyError(t, err) })}>
                            {t("crisisRoom.reopen")}
                          </Button>
                        )}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

const UPDATE_FIELDS = { tactical: ["conditions", "actions", "needs"], executive: ["status", "overview", "nextSteps"] } as const;

function UpdatesPanel({ crisisId, act }: { crisisId: string; act: boolean }) {
  const { t } = useTranslation();
  const updates = useStatusUpdates(crisisId);
  const [kind, setKind] = useState<"tactical" | "executive">("tactical");
  const [body, setBody] = useState<Record<string, string>>({});
  const post = useRoomAction<{ kind: string; body: Record<string, string> }>(crisisId, (input) => ({ method: "POST", path: "/updates", body: input }));
  const fields = UPDATE_FIELDS[kind];
  const data = updates.data;
  return (
    <Stack gap="sm">
      {data?.due && <Alert color="orange" title={t("crisisRoom.updateDueTitle")}>{t("crisisRoom.updateDue", { at: formatDateTime(data.nextDueAt!) })}</Alert>}
      {data && !data.due && data.nextDueAt && (
        <Text size="sm" c="dimmed">
          {t("crisisRoom.nextUpdate", { at: formatDateTime(data.nextDueAt), minutes: data.cadenceMinutes })}
        </Text>
      )}
      {act && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            post.mutate(
              { kind, body: Object.fromEntries(fields.map((f) => [f, body[f] ?? ""])) },
              { onSuccess: () => (setBody({}), notifySuccess(t("crisisRoom.updatePosted"))), onError: (err) => notifyError(t, err) },
            );
          }}
        >
          <Stack gap="xs">
            <SegmentedControl
              value={kind}
              onChange={(v) => setKind(v as "tactical" | "executive")}
              data={[
                { value: "tactical", label: t("crisisRoom.tactical") },
                { value: "executive", label: t("crisisRoom.executive") },
              ]}
            />
            {fields.map((f) => (
              <Textarea key={`${kind}-${f}`} label={t(`crisisRoom.field_${f}`)} value={body[f] ?? ""} onChange={(e) => setBody({ ...body, [f]: e.currentTarget.value })} autosize minRows={2} />
            ))}
            <Group>
              <Button type="submit" loading={post.isPending} disabled={fields.some((f) => !(body[f] ?? "").trim())}>
                {t("crisisRoom.postUpdate")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {data?.updates.length === 0 && <Text c="dimmed">{t("crisisRoom.updatesEmpty")}</Text>}
      {data?.updates.map((u) => (
        <Card key={u.id} withBorder padding="sm">
          <Text size="xs" c="dimmed">
            {t(`crisisRoom.${u.kind}`)} · {formatDateTime(u.createdAt)} · {u.authorName}
          </Text>
          {UPDATE_FIELDS[u.kind].map((f) => (
            <Text key={f} size="sm">
              <b>{t(`crisisRoom.field_${f}`)}:</b> {u.body[f]}
            </Text>
          ))}
        </Card>
      ))}
    </Stack>
  );
}

const STATUS_COLOR: Record<string, string> = { draft: "gray", in_review: "orange", approved: "green", published: "blue", rejected: "red", withdrawn: "gray" };

function StatementsPanel({ crisisId, act }: { crisisId: string; act: boolean }) {
  const { t } = useTranslation();
  const statements = useStatements(crisisId);
  const channels = useChannels();
  const [kind, setKind] = useState<string>("holding");
  const [template, setTemplate] = useState<string | null>(null);
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const create = useRoomAction<Record<string, unknown>>(crisisId, (body) => ({ method: "POST", path: "/statements", body }));
  const channelOptions = (channels.data ?? []).map((c) => ({ value: c.id, label: `@${c.handle} (${c.network})` }));
  const data = statements.data;
  return (
    <Stack gap="sm">
      {data?.firstPublicResponseAt && <Text size="sm">{t("crisisRoom.firstPublicResponse", { at: formatDateTime(data.firstPublicResponseAt) })}</Text>}
      {act && (
        <Card withBorder padding="sm">
          <Title order={3} fz="h5" mb="xs">
            {t("crisisRoom.newStatement")}
          </Title>
          <Group align="flex-end" wrap="wrap">
            <Select label={t("crisisRoom.statementKind")} data={STATEMENT_KINDS.map((k) => ({ value: k, label: t(`crisisRoom.statementKind_${k}`) }))} value={kind} onChange={(v) => setKind(v ?? "holding")} w={220} />
            <Select
              label={t("crisisRoom.startFrom")}
              placeholder={t("crisisRoom.blank")}
              data={(data?.templates ?? []).map((tpl) => ({ value: tpl.id, label: `${tpl.title} (${tpl.locale})${tpl.approved ? "" : ` · ${t("crisisRoom.notPreapproved")}`}` }))}
              value={template}
              onChange={setTemplate}
              clearable
              w={280}
            />
            {kind !== "reply" && <MultiSelect label={t("crisisRoom.channels")} data={channelOptions} value={channelIds} onChange={setChannelIds} w={280} />}
            <Button
              loading={create.isPending}
              onClick={() =>
                create.mutate(
                  { kind, templateId: template ?? undefined, channelIds: kind === "reply" ? [] : channelIds },
                  { onSuccess: () => (setTemplate(null), setChannelIds([])), onError: (err) => notifyError(t, err) },
                )
              }
            >
              {t("crisisRoom.startStatement")}
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt="xs">
            {t(`crisisRoom.statementKindHelp_${kind}`)}
          </Text>
        </Card>
      )}
      {data?.statements.length === 0 && <Text c="dimmed">{t("crisisRoom.statementsEmpty")}</Text>}
      {data?.statements.map((s) => <StatementCard key={s.id} crisisId={crisisId} statement={s} channelOptions={channelOptions} placeholders={data.placeholders} />)}
    </Stack>
  );
}

function StatementCard({
  crisisId,
  statement: s,
  channelOptions,
  placeholders,
}: {
  crisisId: string;
  statement: Statement;
  channelOptions: Array<{ value: string; label: string }>;
  placeholders: string[];
}) {
  const { t } = useTranslation();
  const me = useActiveMe();
  // A drill's "approver cannot be reached" inject: the approver is told why they cannot decide instead of Approve/Reject.
  const unreachableMe = s.approverUnreachable && me.user.id === s.approverId && !s.can.decide;
  const [body, setBody] = useState(s.body);
  const [locale, setLocale] = useState<string>(s.locale);
  const [channelIds, setChannelIds] = useState<string[]>(s.channelIds);
  const [comment, setComment] = useState("");
  const [ref, setRef] = useState("");
  const save = useRoomAction<void>(crisisId, () => ({ method: "PATCH", path: `/statements/${s.id}`, body: { version: s.version, body, locale, channelIds } }));
  const submit = useRoomAction<void>(crisisId, () => ({ method: "POST", path: `/statements/${s.id}/submit`, body: { version: s.version } }));
  const decide = useRoomAction<"approve" | "reject">(crisisId, (decision) => ({ method: "POST", path: `/statements/${s.id}/decision`, body: { decision, comment: comment || undefined } }));
  const publish = useRoomAction<void>(crisisId, () => ({ method: "POST", path: `/statements/${s.id}/publish`, body: { version: s.version } }));
  const use = useRoomAction<void>(crisisId, () => ({ method: "POST", path: `/statements/${s.id}/use`, body: { ref } }));
  const withdraw = useRoomAction<void>(crisisId, () => ({ method: "POST", path: `/statements/${s.id}/withdraw` }));
  const onError = (err: unknown) => notifyError(t, err);
  const dirty = body !== s.body || locale !== s.locale || channelIds.join() !== s.channelIds.join();
  const names = s.channelIds.map((id) => channelOptions.find((c) => c.value === id)?.label ?? id);
  // The template placeholders still in the text as typed (and in the channels' own texts): filled in before approval.
  const left = placeholdersLeft(statementTexts(body, channelIds, s.variants), placeholders);
  return (
    <Card withBorder padding="sm" data-testid="statement">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Badge color={STATUS_COLOR[s.status]} variant="light">{t(`crisisRoom.statementStatus_${s.status}`)}</Badge>
          <Text fw={600}>{t(`crisisRoom.statementKind_${s.kind}`)}</Text>
          <Badge variant="outline">{s.locale}</Badge>
          {s.escalatedAt && s.status === "in_review" && <Badge color="red">{t("crisisRoom.escalated")}</Badge>}
        </Group>
        {s.can.withdraw && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => withdraw.mutate(undefined, { onError })}>
            {t("crisisRoom.withdraw")}
          </Button>
        )}
      </Group>
      {s.status === "in_review" && (
        <Text size="sm" mb="xs">
          {s.escalatedAt
            ? t("crisisRoom.escalatedLine", { approver: s.approverName, backup: s.backupApproverName ?? "–" })
            : t(s.approverUnreachable ? "crisisRoom.unreachableLine" : "crisisRoom.reviewLine", { approver: s.approverName, at: formatDateTime(s.deadlineAt!), backup: s.backupApproverName ?? "–" })}{" "}
          {s.deadlineAt && !s.escalatedAt && (
            <>
              (<RelativeTime value={s.deadlineAt} />)
            </>
          )}
        </Text>
      )}
      {s.decidedAt && (
        <Text size="sm" mb="xs">
          {t(s.status === "rejected" ? "crisisRoom.rejectedLine" : "crisisRoom.approvedLine", { by: s.decidedByName, at: formatDateTime(s.decidedAt) })}
          {s.decisionComment ? ` “${s.decisionComment}”` : ""}
        </Text>
      )}
      {s.can.edit ? (
        <Stack gap="xs">
          <Textarea label={t("crisisRoom.statementText")} description={t("crisisRoom.statementTextHelp")} dir="auto" value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={3} />
          {left.length > 0 && (
            <Alert color="yellow" p="xs" data-testid="placeholders-left" title={t("crisisRoom.placeholdersLeft", { count: left.length, formatted: formatNumber(left.length) })}>
              <Group gap={6}>
                {left.map((p) => (
                  <Badge key={p} variant="light" color="yellow" tt="none" dir="auto">
                    {p}
                  </Badge>
                ))}
              </Group>
              <Text size="xs" mt={6}>
                {t("crisisRoom.placeholdersHelp")}
              </Text>
            </Alert>
          )}
          <Group align="flex-end" wrap="wrap">
            <Select label={t("crisisRoom.language")} data={[...STATEMENT_LOCALES]} value={locale} onChange={(v) => setLocale(v ?? s.locale)} w={110} />
            {s.kind !== "reply" && <MultiSelect label={t("crisisRoom.channels")} data={channelOptions} value={channelIds} onChange={setChannelIds} w={300} />}
            <Button variant="default" disabled={!dirty || !body.trim()} loading={save.isPending} onClick={() => save.mutate(undefined, { onError })}>
              {t("crisisRoom.save")}
            </Button>
            <Button disabled={dirty || !s.can.submit || left.length > 0} loading={submit.isPending} onClick={() => submit.mutate(undefined, { onError })}>
              {t("crisisRoom.submit")}
            </Button>
          </Group>
          {dirty && (
            <Text size="xs" c="dimmed">
              {t("crisisRoom.saveFirst")}
            </Text>
          )}
        </Stack>
      ) : (
        <Text dir="auto" style={{ whiteSpace: "pre-wrap" }}>{s.body}</Text>
      )}
      {!s.can.edit && s.kind !== "reply" && names.length > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          {t("crisisRoom.toChannels", { channels: names.join(", ") })}
        </Text>
      )}
      {unreachableMe && (
        <Alert color="orange" variant="light" mt="sm" data-testid="approver-unreachable" title={t("crisisRoom.unreachableYouTitle")}>
          {s.escalatedAt
            ? t("crisisRoom.unreachableYouEscalated", { backup: s.backupApproverName ?? "–" })
            : t("crisisRoom.unreachableYou", { at: formatDateTime(s.deadlineAt!), backup: s.backupApproverName ?? "–" })}
        </Alert>
      )}
      {s.can.decide && (
        <Group align="flex-end" mt="sm">
          <TextInput label={t("crisisRoom.comment")} value={comment} onChange={(e) => setComment(e.currentTarget.value)} style={{ flex: "1 1 14rem" }} />
          <Button color="green" loading={decide.isPending} onClick={() => decide.mutate("approve", { onError })}>
            {t("crisisRoom.approve")}
          </Button>
          <Button color="red" variant="light" disabled={!comment.trim()} onClick={() => decide.mutate("reject", { onError })}>
            {t("crisisRoom.reject")}
          </Button>
        </Group>
      )}
      {s.can.publish && (
        <Group mt="sm">
          <Button loading={publish.isPending} disabled={!s.channelIds.length} onClick={() => publish.mutate(undefined, { onError, onSuccess: () => notifySuccess(t("crisisRoom.publishedToast")) })}>
            {t("crisisRoom.publishNow")}
          </Button>
          <Text size="xs" c="dimmed">
            {t("crisisRoom.publishHelp")}
          </Text>
        </Group>
      )}
      {s.publishedAt && (
        <Text size="sm" mt="xs">
          {t("crisisRoom.publishedLine", { at: formatDateTime(s.publishedAt) })}
        </Text>
      )}
      {s.can.use && (
        <Group align="flex-end" mt="sm">
          <CopyButton value={s.body}>{({ copied, copy }) => <Button variant="default" onClick={copy}>{copied ? t("crisisRoom.copied") : t("crisisRoom.copy")}</Button>}</CopyButton>
          <TextInput label={t("crisisRoom.usedIn")} description={t("crisisRoom.usedInHelp")} value={ref} onChange={(e) => setRef(e.currentTarget.value)} style={{ flex: "1 1 14rem" }} />
          <Button disabled={!ref.trim()} loading={use.isPending} onClick={() => use.mutate(undefined, { onError, onSuccess: () => setRef("") })}>
            {t("crisisRoom.recordUse")}
          </Button>
        </Group>
      )}
    </Card>
  );
}
