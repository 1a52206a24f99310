import { Alert, Badge, Button, Card, Code, Group, List, Modal, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconPlus, IconUsersGroup } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmedRowAction } from "../../components/confirm";
import { CopyField } from "../../components/CopyField";
import { Empty } from "../../components/Empty";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { useCreateScimToken, useRevokeScimToken, useScimSettings, type ScimToken } from "./hooks";

/**
 * Settings → Security, "Provisioning (SCIM)": the base URL to give the identity provider, its bearer tokens (each
 * shown once), and what deprovisioning does.
 */
export function ScimSettingsSection() {
  const { t } = useTranslation();
  const settings = useScimSettings();
  const create = useCreateScimToken();
  const revoke = useRevokeScimToken();
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<{ token: string; scimToken: ScimToken } | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameError(t("validation.required"));
      return;
    }
    setNameError(undefined);
    create.mutate(name.trim(), {
      onSuccess: (result) => {
        setName("");
        setCreated(result);
      },
    });
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="scim-heading">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} fz="h4" id="scim-heading">
            {t("scim.heading")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("scim.intro")}
          </Text>
        </Stack>
        <QueryState query={settings}>
          {({ baseUrl, tokens }) => (
            <Stack gap="md">
              <CopyField label={t("scim.baseUrl")} description={t("scim.baseUrlHint")} value={baseUrl} />
              <form onSubmit={submit} noValidate aria-label={t("scim.newToken")}>
                <Group align="flex-start" wrap="wrap">
                  <TextInput
                    label={t("scim.tokenName")}
                    description={t("scim.tokenNameHint")}
                    value={name}
                    onChange={(event) => setName(event.currentTarget.value)}
                    error={nameError ?? fieldError(t, create.error, "name")}
                    maxLength={60}
                    required
                    style={{ flex: "1 1 16rem" }}
                  />
                  <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={create.isPending} mt={{ base: 0, sm: 44 }}>
                    {t("scim.create")}
                  </Button>
                </Group>
              </form>
              {create.error && !hasOnlyFieldErrors(create.error, ["name"]) && (
                <Alert color="red" role="alert">
                  {errorText(t, create.error)}
                </Alert>
              )}
              {tokens.length === 0 ? (
                <Empty icon={<IconUsersGroup aria-hidden />} title={t("scim.emptyTitle")} description={t("scim.emptyText")} />
              ) : (
                <Table.ScrollContainer minWidth={640}>
                  <Table aria-label={t("scim.tokens")}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t("scim.tokenName")}</Table.Th>
                        <Table.Th>{t("scim.status")}</Table.Th>
                        <Table.Th>{t("scim.createdAt")}</Table.Th>
                        <Table.Th>{t("scim.lastUsed")}</Table.Th>
                        <Table.Th>
                          <span className="visually-hidden">{t("common.actions")}</span>
                        </Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {tokens.map((token) => (
                        <Table.Tr key={token.id}>
                          <Table.Td>
                            <Text size="sm" fw={500}>
                              {token.name}
                            </Text>
                            <Text size="xs" c="dimmed" className="ltr-value" ff="monospace">
                              {token.prefix}…
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            {token.revokedAt ? (
                              <Badge color="gray" variant="light">
                                {t("scim.revokedStatus")}
                              </Badge>
                            ) : (
                              <Badge color="teal" variant="light">
                                {t("scim.active")}
                              </Badge>
                            )}
                          </Table.Td>
                          <Table.Td>
                            <RelativeTime value={token.createdAt} />
                          </Table.Td>
                          <Table.Td>
                            <RelativeTime value={token.lastUsedAt} fallback={t("scim.neverUsed")} />
                          </Table.Td>
                          <Table.Td ta="end">
                            {!token.revokedAt && (
                              <ConfirmedRowAction
                                label={t("scim.revoke")}
                                ariaLabel={t("scim.revokeLabel", { name: token.name })}
                                confirm={{ title: t("scim.revokeTitle"), message: t("scim.revokeMessage", { name: token.name }), confirmLabel: t("scim.revoke") }}
                                onConfirmed={() =>
                                  revoke.mutate(token, {
                                    onSuccess: () => notifySuccess(t("scim.revoked", { name: token.name })),
                                    onError: (error) => notifyError(t, error),
                                  })
                                }
                              />
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t("scim.whatHappens")}
                </Text>
                <List size="sm" c="dimmed" spacing={2}>
                  <List.Item>{t("scim.createsPeople")}</List.Item>
                  <List.Item>{t("scim.deprovisions")}</List.Item>
                  <List.Item>{t("scim.groupsAreTeams")}</List.Item>
                </List>
              </Stack>
            </Stack>
          )}
        </QueryState>
      </Stack>
      <Modal opened={created !== null} onClose={() => setCreated(null)} title={t("scim.createdTitle")} size="lg" closeOnClickOutside={false}>
        {created && (
          <Stack>
            <Alert color="yellow">{t("scim.onceOnly")}</Alert>
            <CopyField label={t("scim.tokenLabel", { name: created.scimToken.name })} value={created.token} />
            <Stack gap={4}>
              <Text size="sm" c="dimmed">
                {t("scim.usage")}
              </Text>
              <Code block dir="ltr">
                Authorization: Bearer {created.token.slice(0, 9)}…
              </Code>
            </Stack>
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>{t("common.done")}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}
