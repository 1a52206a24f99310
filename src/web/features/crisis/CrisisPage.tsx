import { Alert, Badge, Button, Card, Checkbox, Group, Modal, MultiSelect, SegmentedControl, Select, Stack, Switch, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { DateTimeField } from "../../components/DateTimeField";
import { useParams } from "react-router-dom";
import { CRISIS_ROLES } from "../../../contracts/crisis-plans";
import type { CrisisTarget } from "../../../contracts/crises";
import { useCan } from "../../app/session";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { PanelCard } from "../../components/PanelCard";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, formatList, formatNumber, viewerTimeZone, isolate } from "../../i18n/format";
import { useChannels } from "../channels/hooks";
import { CrisisRoom } from "../crisis-room/CrisisRoom";
import { useMembers } from "../members/hooks";
import { fromLocalInput } from "../publishing/hooks";
import { STATUS_COLOR } from "./CrisesPage";
import { useCrisis, useCrisisAction, useCrisisNotices, useHeldPosts, useSeverityLevels, useCrises, type Crisis, type CrisisNotice } from "./hooks";
import { useSeverityText } from "../crisis-plans/severity-text";
import { AwaitingApprovalPanel } from "./AwaitingApprovalPanel";

/** A crisis: its header (state, severity, who declared it and why), crisis mode, held posts, team, then the room. */
export function CrisisPage() {
  const { crisisId } = useParams();
  const query = useCrisis(crisisId);
  return <QueryState query={query}>{(crisis) => <CrisisView crisis={crisis} />}</QueryState>;
}

function CrisisView({ crisis }: { crisis: Crisis }) {
  const { t } = useTranslation();
  const severityText = useSeverityText();
  const canManage = useCan("crisis.manage");
  const open = ["triage", "active", "stable"].includes(crisis.status);
  return (
    <Page
      title={`${crisis.ref} · ${isolate(crisis.title)}`}
      description={t("crisis.declaredLine", { name: crisis.declaredByName ?? t("crisis.someone"), time: formatDateTime(crisis.declaredAt), origin: t(`crisis.origin.${crisis.originKind}`) })}
      actions={canManage && <TransitionButtons crisis={crisis} />}
    >
      <Group gap="sm" data-testid="crisis-header">
        <Badge size="lg" color={STATUS_COLOR[crisis.status]} data-testid="crisis-status">
          {t(`crisis.status.${crisis.status}`)}
        </Badge>
        <Badge size="lg" variant="outline" color="red">
          {severityText(crisis.severityLevel, crisis.severityName).name}
        </Badge>
        <Badge size="lg" variant="light" color="gray">
          {t(`crisis.scenario.${crisis.scenario}`)}
        </Badge>
        {crisis.isDrill && (
          <Badge size="lg" color="grape">
            {t("crisis.drill")}
          </Badge>
        )}
      </Group>
      {crisis.status === "triage" && <Alert color="yellow">{t("crisis.triageNote")}</Alert>}
      {crisis.summary && <Text>{crisis.summary}</Text>}
      {crisis.resolution && (
        <Alert color="gray" title={t(crisis.status === "cancelled" ? "crisis.cancelReason" : "crisis.resolution")}>
          {crisis.resolution}
        </Alert>
      )}
      {canManage && open && <SeverityControl crisis={crisis} />}
      <CrisisModePanel crisis={crisis} />
      {crisis.heldPosts.total > 0 && <HeldPostsPanel crisis={crisis} />}
      <AwaitingApprovalPanel crisis={crisis} />
      <TeamPanel crisis={crisis} />
      <CrisisRoom crisisId={crisis.id} />
    </Page>
  );
}

function TransitionButtons({ crisis }: { crisis: Crisis }) {
  const { t } = useTranslation();
  const [to, setTo] = useState<CrisisTarget | null>(null);
  return (
    <>
      {crisis.allowedTransitions.map((target) => (
        <Button key={target} variant={target === "active" || target === "closed" ? "filled" : "default"} color={target === "active" ? "red" : undefined} onClick={() => setTo(target)}>
          {t(`crisis.transition.${target}`)}
        </Button>
      ))}
      {to && <TransitionModal crisis={crisis} to={to} onClose={() => setTo(null)} />}
    </>
  );
}

