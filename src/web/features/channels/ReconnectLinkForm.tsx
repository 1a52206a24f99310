import { Alert, Badge, Button, Group, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { LOCALES, type Locale } from "../../../contracts/roles";
import { api } from "../../api/client";
import type { Channel, ReconnectLink } from "../../api/types";
import { CopyField } from "../../components/CopyField";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { RelativeTime } from "../../components/RelativeTime";
import { currentLocale, isLocale, LANGUAGE_NAMES } from "../../i18n";

const STATUS_COLOR: Record<ReconnectLink["status"], string> = { open: "blue", used: "green", revoked: "gray", expired: "gray" };

/**
 * Makes a link for the account's owner (who knows its password, and may have no seat here) to reconnect this one
 * channel; mailed when an address is given, shown once to pass on another way. Lists the channel's links to revoke.
 */
export function ReconnectLinkForm({ channel, onDone }: { channel: Channel; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [mailLocale, setMailLocale] = useState<Locale>(currentLocale());
  const [made, setMade] = useState<{ url: string; sentTo: string | null } | null>(null);
  const linksKey = ["channels", channel.id, "reconnect-links"];
  const links = useQuery({ queryKey: linksKey, queryFn: () => api<{ links: ReconnectLink[] }>("GET", `/channels/${channel.id}/reconnect-links`).then((r) => r.links) });

  const create = useMutation({
    mutationFn: () => api<{ link: ReconnectLink; url: string }>("POST", `/channels/${channel.id}/reconnect-links`, email.trim() ? { email: email.trim(), locale: mailLocale } : {}),
    onSuccess: (result) => {
      setMade({ url: result.url, sentTo: result.link.sentTo });
      if (result.link.sentTo) notifySuccess(t("channels.reconnectLinkMailed", { email: result.link.sentTo }));
      void queryClient.invalidateQueries({ queryKey: linksKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (link: ReconnectLink) => api<ReconnectLink>("DELETE", `/channels/${channel.id}/reconnect-links/${link.id}`),
    onSuccess: () => {
      notifySuccess(t("channels.reconnectLinkRevoked"));
      void queryClient.invalidateQueries({ queryKey: linksKey });
    },
    onError: (error) => notifyError(t, error),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <Stack gap="md">
      <Text size="sm">{t("channels.reconnectLinkExplain", { handle: channel.handle })}</Text>
      {made ? (
        <Stack gap="xs">
          <CopyField label={t("channels.reconnectLinkUrl")} value={made.url} description={t("channels.reconnectLinkOnce")} />
          <Group justify="flex-end">
            <Button onClick={onDone}>{t("common.done")}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            {create.error && !hasOnlyFieldErrors(create.error, ["email", "locale"]) && (
              <Alert color="red" role="alert">
                {errorText(t, create.error)}
              </Alert>
            )}
            <TextInput
              label={t("channels.reconnectLinkEmail")}
              description={t("channels.reconnectLinkEmailHint")}
              type="email"
              dir="ltr"
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={fieldError(t, create.error, "email")}
              data-autofocus
            />
            {email.trim() && (
              <Select
                label={t("members.mailLanguage")}
                data={LOCALES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }))}
                value={mailLocale}
                onChange={(value) => isLocale(value) && setMailLocale(value)}
                allowDeselect={false}
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onDone}>
                {t("common.cancel")}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {email.trim() ? t("channels.reconnectLinkSend") : t("channels.reconnectLinkMake")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {links.data && links.data.length > 0 && (
        <Table verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("channels.reconnectLinkSentTo")}</Table.Th>
              <Table.Th>{t("channels.reconnectLinkState")}</Table.Th>
              <Table.Th>{t("channels.reconnectLinkExpires")}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t("common.actions")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {links.data.map((link) => (
              <Table.Tr key={link.id}>
                <Table.Td>{link.sentTo ? <span className="ltr-value">{link.sentTo}</span> : t("channels.reconnectLinkHandedOver")}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[link.status]} variant="light">
                    {t(`channels.reconnectLinkStates.${link.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <RelativeTime value={link.expiresAt} />
                </Table.Td>
                <Table.Td>
                  {link.status === "open" && (
                    <Button size="compact-xs" variant="subtle" color="red" loading={revoke.isPending && revoke.variables?.id === link.id} onClick={() => revoke.mutate(link)}>
                      {t("channels.reconnectLinkRevoke")}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
