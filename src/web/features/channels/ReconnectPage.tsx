import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { IconCircleCheck, IconPlugConnected } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import type { ReconnectLinkView } from "../../api/types";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { useDocumentTitle } from "../../components/Page";
import { SignInFields } from "./SignInFields";
import { RelativeTime } from "../../components/RelativeTime";

/**
 * /reconnect?token=…: the account's owner, who may have no seat in Parapet, signs in at the network as the channel's
 * account — and can do nothing else here. `?done=1` and `?error=<code>` are where an OAuth network sends them back.
 */
export function ReconnectPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("reconnect.title"));
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const backWithError = params.get("error");
  const [identifier, setIdentifier] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<Record<string, string | undefined>>({});

  const view = useQuery({
    queryKey: ["reconnect-link", token],
    queryFn: () => api<ReconnectLinkView>("GET", `/reconnect-links/${encodeURIComponent(token)}`),
    enabled: token !== "",
    retry: false,
  });
  const method = view.data?.network.connectMethod.kind;
  const reconnect = useMutation({
    mutationFn: () =>
      api<{ handle: string }>(
        "POST",
        `/reconnect-links/${encodeURIComponent(token)}/connect`,
        method === "sandbox" ? { kind: "sandbox", handle: identifier.trim() } : { kind: "app_password", identifier: identifier.trim(), password },
      ),
  });
  const authorize = useMutation({
    mutationFn: () => api<{ authorizeUrl: string }>("POST", `/reconnect-links/${encodeURIComponent(token)}/authorize`),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
  const failure = reconnect.error ?? authorize.error;

  const heading = (
    <Title order={1} fz="h2">
      {t("reconnect.title")}
    </Title>
  );

  if (params.get("done") || reconnect.isSuccess) {
    return (
      <Stack gap="md">
        {heading}
        <Alert color="green" icon={<IconCircleCheck aria-hidden />} role="status" title={t("reconnect.doneTitle")}>
          {t("reconnect.doneText")}
        </Alert>
      </Stack>
    );
  }
  if (backWithError || !token || view.isError) {
    const text = backWithError
      ? t(`errors.${backWithError}`, { defaultValue: t("errors.reconnect_link_invalid") })
      : view.error instanceof ApiError && view.error.status >= 500
        ? errorText(t, view.error)
        : // A malformed, used, revoked or expired link: all mean "this link does not work".
          t("errors.reconnect_link_invalid");
    return (
      <Stack gap="md">
        {heading}
        <Alert color="red" role="alert" title={t("reconnect.failedTitle")}>
          {text}
        </Alert>
        <Text size="sm" c="dimmed">
          {t("reconnect.askAgain")}
        </Text>
      </Stack>
    );
  }
  if (view.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("common.loading")} />
      </Center>
    );
  }

  const link = view.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (method === "oauth2_pkce") return authorize.mutate();
    const next = {
      identifier: identifier.trim() ? undefined : t("validation.required"),
      password: method === "app_password" && !password ? t("validation.required") : undefined,
    };
    setMissing(next);
    if (!Object.values(next).some(Boolean)) reconnect.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {heading}
        <Alert color="blue" icon={<IconPlugConnected aria-hidden />}>
          <Text size="sm">
            {t("reconnect.summary", { workspace: link.workspaceName, network: link.network.displayName })}{" "}
            <b className="ltr-value">@{link.channel.handle}</b>
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            {t("reconnect.expires")} <RelativeTime value={link.expiresAt} />
          </Text>
        </Alert>
        <Text size="sm" c="dimmed">
          {method === "oauth2_pkce" ? t("reconnect.oauthIntro", { network: link.network.displayName, handle: link.channel.handle }) : t("reconnect.formIntro", { handle: link.channel.handle })}
        </Text>
        {failure && !hasOnlyFieldErrors(failure, ["identifier", "password", "handle"]) && (
          <Alert color="red" role="alert">
            {errorText(t, failure)}
          </Alert>
        )}
        {(method === "sandbox" || method === "app_password") && (
          <SignInFields
            method={method}
            identifier={identifier}
            onIdentifier={setIdentifier}
            password={password}
            onPassword={setPassword}
            errors={{
              identifier: missing.identifier ?? fieldError(t, failure, "identifier") ?? fieldError(t, failure, "handle"),
              password: missing.password ?? fieldError(t, failure, "password"),
            }}
            focus="identifier"
          />
        )}
        <Text size="xs" c="dimmed">
          {t("channels.sealedNote")}
        </Text>
        <Group justify="flex-end">
          <Button type="submit" loading={reconnect.isPending || authorize.isPending || authorize.isSuccess}>
            {method === "oauth2_pkce" ? t("channels.continueTo", { network: link.network.displayName }) : t("channels.reconnect")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