function TransitionModal({ crisis, to, onClose }: { crisis: Crisis; to: CrisisTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const act = useCrisisAction(crisis.id);
  const others = useCrises("open");
  const [reason, setReason] = useState("");
  const [resolution, setResolution] = useState("");
  const [keep, setKeep] = useState(false);
  const [mergeInto, setMergeInto] = useState<string | null>(null);
  const modeOn = crisis.mode !== null && crisis.mode.endedAt === null;
  const submit = () =>
    act.mutate(
      { method: "POST", path: "/transition", body: { to, version: crisis.version, reason: reason || undefined, resolution: resolution || undefined, keepCrisisMode: keep || undefined, mergeIntoId: mergeInto ?? undefined } },
      { onSuccess: () => (notifySuccess(t("crisis.transitionDone", { status: t(`crisis.status.${to}`) })), onClose()), onError: (err) => notifyError(t, err) },
    );
  return (
    <Modal opened onClose={onClose} title={t(`crisis.transition.${to}`)}>
      <Stack gap="sm">
        <Text size="sm">{t(`crisis.transitionHelp.${to}`)}</Text>
        {to === "closed" && <Textarea label={t("crisis.resolution")} required value={resolution} onChange={(e) => setResolution(e.currentTarget.value)} autosize minRows={2} />}
        {to !== "closed" && <Textarea label={t("crisis.reason")} required={to === "cancelled"} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />}
        {to === "merged" && (
          <Select
            label={t("crisis.mergeInto")}
            required
            value={mergeInto}
            onChange={setMergeInto}
            data={(others.data ?? []).filter((c) => c.id !== crisis.id && c.isDrill === crisis.isDrill).map((c) => ({ value: c.id, label: `${c.ref} · ${c.title}` }))}
          />
        )}
        {to === "closed" && modeOn && <Checkbox checked={keep} onChange={(e) => setKeep(e.currentTarget.checked)} label={t("crisis.keepMode")} />}
        {(to === "closed" || to === "cancelled" || to === "merged") && crisis.heldPosts.pending > 0 && (
          <Alert color="orange">{t("crisis.held.pendingWarning", { count: crisis.heldPosts.pending, formatted: formatNumber(crisis.heldPosts.pending) })}</Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button onClick={submit} loading={act.isPending}>
            {t(`crisis.transition.${to}`)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function SeverityControl({ crisis }: { crisis: Crisis }) {
  const { t } = useTranslation();
  const severityText = useSeverityText();
  const severities = useSeverityLevels();
  const act = useCrisisAction(crisis.id);
  return (
    <Select
      maw={420}
      label={t("crisis.fields.severity")}
      description={t("crisis.severityHint")}
      value={String(crisis.severityLevel)}
      allowDeselect={false}
      onChange={(value) => value && act.mutate({ method: "POST", path: "/severity", body: { severityLevel: Number(value), version: crisis.version } }, { onError: (err) => notifyError(t, err) })}
      data={(severities.data ?? []).map((s) => {
        const text = severityText(s.level, s.name, s.description);
        return { value: String(s.level), label: text.description ? `${text.name} — ${text.description}` : text.name };
      })}
      disabled={act.isPending}
    />
  );
}

function CrisisModePanel({ crisis }: { crisis: Crisis }) {
  const { t } = useTranslation();
  const canManage = useCan("crisis.manage");
  const canSecure = useCan("crisis.secure");
  const act = useCrisisAction(crisis.id);
  const members = useMembers();
  const channels = useChannels();
  const [reason, setReason] = useState(crisis.summary || crisis.title);
  const [pause, setPause] = useState<"all" | "none">("all");
  const [lockdown, setLockdown] = useState(true);
  const [notify, setNotify] = useState(true);
  const [secureUsers, setSecureUsers] = useState<string[]>([]);
  const [secureChannels, setSecureChannels] = useState<string[]>([]);
  const mode = crisis.mode && crisis.mode.endedAt === null ? crisis.mode : null;
  const severityText = useSeverityText();
  /** The level that started crisis mode by itself, by name while the crisis is still at it (else its number). */
  const automaticSeverityName = (level: number) => (level === crisis.severityLevel ? severityText(level, crisis.severityName).name : `SEV${level}`);
  const run = (method: "POST" | "PATCH", path: string, body?: unknown) => act.mutate({ method, path, body }, { onError: (err) => notifyError(t, err) });
  /** The paused channels by handle; those the viewer has no access to are counted, not shown by id. */
  const channelList = (ids: string[]) => {
    const seen = ids.map((id) => channels.data?.find((c) => c.id === id)?.handle).filter((h): h is string => Boolean(h));
    const hidden = ids.length - seen.length;
    return formatList([...seen, ...(hidden > 0 ? [t("crisis.mode.hiddenChannels", { count: hidden, formatted: formatNumber(hidden) })] : [])]);
  };
  return (
    <PanelCard
      testId="crisis-mode"
      title={t("crisis.mode.title")}
      badge={
        <Badge color={mode ? "red" : "gray"} variant={mode ? "filled" : "light"}>
          {mode ? t("crisis.mode.on") : t("crisis.mode.off")}
        </Badge>
      }
    >
      {mode ? (
        <>
          <Text size="sm">
            {mode.automaticSeverity === null
              ? t("crisis.mode.since", { time: formatDateTime(mode.activatedAt), reason: isolate(mode.reason) })
              : t("crisis.mode.sinceAutomatic", { time: formatDateTime(mode.activatedAt), severity: automaticSeverityName(mode.automaticSeverity), reason: isolate(mode.reason) })}
          </Text>
          {mode.keptOnClose && <Alert color="orange">{t("crisis.mode.kept")}</Alert>}
          <Group gap="xs">
            <Badge color={mode.pause ? "red" : "gray"} variant="light">
              {mode.pause ? (mode.pauseChannelIds ? t("crisis.mode.pauseSome", { channels: channelList(mode.pauseChannelIds) }) : t("crisis.mode.pauseOn")) : t("crisis.mode.pauseOff")}
            </Badge>
            <Badge color={mode.lockdown ? "red" : "gray"} variant="light">
              {mode.lockdown ? t("crisis.mode.lockdownOn") : t("crisis.mode.lockdownOff")}
            </Badge>
            {mode.secured && <Badge variant="light">{t("crisis.mode.securedLine", { sessions: mode.secured.sessionsEnded, tokens: mode.secured.tokensRevoked ?? 0, channels: mode.secured.channels.length })}</Badge>}
            {mode.notified && <Badge variant="light">{t("crisis.mode.notifiedLine", { count: formatNumber(mode.notified.length) })}</Badge>}
          </Group>
          {canManage && (
            <Group gap="xs">
              <Button size="xs" variant="default" loading={act.isPending} onClick={() => run("PATCH", "/mode", { pause: mode.pause ? "none" : "all" })}>
                {mode.pause ? t("crisis.mode.pauseSwitchOff") : t("crisis.mode.pauseSwitchOn")}
              </Button>
              <Button size="xs" variant="default" loading={act.isPending} onClick={() => run("PATCH", "/mode", { lockdown: !mode.lockdown })}>
                {mode.lockdown ? t("crisis.mode.lockdownSwitchOff") : t("crisis.mode.lockdownSwitchOn")}
              </Button>
              <Button size="xs" color="red" variant="light" loading={act.isPending} onClick={() => run("POST", "/mode/end")}>
                {t("crisis.mode.end")}
              </Button>
            </Group>
          )}
        </>
      ) : crisis.status === "triage" ? (
        <Text size="sm" c="dimmed">
          {t("crisis.mode.notInTriage")}
        </Text>
      ) : canManage && ["active", "stable"].includes(crisis.status) ? (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {crisis.isDrill ? t("crisis.mode.drillHelp") : t("crisis.mode.help")}
          </Text>
          <TextInput label={t("crisis.mode.reason")} description={t("crisis.mode.reasonHelp")} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t("crisis.mode.pause")}
            </Text>
            <SegmentedControl
              w="fit-content"
              value={pause}
              onChange={(v) => setPause(v as "all" | "none")}
              data={[
                { value: "all", label: t("crisis.mode.pauseAll") },
                { value: "none", label: t("crisis.mode.pauseNone") },
              ]}
            />
          </Stack>
          <Switch checked={lockdown} onChange={(e) => setLockdown(e.currentTarget.checked)} label={t("crisis.mode.lockdown")} description={t("crisis.mode.lockdownHelp")} />
          <Switch checked={notify} onChange={(e) => setNotify(e.currentTarget.checked)} label={t("crisis.mode.notify")} description={t("crisis.mode.notifyHelp")} />
          {canSecure && (
            <Card withBorder bg="var(--mantine-color-default-hover)">
              <Stack gap="xs">
                <Text size="sm" fw={600}>
                  {t("crisis.mode.secure")}
                </Text>
                <Text size="xs" c="dimmed">
                  {t("crisis.mode.secureHelp")}
                </Text>
                <MultiSelect label={t("crisis.mode.secureUsers")} searchable value={secureUsers} onChange={setSecureUsers} data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name || m.email }))} />
                <MultiSelect
                  label={t("crisis.mode.secureChannels")}
                  value={secureChannels}
                  onChange={setSecureChannels}
                  data={(channels.data ?? []).filter((c) => c.status !== "disconnected" && (!crisis.isDrill || c.network === "sandbox")).map((c) => ({ value: c.id, label: `${c.handle} (${c.network})` }))}
                />
              </Stack>
            </Card>
          )}
          <Group>
            <Button
              color="red"
              loading={act.isPending}
              disabled={!reason.trim()}
              onClick={() => run("POST", "/mode", { reason, pause, lockdown, notify, secure: secureUsers.length || secureChannels.length ? { userIds: secureUsers, channelIds: secureChannels } : undefined })}
            >
              {t("crisis.mode.start")}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {t("crisis.mode.offText")}
        </Text>
      )}
      <NoticesList crisisId={crisis.id} canRetry={canManage} />
    </PanelCard>
  );
}

const NOTICE_COLOR: Record<CrisisNotice["status"], string> = { queued: "gray", sent: "teal", retrying: "yellow", failed: "red" };

/**
 * Everyone crisis mode's notify told: the crisis team (name and roles), the plan's stakeholders by email (name and the
 * address the plan shows) and through Slack, Teams, webhooks and mail lists (kind and name, never the address), each
 * with its delivery — queued, sent, retrying (when next), failed (why; a crisis manager may send it again now).
 * Nothing is shown before any notice was queued.
 */
function NoticesList({ crisisId, canRetry }: { crisisId: string; canRetry: boolean }) {
  const { t } = useTranslation();
  const notices = useCrisisNotices(crisisId);
  const act = useCrisisAction(crisisId);
  if (!notices.data?.length) return null;
  const retry = (n: CrisisNotice) =>
    act.mutate({ method: "POST", path: `/notices/${n.id}/retry` }, { onError: (err) => notifyError(t, err), onSuccess: () => notifySuccess(t("crisis.notices.retried", { name: n.recipient.name })) });
  return (
    <Stack gap={4} data-testid="crisis-notices">
      <Title order={3} fz="h5">
        {t("crisis.notices.title")}
      </Title>
      <Text size="xs" c="dimmed">
        {t("crisis.notices.help")}
      </Text>
      <Table.ScrollContainer minWidth={520}>
        <Table striped verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("crisis.notices.destination")}</Table.Th>
              <Table.Th>{t("crisis.notices.status")}</Table.Th>
              <Table.Th>{t("crisis.notices.when")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {notices.data.map((n) => (
              <Table.Tr key={n.id} data-testid={`notice-${n.status}`}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Badge variant="outline" size="sm" tt="none" style={{ flexShrink: 0 }}>
                      {n.destination ? t(`alertDestinations.kindName.${n.destination.kind}`) : t(`crisis.notices.recipient.${n.recipient.kind}`)}
                    </Badge>
                    {/* The name isolated (any script), the roles in the reader's language and direction. */}
                    <Text size="sm">
                      <bdi>{n.recipient.name}</bdi>
                      {n.recipient.roles.length > 0 && ` (${n.recipient.roles.map((r) => t(`crisis.roles.${r}`)).join(t("crisis.notices.roleSeparator"))})`}
                    </Text>
                  </Group>
                  {n.recipient.address && (
                    <Text size="xs" c="dimmed" className="ltr-value">
                      {n.recipient.address}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={NOTICE_COLOR[n.status]} variant="light">
                    {t(`crisis.notices.statusName.${n.status}`)}
                  </Badge>
                  {n.lastError && n.status !== "sent" && (
                    <Text size="xs" c={n.status === "failed" ? undefined : "dimmed"} fw={n.status === "failed" ? 500 : undefined} dir="auto">
                      {t("crisis.notices.error", { error: n.lastError })}
                    </Text>
                  )}
                  {n.reason && (
                    <Text size="xs" c={n.status === "failed" ? undefined : "dimmed"} fw={n.status === "failed" ? 500 : undefined}>
                      {t(`crisis.notices.reason.${n.reason}`)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {n.status === "sent" && n.deliveredAt
                      ? t("crisis.notices.sentAt", { time: formatDateTime(n.deliveredAt) })
                      : n.status === "retrying"
                        ? n.nextAttemptAt
                          ? t("crisis.notices.nextAttempt", { time: formatDateTime(n.nextAttemptAt), count: n.attempts, formatted: formatNumber(n.attempts) })
                          : t("crisis.notices.triedMail", { count: n.attempts, formatted: formatNumber(n.attempts) })
                        : n.reason === "no_address"
                          ? t("crisis.notices.notSent")
                          : n.status === "failed"
                          ? t("crisis.notices.gaveUp", { count: n.attempts, formatted: formatNumber(n.attempts) })
                          : t("crisis.notices.queuedAt", { time: formatDateTime(n.createdAt) })}
                  </Text>
                  {n.status === "failed" && canRetry && (
                    <Button size="compact-xs" variant="light" mt={4} loading={act.isPending} onClick={() => retry(n)} aria-label={`${t("crisis.notices.retry")}: ${n.recipient.name}`}>
                      {t("crisis.notices.retry")}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function HeldPostsPanel({ crisis }: { crisis: Crisis }) {
  const { t } = useTranslation();
  const held = useHeldPosts(crisis.id);
  const channels = useChannels();
  const act = useCrisisAction(crisis.id);
  const [times, setTimes] = useState<Record<string, string>>({});
  const mayDecide = useCan("crisis.manage") || crisis.onTeam;
  const decide = (postTargetId: string, decision: string, at?: string | null) =>
    act.mutate({ method: "POST", path: `/held-posts/${postTargetId}`, body: { decision, at: at ?? undefined } }, { onError: (err) => notifyError(t, err), onSuccess: () => notifySuccess(t(`crisis.held.done.${decision}`)) });
  return (
    <PanelCard
      testId="held-posts"
      title={t("crisis.held.title")}
      badge={
        <Badge color={crisis.heldPosts.pending ? "orange" : "green"} variant="light">
          {t("crisis.held.pendingCount", { count: formatNumber(crisis.heldPosts.pending), total: formatNumber(crisis.heldPosts.total) })}
        </Badge>
      }
    >
      <Text size="sm" c="dimmed">
        {t("crisis.held.help")}
      </Text>
      <QueryState query={held}>
        {(posts) => (
          <Table.ScrollContainer minWidth={640}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("crisis.held.post")}</Table.Th>
                  <Table.Th>{t("crisis.held.wasDue")}</Table.Th>
                  <Table.Th>{t("crisis.held.decision")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {posts.map((p) => (
                  <Table.Tr key={p.postTargetId}>
                    <Table.Td maw={360}>
                      <Text size="sm" lineClamp={3}>
                        {p.text}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {channels.data?.find((c) => c.id === p.channelId)?.handle ?? ""}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{p.previousDueAt ? formatDateTime(p.previousDueAt) : "–"}</Text>
                    </Table.Td>
                    <Table.Td>
                      {p.decision !== "pending" ? (
                        <Badge variant="light" color={p.decision === "discard" ? "gray" : "green"}>
                          {t(`crisis.held.decisions.${p.decision}`)}
                        </Badge>
                      ) : mayDecide ? (
                        <Stack gap={6}>
                          <Group gap={6}>
                            <Button size="compact-sm" onClick={() => decide(p.postTargetId, "resume")} loading={act.isPending}>
                              {t("crisis.held.decisions.resume")}
                            </Button>
                            <Button size="compact-sm" variant="default" onClick={() => decide(p.postTargetId, "edit")} loading={act.isPending}>
                              {t("crisis.held.decisions.edit")}
                            </Button>
                            <Button size="compact-sm" variant="default" color="red" onClick={() => decide(p.postTargetId, "discard")} loading={act.isPending}>
                              {t("crisis.held.decisions.discard")}
                            </Button>
                          </Group>
                          <Group gap={6} align="flex-end">
                            <DateTimeField
                              size="xs"
                              aria-label={t("crisis.held.newTime")}
                              description={viewerTimeZone()}
                              value={times[p.postTargetId] ?? ""}
                              onChange={(e) => setTimes({ ...times, [p.postTargetId]: e.currentTarget.value })}
                            />
                            <Button size="compact-sm" variant="default" disabled={!fromLocalInput(times[p.postTargetId] ?? "")} onClick={() => decide(p.postTargetId, "reschedule", fromLocalInput(times[p.postTargetId] ?? ""))}>
                              {t("crisis.held.decisions.reschedule")}
                            </Button>
                          </Group>
                        </Stack>
                      ) : (
                        <Badge variant="light" color="orange">
                          {t("crisis.held.decisions.pending")}
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </PanelCard>
  );
}

function TeamPanel({ crisis }: { crisis: Crisis }) {
  const { t } = useTranslation();
  const canManage = useCan("crisis.manage");
  const members = useMembers();
  const act = useCrisisAction(crisis.id);
  const [role, setRole] = useState<string | null>("member");
  const [person, setPerson] = useState<string | null>(null);
  const [backup, setBackup] = useState(false);
  const open = ["triage", "active", "stable"].includes(crisis.status);
  return (
    <PanelCard testId="crisis-team" title={t("crisis.team.title")}>
      {crisis.roles.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("crisis.team.empty")}
        </Text>
      ) : (
        <Stack gap={4}>
          {crisis.roles.map((r) => (
            <Group key={r.id} justify="space-between" wrap="nowrap">
              <Text size="sm">
                <b>{t(`crisis.roles.${r.role}`)}</b>
                {r.isBackup ? ` (${t("crisis.team.backup")})` : ""}: {r.name}
              </Text>
              {canManage && open && (
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => act.mutate({ method: "DELETE", path: `/roles/${r.id}` }, { onError: (err) => notifyError(t, err) })}>
                  {t("crisis.team.remove")}
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {canManage && open && (
        <Group align="flex-end" gap="xs">
          <Select label={t("crisis.team.role")} value={role} onChange={setRole} allowDeselect={false} data={CRISIS_ROLES.map((r) => ({ value: r, label: t(`crisis.roles.${r}`) }))} w={180} />
          <Select label={t("crisis.team.person")} searchable value={person} onChange={setPerson} data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name || m.email }))} w={220} />
          <Checkbox label={t("crisis.team.backup")} checked={backup} onChange={(e) => setBackup(e.currentTarget.checked)} mb={8} />
          <Button
            variant="default"
            disabled={!role || !person}
            loading={act.isPending}
            onClick={() => act.mutate({ method: "POST", path: "/roles", body: { role, userId: person, isBackup: backup } }, { onError: (err) => notifyError(t, err), onSuccess: () => setPerson(null) })}
          >
            {t("crisis.team.assign")}
          </Button>
        </Group>
      )}
      <Text size="xs" c="dimmed">
        {t("crisis.team.help")}
      </Text>
    </PanelCard>
  );
}
