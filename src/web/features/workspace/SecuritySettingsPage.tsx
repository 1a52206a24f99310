import { Alert, Badge, Card, Stack, Switch, Table, Text, Title } from "@mantine/core";
import { IconShieldCheck } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useActiveMe, useCan } from "../../app/session";
import { useConfirm } from "../../components/confirm";
import { Empty } from "../../components/Empty";
import { errorText } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { formatNumber } from "../../i18n/format";
import { useMembers } from "../members/hooks";
import { useUpdateWorkspace } from "./hooks";
import { SsoSettingsSection } from "../sso/SsoSettingsSection";
import { ScimSettingsSection } from "../scim/ScimSettingsSection";

/** /settings/security: require MFA in the workspace, and who has not set it up yet. */
export function SecuritySettingsPage() {
  const { t } = useTranslation();
  const me = useActiveMe();
  const canUpdate = useCan("workspace.update");
  const canReadMembers = useCan("members.read");
  const confirm = useConfirm();
  const update = useUpdateWorkspace();
  const members = useMembers();
  const workspace = me.workspace;
  if (!workspace) return null;
  const withoutMfa = members.data?.filter((member) => !member.mfaEnabled) ?? [];

  const toggle = async (requireMfa: boolean) => {
    const ok = await confirm({
      title: requireMfa ? t("workspaceSecurity.requireTitle") : t("workspaceSecurity.stopTitle"),
      message: requireMfa
        ? t("workspaceSecurity.requireMessage", { count: withoutMfa.length, formatted: formatNumber(withoutMfa.length) })
        : t("workspaceSecurity.stopMessage"),
      confirmLabel: requireMfa ? t("workspaceSecurity.require") : t("workspaceSecurity.stop"),
      danger: !requireMfa,
    });
    if (!ok) return;
    update.mutate(
      { requireMfa },
      { onSuccess: () => notifySuccess(requireMfa ? t("workspaceSecurity.requiredToast") : t("workspaceSecurity.notRequiredToast")) },
    );
  };

  return (
    <Page title={t("workspaceSecurity.title")} description={t("workspaceSecurity.description")}>
      <Card withBorder padding="lg" component="section" aria-labelledby="require-heading">
        <Stack gap="sm">
          <Title order={2} fz="h4" id="require-heading">
            {t("workspaceSecurity.requireHeading")}
          </Title>
          <Switch
            size="md"
            checked={workspace.requireMfa}
            disabled={!canUpdate || update.isPending}
            onChange={(event) => void toggle(event.currentTarget.checked)}
            label={t("workspaceSecurity.switchLabel")}
            description={t("workspaceSecurity.switchHint")}
          />
          {!canUpdate && (
            <Text size="sm" c="dimmed">
              {t("workspaceSecurity.onlyAdmins")}
            </Text>
          )}
          {update.error && (
            <Alert color="red" role="alert">
              {errorText(t, update.error)}
            </Alert>
          )}
        </Stack>
      </Card>
      {canUpdate && <SsoSettingsSection />}
      {canUpdate && <ScimSettingsSection />}
      {canReadMembers && (
        <Stack gap="sm" component="section" aria-labelledby="without-heading">
          <Title order={2} fz="h4" id="without-heading">
            {t("workspaceSecurity.withoutMfa")}
          </Title>
          <QueryState query={members}>
            {(list) =>
              withoutMfa.length === 0 ? (
                <Card withBorder>
                  <Empty
                    icon={<IconShieldCheck aria-hidden />}
                    title={t("workspaceSecurity.allHaveMfa")}
                    description={t("workspaceSecurity.allHaveMfaText", { count: list.length, formatted: formatNumber(list.length) })}
                  />
                </Card>
              ) : (
                <Card withBorder padding={0}>
                  <Table.ScrollContainer minWidth={560}>
                    <Table>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t("members.person")}</Table.Th>
                          <Table.Th>{t("members.role")}</Table.Th>
                          <Table.Th>{t("members.lastSeen")}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {withoutMfa.map((member) => (
                          <Table.Tr key={member.userId}>
                            <Table.Td>
                              <Text size="sm" fw={500}>
                                {member.name}
                              </Text>
                              <Text size="xs" c="dimmed" className="ltr-value">
                                {member.email}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              <Badge variant="light" color="gray">
                                {t(`roles.${member.role}`)}
                              </Badge>
                            </Table.Td>
                            <Table.Td>
                              <RelativeTime value={member.lastSeenAt} />
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Card>
              )
            }
          </QueryState>
        </Stack>
      )}
    </Page>
  );
}
