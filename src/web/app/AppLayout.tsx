import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  IconBellRinging,
  IconBuilding,
  IconCalendar,
  IconClipboardCheck,
  IconClockHour4,
  IconAlertTriangle,
  IconColumns,
  IconUserExclamation,
  IconMessageCircleSearch,
  IconFlask,
  IconHome,
  IconKey,
  IconListDetails,
  IconMail,
  IconPlugConnected,
  IconRoute,
  IconSend,
  IconShieldLock,
  IconUsers,
  IconUsersGroup,
  IconAlertOctagon,
  IconChecklist,
  IconTargetArrow,
} from "@tabler/icons-react";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation } from "react-router-dom";
import type { WorkspaceAction } from "../../contracts/roles";
import { Logo } from "../components/Logo";
import { useActiveMe } from "./session";
import { UserMenu } from "./UserMenu";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";
import { NeedsReconnectBanner } from "../features/channels/NeedsReconnectBanner";
import { PauseBanner } from "../features/publishing/PauseBanner";
import { WaitingCountBadge } from "../features/publishing/approvals";
import { OpenAlertsBadge } from "../features/listening-alerts/OpenAlertsBadge";
import { CrisisBanner } from "../features/crisis/CrisisBanner";

type NavEntry = { to: string; label: string; icon: ReactNode; visible: boolean };

/** The entries of the left rail, each shown only when the server says the person may use its page. */
function useNavEntries(): { main: NavEntry[]; listening: NavEntry[]; crisis: NavEntry[]; settings: NavEntry[] } {
  const { t } = useTranslation();
  const me = useActiveMe();
  const can = (action: WorkspaceAction) => me.can?.[action] === true;
  const icon = (Icon: typeof IconHome) => <Icon size={18} stroke={1.6} aria-hidden />;
  return {
    main: [
      { to: "/", label: t("nav.home"), icon: icon(IconHome), visible: true },
      { to: "/publishing", label: t("nav.publishing"), icon: icon(IconSend), visible: me.workspace !== null && can("posts.read") },
      { to: "/publishing/calendar", label: t("calendar.nav"), icon: icon(IconCalendar), visible: me.workspace !== null && can("posts.read") },
    ],
    // Listening: streams, mentions, then alerts and impostors (their pages add their entries here).
    listening: [
      { to: "/listening", label: t("nav.listeningStreams"), icon: icon(IconColumns), visible: me.workspace !== null && can("listening.read") },
      { to: "/listening/mentions", label: t("nav.listeningMentions"), icon: icon(IconMessageCircleSearch), visible: me.workspace !== null && can("listening.read") },
      { to: "/listening/alerts", label: t("nav.listeningAlerts"), icon: icon(IconAlertTriangle), visible: me.workspace !== null && can("listening.read") },
      { to: "/listening/impostors", label: t("nav.listeningImpostors"), icon: icon(IconUserExclamation), visible: me.workspace !== null && can("listening.read") },
    ],
    // Crisis: the crises, their plans, drills.
    crisis: [
      { to: "/crisis", label: t("nav.crises"), icon: icon(IconAlertOctagon), visible: me.workspace !== null && can("crisis.read") },
      { to: "/crisis/plans", label: t("nav.crisisPlans"), icon: icon(IconChecklist), visible: me.workspace !== null && can("crisis.read") },
      { to: "/crisis/drills", label: t("nav.crisisDrills"), icon: icon(IconTargetArrow), visible: me.workspace !== null && can("crisis.read") },
    ],
    settings: [
      { to: "/settings/workspace", label: t("nav.workspace"), icon: icon(IconBuilding), visible: me.workspace !== null && can("workspace.read") },
      { to: "/settings/channels", label: t("nav.channels"), icon: icon(IconPlugConnected), visible: can("channels.read") },
      { to: "/settings/channel-access", label: t("nav.channelAccess"), icon: icon(IconKey), visible: can("channels.manage") },
      { to: "/settings/approval-workflows", label: t("nav.approvalWorkflows"), icon: icon(IconRoute), visible: can("approvals.manage") },
      { to: "/settings/posting-queues", label: t("nav.postingQueues"), icon: icon(IconClockHour4), visible: me.workspace !== null && can("posts.read") && can("channels.read") },
      { to: "/settings/access-review", label: t("nav.accessReview"), icon: icon(IconClipboardCheck), visible: can("access_review.read") },
      { to: "/settings/alert-destinations", label: t("nav.alertDestinations"), icon: icon(IconBellRinging), visible: me.workspace !== null && can("alerts.destinations") },
      { to: "/settings/members", label: t("nav.members"), icon: icon(IconUsers), visible: can("members.read") },
      { to: "/settings/teams", label: t("nav.teams"), icon: icon(IconUsersGroup), visible: can("teams.read") },
      { to: "/settings/security", label: t("nav.security"), icon: icon(IconShieldLock), visible: can("workspace.update") || can("members.read") },
      { to: "/settings/audit", label: t("nav.audit"), icon: icon(IconListDetails), visible: can("audit.read") },
      { to: "/settings/outbox", label: t("nav.outbox"), icon: icon(IconMail), visible: can("outbox.read") },
      { to: "/settings/sandbox", label: t("sandbox.title"), icon: icon(IconFlask), visible: can("sandbox.manage") },
    ],
  };
}

