import { Alert, Anchor, Button, Center, Group, Loader, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconMailOpened } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import type { InvitationPreview, SignInResult } from "../../api/types";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { useDocumentTitle } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { MIN_PASSWORD_LENGTH, newPasswordText, repeatText, requiredText, validate, type FieldErrors } from "../../components/validation";
import { useContinueAfterSignIn } from "./continue";

/** /invitation?token=…: joins a workspace; a new person chooses a name and password, a known one confirms theirs. */
export function InvitationPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("invitation.title"));
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const continueAfterSignIn = useContinueAfterSignIn("/");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const invitation = useQuery({
    queryKey: ["invitation", token],
    queryFn: () => api<InvitationPreview>("GET", `/invitations/${encodeURIComponent(token)}`),
    enabled: token !== "",
    retry: false,
  });
  const accept = useMutation({
    mutationFn: (existingUser: boolean) =>
      api<SignInResult>("POST", `/invitations/${encodeURIComponent(token)}/accept`, existingUser ? { password } : { name: name.trim(), password }),
    onSuccess: () => continueAfterSignIn(),
  });

  const heading = (
    <Title order={1} fz="h2">
      {t("invitation.title")}
    </Title>
  );

  if (!token || invitation.isError) {
    return (
      <Stack gap="md">
        {heading}
        <Alert color="red" role="alert" title={t("invitation.invalidTitle")}>
          {invitation.error instanceof ApiError && invitation.error.status >= 500
            ? errorText(t, invitation.error)
            : // A malformed, used, revoked or expired token: all mean "this link does not work".
              t("errors.invitation_invalid")}
        </Alert>
        <Anchor component={Link} to="/sign-in" size="sm">
          {t("forgot.back")}
        </Anchor>
      </Stack>
    );
  }
  if (invitation.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("common.loading")} />
      </Center>
    );
  }

  const preview = invitation.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = preview.existingUser
      ? validate({ password: requiredText(t, password) })
      : validate({ name: requiredText(t, name), password: newPasswordText(t, password), repeat: repeatText(t, password, repeat) });
    setErrors(problems ?? {});
    if (!problems) accept.mutate(preview.existingUser);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {heading}
        <Alert color="blue" icon={<IconMailOpened aria-hidden />}>
          <Text size="sm">{t("invitation.summary", { workspace: preview.workspaceName, role: t(`roles.${preview.role}`) })}</Text>
          <Text size="xs" c="dimmed" mt={4}>
            {t("invitation.expires")} <RelativeTime value={preview.expiresAt} />
          </Text>
        </Alert>
        <Text size="sm" c="dimmed">
          {preview.existingUser ? t("invitation.existingIntro") : t("invitation.newIntro", { count: MIN_PASSWORD_LENGTH })}
        </Text>
        {accept.error && !hasOnlyFieldErrors(accept.error, ["name", "password"]) && (
          <Alert color="red" role="alert">
            {errorText(t, accept.error)}
          </Alert>
        )}
        <TextInput label={t("fields.email")} value={preview.email} readOnly autoComplete="username" dir="ltr" />
        {!preview.existingUser && (
          <TextInput
            label={t("fields.name")}
            autoComplete="name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.name ?? fieldError(t, accept.error, "name")}
            required
            autoFocus
          />
        )}
        <PasswordInput
          label={preview.existingUser ? t("fields.password") : t("fields.choosePassword")}
          autoComplete={preview.existingUser ? "current-password" : "new-password"}
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={errors.password ?? fieldError(t, accept.error, "password")}
          required
          autoFocus={preview.existingUser}
          visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
        />
        {!preview.existingUser && (
          <PasswordInput
            label={t("fields.repeatPassword")}
            autoComplete="new-password"
            value={repeat}
            onChange={(event) => setRepeat(event.currentTarget.value)}
            error={errors.repeat}
            required
            visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={accept.isPending}>
            {t("invitation.accept", { workspace: preview.workspaceName })}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
