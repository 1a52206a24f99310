import { Alert, Anchor, Badge, Card, Group, List, SimpleGrid, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import {
  IconAlertTriangle,
  IconArrowRight,
  IconBell,
  IconBuilding,
  IconCalendarClock,
  IconChecklist,
  IconCircleCheck,
  IconClipboardCheck,
  IconClockPause,
  IconFileAlert,
  IconHourglassEmpty,
  IconKey,
  IconMask,
  IconPlayerPause,
  IconPlugConnectedX,
  IconRss,
  IconShieldCheck,
  IconShieldX,
  IconUrgent,
  IconUserExclamation,
  IconUsers,
} from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Overview } from "../../../contracts/overview";
import { useActiveMe, useCan } from "../../app/session";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { formatDate, formatNumber } from "../../i18n/format";
import { useTeams } from "../teams/hooks";
import { CreateWorkspaceForm } from "../workspace/WorkspaceSettingsPage";
import { useOverview } from "./hooks";
import { pausedByText } from "../publishing/paused-by";

const ALERT_KINDS = ["spike", "negative_turn", "keyword", "impostor"] as const;

function Tile({ icon, color, label, children }: { icon: ReactNode; color: string; label: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg">
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <ThemeIcon variant="light" color={color} size="lg" radius="md" aria-hidden>
          {icon}
        </ThemeIcon>
        <Stack gap={4} miw={0}>
          <Text size="sm" c="dimmed" fw={500}>
            {label}
          </Text>
          {children}
        </Stack>
      </Group>
    </Card>
  );
}

/** One thing the overview checks: when it needs attention, a card with its count; otherwise a line under "In order". */
type Check = {
  key: string;
  icon: ReactNode;
  label: string;
  to: string;
  linkLabel: string;
  /** null: in order. */
  attention: { tone: "red" | "orange"; /** null: a state, not a number of things (the access review). */ count: number | null; detail?: ReactNode; step: string } | null;
  okText: string;
};