/** The signed-in frame: top bar (brand switcher, person's menu) and the navigation rail. */
export function AppLayout({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  const me = useActiveMe();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const { main, listening, crisis, settings } = useNavEntries();
  const visibleListening = listening.filter((entry) => entry.visible);
  const visibleCrisis = crisis.filter((entry) => entry.visible);
  const visibleSettings = settings.filter((entry) => entry.visible);

  useEffect(close, [location.pathname, close]);

  const link = (entry: NavEntry) => {
    // The longest entry that contains the page is the active one (the calendar, not Publishing, on /publishing/calendar).
    const within = (to: string) => (to === "/" ? location.pathname === "/" : location.pathname.startsWith(to));
    const active = within(entry.to) && ![...main, ...listening, ...crisis, ...settings].some((other) => other.to.length > entry.to.length && other.to.startsWith(entry.to) && within(other.to));
    return (
      <NavLink
        key={entry.to}
        component={Link}
        to={entry.to}
        label={entry.label}
        leftSection={entry.icon}
        rightSection={entry.to === "/publishing" ? <WaitingCountBadge /> : entry.to === "/listening/alerts" ? <OpenAlertsBadge /> : undefined}
        active={active}
        aria-current={active ? "page" : undefined}
        variant="light"
      />
    );
  };

  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <AppShell header={{ height: 60 }} navbar={{ width: 250, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="lg">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap" miw={0}>
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? t("nav.close") : t("nav.open")} aria-expanded={opened} />
              <Link to="/" aria-label={t("app.homeLink")} style={{ textDecoration: "none" }}>
                <Logo compact />
              </Link>
              <WorkspaceSwitcher />
            </Group>
            <UserMenu />
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" aria-label={t("nav.label")}>
          <AppShell.Section grow component={ScrollArea}>
            {main.filter((entry) => entry.visible).map(link)}
            {visibleListening.length > 0 && (
              <>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="lg" pb={4} id="nav-listening">
                  {t("nav.listening")}
                </Text>
                <div role="group" aria-labelledby="nav-listening">
                  {visibleListening.map(link)}
                </div>
              </>
            )}
            {visibleCrisis.length > 0 && (
              <>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="lg" pb={4} id="nav-crisis">
                  {t("nav.crisis")}
                </Text>
                <div role="group" aria-labelledby="nav-crisis">
                  {visibleCrisis.map(link)}
                </div>
              </>
            )}
            {visibleSettings.length > 0 && (
              <>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="lg" pb={4} id="nav-settings">
                  {t("nav.settings")}
                </Text>
                <div role="group" aria-labelledby="nav-settings">
                  {visibleSettings.map(link)}
                </div>
              </>
            )}
          </AppShell.Section>
          {me.workspace?.isDemo && (
            <AppShell.Section pt="sm">
              <Badge variant="light" color="grape" fullWidth>
                {t("app.demoWorkspace")}
              </Badge>
            </AppShell.Section>
          )}
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1}>
          <CrisisBanner />
          <PauseBanner />
          <NeedsReconnectBanner />
          {children ?? <Outlet />}
        </AppShell.Main>
      </AppShell>
    </>
  );
}
