import { Alert, Button, Group, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Channel, NetworkInfo } from "../../api/types";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { CHANNELS_KEY } from "./hooks";
import { SignInFields } from "./SignInFields";

/**
 * Connects an account: choose the network, then give what its connect method asks for. `reconnect` fills in
 * the network and handle of a channel that needs reconnecting.
 */
export function ConnectChannelForm({ networks, reconnect, onDone }: { networks: NetworkInfo[]; reconnect?: Channel; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [networkId, setNetworkId] = useState<string | null>(reconnect?.network ?? (networks.length === 1 ? networks[0].network : null));
  const [identifier, setIdentifier] = useState(reconnect?.handle ?? "");
  const [password, setPassword] = useState("");
  const [serviceUrl, setServiceUrl] = useState(reconnect?.serviceUrl ?? "");
  const [problems, setProblems] = useState<Record<string, string | undefined>>({});
  const network = networks.find((n) => n.network === networkId) ?? null;
  const method = network?.connectMethod.kind;
  const serviceField = network && network.connectMethod.kind !== "sandbox" ? network.connectMethod.serviceUrl : undefined;
  const serviceUrlValue = serviceUrl.trim() ? { serviceUrl: serviceUrl.trim() } : {};

  const connect = useMutation({
    mutationFn: () =>
      api<Channel>(
        "POST",
        "/channels",
        method === "sandbox"
          ? { network: networkId, kind: "sandbox", handle: identifier.trim() }
          : { network: networkId, kind: "app_password", identifier: identifier.trim(), password, ...serviceUrlValue },
      ),
    onSuccess: (channel) => {
      notifySuccess(t(reconnect ? "channels.reconnectedToast" : "channels.connectedToast", { handle: channel.handle }));
      void queryClient.invalidateQueries({ queryKey: CHANNELS_KEY });
      onDone();
    },
  });

  // OAuth networks: Parapet sends the browser to the network, which sends it back to the Channels page.
  const authorize = useMutation({
    mutationFn: () =>
      api<{ authorizeUrl: string }>("POST", "/channels/authorizations", reconnect ? { network: networkId, channelId: reconnect.id } : { network: networkId, ...serviceUrlValue }),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
  const failure = connect.error ?? authorize.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = {
      network: networkId ? undefined : t("channels.pickNetwork"),
      identifier: method === "oauth2_pkce" || identifier.trim() ? undefined : t("validation.required"),
      password: method === "app_password" && !password ? t("validation.required") : undefined,
      serviceUrl: serviceField?.required && !reconnect && !serviceUrl.trim() ? t("validation.required") : undefined,
    };
    setProblems(next);
    if (Object.values(next).some(Boolean)) return;
    if (method === "oauth2_pkce") authorize.mutate();
    else connect.mutate();
  };

  const serviceInput = serviceField && (
    <TextInput
      label={t("channels.serviceUrl")}
      description={serviceField.required ? t("channels.serviceUrlRequiredHint") : t("channels.serviceUrlOptionalHint", { url: serviceField.defaultUrl ?? "" })}
      placeholder={serviceField.defaultUrl ?? "https://mastodon.social"}
      value={serviceUrl}
      onChange={(event) => setServiceUrl(event.currentTarget.value)}
      error={problems.serviceUrl ?? fieldError(t, failure, "serviceUrl")}
      disabled={reconnect !== undefined}
      type="url"
      dir="ltr"
      autoComplete="url"
      required={serviceField.required}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure && !hasOnlyFieldErrors(failure, ["network", "identifier", "password", "handle", "serviceUrl"]) && (
          <Alert color="red" role="alert">
            {errorText(t, failure)}
          </Alert>
        )}
        <Select
          label={t("channels.network")}
          placeholder={t("channels.pickNetwork")}
          data={networks.map((n) => ({ value: n.network, label: n.displayName }))}
          value={networkId}
          onChange={setNetworkId}
          error={problems.network ?? fieldError(t, failure, "network")}
          disabled={reconnect !== undefined}
          allowDeselect={false}
          required
          data-autofocus={reconnect ? undefined : true}
        />
        {method === "oauth2_pkce" && network && (
          <>
            {serviceInput}
            <Text size="sm">{t("channels.oauthExplain", { network: network.displayName })}</Text>
          </>
        )}
        {(method === "sandbox" || method === "app_password") && (
          <>
            {serviceInput}
            <SignInFields
              method={method}
              identifier={identifier}
              onIdentifier={setIdentifier}
              password={password}
              onPassword={setPassword}
              errors={{
                identifier: problems.identifier ?? fieldError(t, failure, "identifier") ?? fieldError(t, failure, "handle"),
                password: problems.password ?? fieldError(t, failure, "password"),
              }}
              focus={reconnect ? "password" : undefined}
            />
            <Text size="xs" c="dimmed">
              {t("channels.sealedNote")}
            </Text>
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={connect.isPending || authorize.isPending || authorize.isSuccess}>
            {method === "oauth2_pkce" && network ? t("channels.continueTo", { network: network.displayName }) : reconnect ? t("channels.reconnect") : t("channels.connect")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
