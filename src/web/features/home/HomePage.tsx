import { Alert, Anchor, Badge, Card, Group, List, SimpleGrid, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconAlertTriangle, IconArrowRight, IconBuilding, IconCircleCheck, IconShieldCheck, IconShieldX, IconUsers } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useActiveMe, useCan } from "../../app/session";
import { Page } from "../../components/Page";
import { formatNumber } from "../../i18n/format";
import { useMembers } from "../members/hooks";
import { useTeams } from "../teams/hooks";
import { CreateWorkspaceForm } from "../workspace/WorkspaceSettingsPage";

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

/** Home: a short, honest risk overview of the workspace and what to do next. */
export function HomePage() {
  const { t } = useTranslation();
  const me = useActiveMe();
  const canReadMembers = useCan("members.read");
  const canUpdate = useCan("workspace.update");
  const canInvite = useCan("members.invite");
  const canManageTeams = useCan("teams.manage");
  const canReadAudit = useCan("audit.read");
  const members = useMembers();
  const teams = useTeams();

  if (!me.workspace) {
    return (
      <Page title={t("home.title")} description={t("home.noWorkspace")}>
        <CreateWorkspaceForm />
      </Page>
    );
  }
  const workspace = me.workspace;
  const withoutMfa = members.data?.filter((member) => !member.mfaEnabled) ?? [];

  const nextSteps: { key: string; to: string; label: string }[] = [];
  if (!me.user.mfaEnabled) nextSteps.push({ key: "mfa", to: "/account/security", label: t("home.next.enableMfa") });
  if (canUpdate && !workspace.requireMfa) nextSteps.push({ key: "require", to: "/settings/security", label: t("home.next.requireMfa") });
  if (canReadMembers && withoutMfa.length > 0) nextSteps.push({ key: "remind", to: "/settings/security", label: t("home.next.reviewMfa") });
  if (canInvite && members.data && members.data.length <= 1) nextSteps.push({ key: "invite", to: "/settings/members", label: t("home.next.invite") });
  if (canManageTeams && teams.data && teams.data.length === 0) nextSteps.push({ key: "teams", to: "/settings/teams", label: t("home.next.teams") });
  if (canReadMembers) nextSteps.push({ key: "access", to: "/settings/members", label: t("home.next.reviewAccess") });
  if (canReadAudit) nextSteps.push({ key: "audit", to: "/settings/audit", label: t("home.next.audit") });

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
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Tile icon={<IconBuilding size={20} />} color="blue" label={t("home.workspace")}>
          <Text fw={600}>{workspace.name}</Text>
          <Group gap={6}>
            <Text size="sm">{t("home.yourRole")}</Text>
            <Badge variant="light">{me.role ? t(`roles.${me.role}`) : "—"}</Badge>
          </Group>
        </Tile>
        <Tile
          icon={me.user.mfaEnabled ? <IconShieldCheck size={20} /> : <IconShieldX size={20} />}
          color={me.user.mfaEnabled ? "teal" : "red"}
          label={t("home.yourMfa")}
        >
          <Text fw={600} c={me.user.mfaEnabled ? "teal.9" : "red.9"}>
            {me.user.mfaEnabled ? t("home.mfaOn") : t("home.mfaOff")}
          </Text>
        </Tile>
        <Tile
          icon={workspace.requireMfa ? <IconShieldCheck size={20} /> : <IconShieldX size={20} />}
          color={workspace.requireMfa ? "teal" : "orange"}
          label={t("home.workspaceRequiresMfa")}
        >
          <Text fw={600}>{workspace.requireMfa ? t("common.yes") : t("common.no")}</Text>
          {!workspace.requireMfa && (
            <Text size="xs" c="dimmed">
              {t("home.requireMfaHint")}
            </Text>
          )}
        </Tile>
        <Tile icon={<IconUsers size={20} />} color={withoutMfa.length > 0 ? "orange" : "teal"} label={t("home.membersWithoutMfa")}>
          {!canReadMembers ? (
            <Text size="sm" c="dimmed">
              {t("home.notVisible")}
            </Text>
          ) : members.isPending ? (
            <Text size="sm" c="dimmed">
              {t("common.loading")}
            </Text>
          ) : members.isError ? (
            <Text size="sm" c="dimmed">
              {t("common.couldNotLoad")}
            </Text>
          ) : (
            <>
              <Text fw={600} fz="xl">
                {formatNumber(withoutMfa.length)}
              </Text>
              <Text size="xs" c="dimmed">
                {t("home.ofMembers", { count: members.data.length, formatted: formatNumber(members.data.length) })}
              </Text>
            </>
          )}
        </Tile>
      </SimpleGrid>

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
          <Text size="xs" c="dimmed">
            {t("home.moreSoon")}
          </Text>
        </Stack>
      </Card>
    </Page>
  );
}