function AttentionCard({ check }: { check: Check & { attention: NonNullable<Check["attention"]> } }) {
  const { tone, count, detail } = check.attention;
  return (
    <Card withBorder padding="lg" style={{ borderInlineStart: `4px solid var(--mantine-color-${tone}-6)` }} data-testid={`attention-${check.key}`} data-tone={tone}>
      <Stack gap="xs" h="100%">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon variant="light" color={tone} size="lg" radius="md" aria-hidden>
            {check.icon}
          </ThemeIcon>
          <Stack gap={2} miw={0}>
            <Text size="sm" fw={600}>
              {check.label}
            </Text>
            {count !== null && (
              <Text fz={28} fw={700} lh={1.1} c={`${tone}.9`}>
                {formatNumber(count)}
              </Text>
            )}
          </Stack>
        </Group>
        {detail && (
          <Text size="sm" c="dimmed" component="div">
            {detail}
          </Text>
        )}
        <Anchor component={Link} to={check.to} size="sm" fw={600} mt="auto">
          {check.linkLabel}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** Builds the checks from the overview: only the sections the reader may read. */
function useChecks(overview: Overview | undefined): Check[] {
  const { t } = useTranslation();
  // Plans and partners' access are shown to those who can change them; for others they are nothing to act on.
  const canKeepPlans = useCan("crisis.plans");
  const canChangeAccess = useCan("members.change_role");
  // Others' two-factor is for those who can require it of everyone.
  const canRequireMfa = useCan("workspace.update");
  if (!overview) return [];
  const { windows } = overview;
  const days = windows.recentDays;
  const n = (count: number) => ({ count, formatted: formatNumber(count) });
  const checks: Check[] = [];
  const { publishing, approvals, listening, crisis, channels, people, accessReview, apiTokens } = overview;

  if (crisis) {
    for (const open of crisis.open) {
      checks.push({
        key: `crisis-${open.id}`,
        icon: <IconUrgent size={20} />,
        label: t(open.isDrill ? "home.crisis.drillTitle" : "home.crisis.title", { ref: open.ref, title: open.title }),
        to: `/crisis/${open.id}`,
        linkLabel: t("home.crisis.open"),
        okText: "",
        attention: {
          // A drill needs the team's attention too, but it is not an emergency.
          tone: open.isDrill ? "orange" : "red",
          count: null,
          detail: (
            <Group gap="xs">
              <Badge color={open.isDrill ? "orange" : "red"} variant="light">
                {open.severityName}
              </Badge>
              <span>
                {t(`crisis.status.${open.status}`, { defaultValue: open.status })} · {t("home.crisis.declared")} <RelativeTime value={open.declaredAt} />
              </span>
            </Group>
          ),
          step: t("home.next.crisis", { ref: open.ref }),
        },
      });
    }
    // A drill started but not yet declared: its crisis is not open yet.
    for (const drill of crisis.open.some((c) => c.isDrill) ? [] : crisis.drillsRunning) {
      checks.push({
        key: `drill-${drill.id}`,
        icon: <IconUrgent size={20} />,
        label: drill.planName ? t("home.drill.title", { plan: drill.planName }) : t("home.drill.titleNoPlan"),
        to: `/crisis/drills/${drill.id}`,
        linkLabel: t("home.drill.open"),
        okText: "",
        attention: {
          tone: "orange",
          count: null,
          detail: (
            <>
              {t("home.drill.started")} <RelativeTime value={drill.startedAt} />
            </>
          ),
          step: t("home.drill.open"),
        },
      });
    }
    if (!crisis.open.length && !crisis.drillsRunning.length) checks.push({ key: "crisis", icon: null, label: "", to: "/crisis", linkLabel: "", okText: t("home.inOrder.noCrisis"), attention: null });
  }
  if (publishing) {
    for (const pause of publishing.pauses) {
      checks.push({
        key: `pause-${pause.id}`,
        icon: <IconPlayerPause size={20} />,
        label: pause.channelCount === null ? t("home.paused.workspace") : t("home.paused.channels", { count: pause.channelCount, formatted: formatNumber(pause.channelCount) }),
        to: "/publishing/held",
        linkLabel: t("home.paused.open", { formatted: formatNumber(publishing.held) }),
        okText: "",
        attention: {
          tone: "orange",
          count: null,
          detail: (
            <>
              {pause.pausedByName || pause.pausedVia ? t("home.paused.by", { name: pausedByText(t, pause) }) : t("home.paused.byUnknown")} <RelativeTime value={pause.pausedAt} />
              {pause.reason ? ` — ${t("home.paused.reason", { reason: pause.reason })}` : ""}
            </>
          ),
          step: t("home.next.paused"),
        },
      });
    }
    if (!publishing.pauses.length) checks.push({ key: "pause", icon: null, label: "", to: "/publishing", linkLabel: "", okText: t("home.inOrder.notPaused"), attention: null });
  }
  if (approvals) {
    checks.push({
      key: "approvals",
      icon: <IconChecklist size={20} />,
      label: t("home.checks.approvals.label"),
      to: "/publishing/approvals",
      linkLabel: t("home.checks.approvals.link"),
      okText: t("home.checks.approvals.ok"),
      attention: approvals.waitingForMe
        ? {
            tone: "orange",
            count: approvals.waitingForMe,
            detail: approvals.dueSoon ? t("home.checks.approvals.dueSoon", { ...n(approvals.dueSoon), hours: formatNumber(windows.scheduledHours) }) : t("home.checks.approvals.notSoon", { hours: formatNumber(windows.scheduledHours) }),
            step: t("home.next.approvals", n(approvals.waitingForMe)),
          }
        : null,
    });
  }
  if (publishing) {
    checks.push({
      key: "failed",
      icon: <IconFileAlert size={20} />,
      label: t("home.checks.failed.label", { days: formatNumber(days) }),
      to: "/publishing?status=failed",
      linkLabel: t("home.checks.failed.link"),
      okText: t("home.checks.failed.ok", { days: formatNumber(days) }),
      attention: publishing.failedRecently ? { tone: "red", count: publishing.failedRecently, detail: t("home.checks.failed.detail"), step: t("home.next.failed", n(publishing.failedRecently)) } : null,
    });
    checks.push({
      key: "held",
      icon: <IconClockPause size={20} />,
      label: t("home.checks.held.label"),
      to: "/publishing/held",
      linkLabel: t("home.checks.held.link"),
      okText: t("home.checks.held.ok"),
      attention: publishing.held
        ? // While paused, the pause's own step ("decide when to resume, and on each held post") covers them.
          { tone: "orange", count: publishing.held, detail: t("home.checks.held.detail"), step: publishing.pauses.length ? "" : t("home.next.held", n(publishing.held)) }
        : null,
    });
    checks.push({
      key: "expired",
      icon: <IconHourglassEmpty size={20} />,
      label: t("home.checks.expired.label", { days: formatNumber(days) }),
      to: "/publishing?status=expired",
      linkLabel: t("home.checks.expired.link"),
      okText: t("home.checks.expired.ok", { days: formatNumber(days) }),
      attention: publishing.expiredRecently ? { tone: "orange", count: publishing.expiredRecently, detail: t("home.checks.expired.detail"), step: t("home.next.expired", n(publishing.expiredRecently)) } : null,
    });
  }
  if (channels) {
    checks.push({
      key: "channels",
      icon: <IconPlugConnectedX size={20} />,
      label: t("home.checks.channels.label"),
      to: "/settings/channels",
      linkLabel: t("home.checks.channels.link"),
      // No channel yet is not "in order": it is the first setup step (Next things to do).
      okText: channels.total ? t("home.checks.channels.ok") : "",
      attention: channels.needsReconnect ? { tone: "red", count: channels.needsReconnect, detail: t("home.checks.channels.detail"), step: t("home.next.reconnect", n(channels.needsReconnect)) } : null,
    });
    if (channels.credentialsExpiring && !channels.needsReconnect) {
      // Not alarming: most networks' access is renewed automatically three days before it ends.
      checks[checks.length - 1].okText = `${t("home.checks.channels.ok")} ${t("home.checks.channels.expiring", { ...n(channels.credentialsExpiring), days: formatNumber(windows.expiringDays) })}`;
    }
  }
  if (listening) {
    const kinds = ALERT_KINDS.filter((kind) => listening.openByKind[kind] > 0);
    checks.push({
      key: "alerts",
      icon: <IconBell size={20} />,
      label: t("home.checks.alerts.label"),
      to: "/listening/alerts?status=open",
      linkLabel: t("home.checks.alerts.link"),
      okText: t("home.checks.alerts.ok"),
      attention: listening.openAlerts
        ? {
            tone: "orange",
            count: listening.openAlerts,
            detail: (
              <Group gap={6}>
                {kinds.map((kind) => (
                  <Anchor key={kind} component={Link} to={`/listening/alerts?status=open&kind=${kind}`} size="sm">
                    {t("home.checks.alerts.kind", { kind: t(`listeningAlerts.kind.${kind}`), formatted: formatNumber(listening.openByKind[kind]) })}
                  </Anchor>
                ))}
              </Group>
            ),
            step: t("home.next.alerts", n(listening.openAlerts)),
          }
        : null,
    });
    checks.push({
      key: "impostors",
      icon: <IconMask size={20} />,
      label: t("home.checks.impostors.label"),
      to: "/listening/impostors",
      linkLabel: t("home.checks.impostors.link"),
      okText: t("home.checks.impostors.ok"),
      attention: listening.impostorsToReview ? { tone: "orange", count: listening.impostorsToReview, detail: t("home.checks.impostors.detail"), step: t("home.next.impostors", n(listening.impostorsToReview)) } : null,
    });
    const troubled = listening.sourcesFailing + listening.sourcesBehind;
    checks.push({
      key: "sources",
      icon: <IconRss size={20} />,
      label: t("home.checks.sources.label"),
      to: "/listening",
      linkLabel: t("home.checks.sources.link"),
      // No source yet is not "in order": adding one is a setup step (Next things to do).
      okText: listening.sources ? t("home.checks.sources.ok") : "",
      attention: troubled
        ? {
            tone: listening.sourcesFailing ? "red" : "orange",
            count: troubled,
            detail: t("home.checks.sources.detail", { failing: formatNumber(listening.sourcesFailing), behind: formatNumber(listening.sourcesBehind) }),
            step: t("home.next.sources"),
          }
        : null,
    });
  }
  if (crisis) {
    const lastDrill = crisis.lastDrilledAt ? <RelativeTime value={crisis.lastDrilledAt} /> : null;
    const drillOverdue = !crisis.lastDrilledAt || Date.now() - new Date(crisis.lastDrilledAt).getTime() > crisis.drillDueDays * 86_400_000;
    if (canKeepPlans) checks.push({
      key: "plans",
      icon: <IconClipboardCheck size={20} />,
      label: crisis.plans ? t("home.checks.plans.label") : t("home.checks.plans.noPlans"),
      to: "/crisis/plans",
      linkLabel: t("home.checks.plans.link"),
      okText: t("home.checks.plans.ok"),
      attention:
        crisis.plans === 0 || crisis.plansNotReady > 0
          ? {
              tone: "orange",
              count: crisis.plans === 0 ? null : crisis.plansNotReady,
              detail: (
                <Stack gap={2}>
                  {crisis.plans > 0 && <span>{t("home.checks.plans.ofPlans", n(crisis.plans))}</span>}
                  <span>
                    {lastDrill ? (
                      <>
                        {t("home.checks.plans.lastDrill")} {lastDrill}
                      </>
                    ) : (
                      t("home.checks.plans.neverDrilled")
                    )}
                    {drillOverdue && lastDrill ? ` — ${t("home.checks.plans.drillOverdue", { days: formatNumber(crisis.drillDueDays) })}` : ""}
                  </span>
                </Stack>
              ),
              step: crisis.plans === 0 ? t("home.next.firstPlan") : t("home.next.plans"),
            }
          : null,
    });
  }
  if (people) {
    if (canRequireMfa) checks.push({
      key: "mfa",
      icon: <IconShieldX size={20} />,
      label: t("home.membersWithoutMfa"),
      to: "/settings/security",
      linkLabel: t("home.checks.mfa.link"),
      okText: t("home.checks.mfa.ok"),
      attention: people.withoutMfa ? { tone: "orange", count: people.withoutMfa, detail: t("home.ofMembers", n(people.members)), step: t("home.next.reviewMfa") } : null,
    });
    if (canChangeAccess) checks.push({
      key: "partners",
      icon: <IconUserExclamation size={20} />,
      label: t("home.checks.partners.label", { days: formatNumber(windows.expiringDays) }),
      to: "/settings/members",
      linkLabel: t("home.checks.partners.link"),
      okText: t("home.checks.partners.ok", { days: formatNumber(windows.expiringDays) }),
      attention: people.partnersEnding.length
        ? {
            tone: "orange",
            count: people.partnersEnding.length,
            detail: (
              <Stack gap={2}>
                {people.partnersEnding.slice(0, 3).map((p) => (
                  <span key={p.userId}>
                    {t("home.checks.partners.person", { name: p.name, organization: p.organization })} <RelativeTime value={p.accessEndsAt} />
                  </span>
                ))}
              </Stack>
            ),
            step: t("home.next.partners", n(people.partnersEnding.length)),
          }
        : null,
    });
  }
  if (accessReview) {
    checks.push({
      key: "accessReview",
      icon: <IconUsers size={20} />,
      label: t("home.checks.accessReview.label", { quarter: accessReview.quarter }),
      to: "/settings/access-review",
      linkLabel: t("home.checks.accessReview.link"),
      okText: t("home.checks.accessReview.ok", { quarter: accessReview.quarter }),
      attention: accessReview.signedOff
        ? null
        : { tone: "orange", count: null, detail: t("home.checks.accessReview.due", { date: formatDate(new Date(new Date(accessReview.dueBy).getTime() - 1)) }), step: t("home.next.accessReview", { quarter: accessReview.quarter }) },
    });
  }
  if (apiTokens) {
    checks.push({
      key: "tokens",
      icon: <IconKey size={20} />,
      label: t("home.checks.tokens.label", { days: formatNumber(windows.expiringDays) }),
      to: "/account/api-tokens",
      linkLabel: t("home.checks.tokens.link"),
      okText: t("home.checks.tokens.ok", { days: formatNumber(windows.expiringDays) }),
      attention: apiTokens.expiringSoon.length
        ? {
            tone: "orange",
            count: apiTokens.expiringSoon.length,
            detail: (
              <Stack gap={2}>
                {apiTokens.expiringSoon.slice(0, 3).map((token) => (
                  <span key={token.id}>
                    {t("home.checks.tokens.token", { name: token.name })} <RelativeTime value={token.expiresAt} />
                  </span>
                ))}
              </Stack>
            ),
            step: t("home.next.tokens", n(apiTokens.expiringSoon.length)),
          }
        : null,
    });
  }
  return checks;
}

/** Home: what needs attention now in the workspace, each with its count and the page where it is handled. */
export function HomePage() {
  const { t } = useTranslation();
  const me = useActiveMe();
  const canUpdate = useCan("workspace.update");
  const canInvite = useCan("members.invite");
  const canManageTeams = useCan("teams.manage");
  const canManageChannels = useCan("channels.manage");
  const canManageListening = useCan("listening.manage");
  const teams = useTeams();
  const overview = useOverview();
  const checks = useChecks(overview.data);

  if (!me.workspace) {
    return (
      <Page title={t("home.title")} description={t("home.noWorkspace")}>
        <CreateWorkspaceForm />
      </Page>
    );
  }
  const workspace = me.workspace;
  const data = overview.data;
  const attention = checks.filter((c): c is Check & { attention: NonNullable<Check["attention"]> } => c.attention !== null);
  // Red first: what stops the brand from publishing or listening, then what waits for a decision.
  attention.sort((a, b) => (a.attention.tone === b.attention.tone ? 0 : a.attention.tone === "red" ? -1 : 1));
  const inOrder = checks.filter((c) => c.attention === null && c.okText);
  const calm = Boolean(data) && attention.length === 0;

  const nextSteps: { key: string; to: string; label: string }[] = [];
  for (const check of attention) if (check.attention.step) nextSteps.push({ key: check.key, to: check.to, label: check.attention.step });
  if (canManageChannels && data?.channels && data.channels.total === 0) nextSteps.push({ key: "connect", to: "/settings/channels", label: t("home.next.connect") });
  if (canManageListening && data?.listening && data.listening.sources === 0) nextSteps.push({ key: "listen", to: "/listening", label: t("home.next.addSource") });
  if (!me.user.mfaEnabled) nextSteps.push({ key: "mfa", to: "/account/security", label: t("home.next.enableMfa") });
  if (canUpdate && !workspace.requireMfa) nextSteps.push({ key: "require", to: "/settings/security", label: t("home.next.requireMfa") });
  if (canInvite && data?.people && data.people.members <= 1) nextSteps.push({ key: "invite", to: "/settings/members", label: t("home.next.invite") });
  if (canManageTeams && teams.data && teams.data.length === 0) nextSteps.push({ key: "teams", to: "/settings/teams", label: t("home.next.teams") });

  return (
    <Page title={t("home.title")} description={t("home.description")}>
      {!me.user.mfaEnabled && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t("home.mfaOffTitle")}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t("home.mfaOffText")}</Text>
            <Anchor component={Link} to="/account/security" size="sm" fw={600} c="var(--mantine-color-red-light-color)" underline="always">
              {t("home.mfaOffAction")}
            </Anchor>
          </Stack>
        </Alert>
      )}

      <QueryState query={overview}>
        {() => (
          <>
            {calm ? (
              <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title={t("home.calm.title")} data-testid="overview-calm">
                <Text size="sm">{t("home.calm.text")}</Text>
              </Alert>
            ) : (
              attention.length > 0 && (
                <section aria-labelledby="attention-heading">
                  <Title order={2} fz="h4" id="attention-heading" mb="sm">
                    {t("home.attentionTitle")}
                  </Title>
                  <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
                    {attention.map((check) => (
                      <AttentionCard key={check.key} check={check} />
                    ))}
                  </SimpleGrid>
                </section>
              )
            )}

            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
              <Tile icon={<IconBuilding size={20} />} color="blue" label={t("home.workspace")}>
                <Text fw={600}>{workspace.name}</Text>
                <Group gap={6}>
                  <Text size="sm">{t("home.yourRole")}</Text>
                  <Badge variant="light">{me.role ? t(`roles.${me.role}`) : "—"}</Badge>
                </Group>
              </Tile>
              <Tile icon={me.user.mfaEnabled ? <IconShieldCheck size={20} /> : <IconShieldX size={20} />} color={me.user.mfaEnabled ? "teal" : "red"} label={t("home.yourMfa")}>
                <Text fw={600} c={me.user.mfaEnabled ? "teal.9" : "red.9"}>
                  {me.user.mfaEnabled ? t("home.mfaOn") : t("home.mfaOff")}
                </Text>
              </Tile>
              <Tile icon={workspace.requireMfa ? <IconShieldCheck size={20} /> : <IconShieldX size={20} />} color={workspace.requireMfa ? "teal" : "orange"} label={t("home.workspaceRequiresMfa")}>
                <Text fw={600}>{workspace.requireMfa ? t("common.yes") : t("common.no")}</Text>
                {!workspace.requireMfa && (
                  <Text size="xs" c="dimmed">
                    {t("home.requireMfaHint")}
                  </Text>
                )}
              </Tile>
              {data?.publishing && (
                <Tile icon={<IconCalendarClock size={20} />} color="blue" label={t("home.scheduled.label", { hours: formatNumber(data.windows.scheduledHours) })}>
                  <Text fw={600} fz="xl">
                    {formatNumber(data.publishing.scheduledSoon)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {data.publishing.nextScheduledAt ? (
                      <>
                        {t("home.scheduled.next")} <RelativeTime value={data.publishing.nextScheduledAt} />
                      </>
                    ) : (
                      t("home.scheduled.none")
                    )}
                  </Text>
                  <Anchor component={Link} to="/publishing/calendar" size="xs">
                    {t("home.scheduled.link")}
                  </Anchor>
                </Tile>
              )}
            </SimpleGrid>

            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Card withBorder padding="lg" component="section" aria-labelledby="next-heading">
                <Stack gap="sm">
                  <Title order={2} fz="h4" id="next-heading">
                    {t("home.nextTitle")}
                  </Title>
                  {nextSteps.length === 0 ? (
                    <Group gap="xs">
                      <IconCircleCheck color="var(--mantine-color-teal-8)" aria-hidden />
                      <Text size="sm">{t("home.nothingToDo")}</Text>
                    </Group>
                  ) : (
                    <List spacing="xs" icon={<IconArrowRight size={16} aria-hidden style={{ transform: "scaleX(var(--arrow-flip, 1))" }} />} center>
                      {nextSteps.map((step) => (
                        <List.Item key={step.key}>
                          <Anchor component={Link} to={step.to} size="sm">
                            {step.label}
                          </Anchor>
                        </List.Item>
                      ))}
                    </List>
                  )}
                </Stack>
              </Card>
              {inOrder.length > 0 && (
                <Card withBorder padding="lg" component="section" aria-labelledby="in-order-heading">
                  <Stack gap="sm">
                    <Title order={2} fz="h4" id="in-order-heading">
                      {t("home.inOrderTitle")}
                    </Title>
                    <List spacing="xs" icon={<IconCircleCheck size={16} color="var(--mantine-color-teal-8)" aria-hidden />} center>
                      {inOrder.map((check) => (
                        <List.Item key={check.key}>
                          <Anchor component={Link} to={check.to} size="sm" c="var(--mantine-color-text)">
                            {check.okText}
                          </Anchor>
                        </List.Item>
                      ))}
                    </List>
                  </Stack>
                </Card>
              )}
            </SimpleGrid>
          </>
        )}
      </QueryState>
    </Page>
  );
}
