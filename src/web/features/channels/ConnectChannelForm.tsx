import { Alert, Button, Group, PasswordInput, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Channel, NetworkInfo } from "../../api/types";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { CHANNELS_KEY } from "./hooks";

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
  const [problems, setProblems] = useState<Record<string, string | undefined>>({});
  const network = networks.find((n) => n.network === networkId) ?? null;
  const method = network?.connectMethod.kind;

  const connect = useMutation({
    mutationFn: () =>
      api<Channel>(
        "POST",
        "/channels",
        method === "sandbox" ? { network: networkId, kind: "sandbox", handle: identifier.trim() } : { network: networkId, kind: "app_password", identifier: identifier.trim(), password },
      ),
    onSuccess: (channel) => {
      notifySuccess(t(reconnect ? "channels.reconnectedToast" : "channels.connectedToast", { handle: channel.handle }));
      void queryClient.invalidateQueries({ queryKey: CHANNELS_KEY });
      onDone();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = {
      network: networkId ? undefined : t("channels.pickNetwork"),
      identifier: identifier.trim() ? undefined : t("validation.required"),
      password: method === "app_password" && !password ? t("validation.required") : undefined,
    };
    setProblems(next);
    if (!Object.values(next).some(Boolean)) connect.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {connect.error && !hasOnlyFieldErrors(connect.error, ["network", "identifier", "password", "handle"]) && (
          <Alert color="red" role="alert">
            {errorText(t, connect.error)}
          </Alert>
        )}
        <Select
          label={t("channels.network")}
          placeholder={t("channels.pickNetwork")}
          data={networks.map((n) => ({ value: n.network, label: n.displayName }))}
          value={networkId}
          onChange={setNetworkId}
          error={problems.network ?? fieldError(t, connect.error, "network")}
          disabled={reconnect !== undefined}
          allowDeselect={false}
          required
          data-autofocus={reconnect ? undefined : true}
        />
        {method === "oauth2_pkce" && (
          <Alert color="yellow" role="status">
            {t("channels.oauthNotYet")}
          </Alert>
        )}
        {(method === "sandbox" || method === "app_password") && (
          <>
            <TextInput
              label={method === "sandbox" ? t("channels.handle") : t("channels.identifier")}
              description={method === "sandbox" ? t("channels.sandboxHint") : undefined}
              value={identifier}
              onChange={(event) => setIdentifier(event.currentTarget.value)}
              error={problems.identifier ?? fieldError(t, connect.error, "identifier") ?? fieldError(t, connect.error, "handle")}
              autoComplete="off"
              required
            />
            {method === "app_password" && (
              <PasswordInput
                label={t("channels.appPassword")}
                description={t("channels.appPasswordHint")}
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
                error={problems.password ?? fieldError(t, connect.error, "password")}
                autoComplete="off"
                required
                data-autofocus={reconnect ? true : undefined}
              />
            )}
            <Text size="xs" c="dimmed">
              {t("channels.sealedNote")}
            </Text>
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={connect.isPending} disabled={method === "oauth2_pkce"}>
            {reconnect ? t("channels.reconnect") : t("channels.connect")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
