import { Alert, Badge, Button, Card, Checkbox, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconKey, IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { TOKEN_SCOPES, type TokenScope } from "../../../contracts/roles";
import { api } from "../../api/client";
import type { ApiToken } from "../../api/types";
import { ConfirmedRowAction } from "../../components/confirm";
import { CopyField } from "../../components/CopyField";
import { Empty } from "../../components/Empty";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { formatNumber } from "../../i18n/format";

const TOKENS_KEY = ["me", "api-tokens"] as const;
const EXPIRY_CHOICES = ["7", "30", "90", "365", "never"] as const;

function CreateTokenForm({ onCreated }: { onCreated: (token: string, apiToken: ApiToken) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TokenScope[]>(["workspace:read"]);
  const [expiry, setExpiry] = useState<string>("90");
  const [errors, setErrors] = useState<{ name?: string; scopes?: string }>({});
  const create = useMutation({
    mutationFn: () =>
      api<{ token: string; apiToken: ApiToken }>("POST", "/me/api-tokens", {
        name: name.trim(),
        scopes,
        expiresInDays: expiry === "never" ? null : Number(expiry),
      }),
    onSuccess: ({ token, apiToken }) => {
      setName("");
      notifySuccess(t("tokens.created", { name: apiToken.name }));
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
      onCreated(token, apiToken);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = { name: name.trim() ? undefined : t("validation.required"), scopes: scopes.length ? undefined : t("tokens.pickScope") };
    setErrors(next);
    if (!next.name && !next.scopes) create.mutate();
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="new-token-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} fz="h4" id="new-token-heading">
            {t("tokens.new")}
          </Title>
          {create.error && !hasOnlyFieldErrors(create.error, ["name", "scopes", "expiresInDays"]) && (
            <Alert color="red" role="alert">
              {errorText(t, create.error)}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t("tokens.name")}
              description={t("tokens.nameHint")}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={errors.name ?? fieldError(t, create.error, "name")}
              required
            />
            <Select
              label={t("tokens.expiry")}
              description={t("tokens.expiryHint")}
              data={EXPIRY_CHOICES.map((value) => ({
                value,
                label: value === "never" ? t("tokens.never") : t("tokens.days", { count: Number(value), formatted: formatNumber(Number(value)) }),
              }))}
              value={expiry}
              onChange={(value) => value && setExpiry(value)}
              allowDeselect={false}
              error={fieldError(t, create.error, "expiresInDays")}
            />
          </SimpleGrid>
          <Checkbox.Group
            label={t("tokens.scopes")}
            description={t("tokens.scopesHint")}
            value={scopes}
            onChange={(value) => setScopes(value as TokenScope[])}
            error={errors.scopes ?? fieldError(t, create.error, "scopes")}
          >
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} mt="xs" spacing="xs">
              {TOKEN_SCOPES.map((scope) => (
                <Checkbox key={scope} value={scope} label={t(`scopes.${scope}`)} description={<code className="ltr-value">{scope}</code>} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Group>
            <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={create.isPending}>
              {t("tokens.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** /account/api-tokens: personal tokens for scripts and integrations; each shown once when made. */
export function ApiTokensPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ token: string; apiToken: ApiToken } | null>(null);
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => api<{ tokens: ApiToken[] }>("GET", "/me/api-tokens") });
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => api("DELETE", `/me/api-tokens/${encodeURIComponent(token.id)}`),
    onSuccess: (_, token) => {
      notifySuccess(t("tokens.revoked", { name: token.name }));
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
    onError: (error) => notifyError(t, error),
  });

  const status = (token: ApiToken) =>
    token.active ? (
      <Badge color="teal" variant="light">
        {t("tokens.active")}
      </Badge>
    ) : token.revokedAt ? (
      <Badge color="gray" variant="light">
        {t("tokens.revokedStatus")}
      </Badge>
    ) : (
      <Badge color="orange" variant="light">
        {t("tokens.expired")}
      </Badge>
    );

  return (
    <Page title={t("tokens.title")} description={t("tokens.description")}>
      <CreateTokenForm onCreated={(token, apiToken) => setCreated({ token, apiToken })} />
      <Stack gap="sm" component="section" aria-labelledby="tokens-heading">
        <Title order={2} fz="h4" id="tokens-heading">
          {t("tokens.yours")}
        </Title>
        <QueryState query={tokens}>
          {({ tokens: list }) =>
            list.length === 0 ? (
              <Card withBorder>
                <Empty icon={<IconKey aria-hidden />} title={t("tokens.emptyTitle")} description={t("tokens.emptyText")} />
              </Card>
            ) : (
              <Card withBorder padding={0}>
                <Table.ScrollContainer minWidth={820}>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t("tokens.name")}</Table.Th>
                        <Table.Th>{t("tokens.scopes")}</Table.Th>
                        <Table.Th>{t("tokens.status")}</Table.Th>
                        <Table.Th>{t("tokens.createdAt")}</Table.Th>
                        <Table.Th>{t("tokens.expiresAt")}</Table.Th>
                        <Table.Th>{t("tokens.lastUsed")}</Table.Th>
                        <Table.Th>
                          <span className="visually-hidden">{t("common.actions")}</span>
                        </Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {list.map((token) => (
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
                            <Group gap={4}>
                              {token.scopes.map((scope) => (
                                <Badge key={scope} variant="outline" color="gray" size="sm" tt="none" title={t(`scopes.${scope}`)}>
                                  <span className="ltr-value">{scope}</span>
                                </Badge>
                              ))}
                            </Group>
                          </Table.Td>
                          <Table.Td>{status(token)}</Table.Td>
                          <Table.Td>
                            <RelativeTime value={token.createdAt} />
                          </Table.Td>
                          <Table.Td>
                            <RelativeTime value={token.expiresAt} fallback={t("tokens.never")} />
                          </Table.Td>
                          <Table.Td>
                            <RelativeTime value={token.lastUsedAt} />
                          </Table.Td>
                          <Table.Td ta="end">
                            {token.active && (
                              <ConfirmedRowAction
                                label={t("tokens.revoke")}
                                ariaLabel={t("tokens.revokeLabel", { name: token.name })}
                                confirm={{ title: t("tokens.revokeTitle"), message: t("tokens.revokeMessage", { name: token.name }), confirmLabel: t("tokens.revoke") }}
                                onConfirmed={() => revoke.mutate(token)}
                              />
                            )}
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
      <Modal opened={created !== null} onClose={() => setCreated(null)} title={t("tokens.createdTitle")} size="lg" closeOnClickOutside={false}>
        {created && (
          <Stack>
            <Alert color="yellow">{t("tokens.onceOnly")}</Alert>
            <CopyField label={t("tokens.tokenLabel", { name: created.apiToken.name })} value={created.token} />
            <Text size="sm" c="dimmed">
              {t("tokens.usage")}
            </Text>
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>{t("common.done")}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Page>
  );
}
