import { Alert, Button, Card, Group, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Me, User } from "../../api/types";
import { ME_KEY, useActiveMe } from "../../app/session";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { LanguagePicker } from "../../components/LanguagePicker";
import { notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { ExactTime } from "../../components/RelativeTime";
import { MIN_PASSWORD_LENGTH, newPasswordText, repeatText, requiredText, validate, type FieldErrors } from "../../components/validation";

function ProfileCard() {
  const { t } = useTranslation();
  const me = useActiveMe();
  const queryClient = useQueryClient();
  const [name, setName] = useState(me.user.name);
  const [problem, setProblem] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () => api<User>("PATCH", "/me", { name: name.trim() }),
    onSuccess: (user) => {
      queryClient.setQueryData<Me | null>(ME_KEY, (old) => (old ? { ...old, user: { ...old.user, ...user } } : old));
      notifySuccess(t("account.profileSaved"));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const error = requiredText(t, name);
    setProblem(error);
    if (!error) save.mutate();
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} fz="h4" id="profile-heading">
            {t("account.profile")}
          </Title>
          {save.error && !hasOnlyFieldErrors(save.error, ["name"]) && (
            <Alert color="red" role="alert">
              {errorText(t, save.error)}
            </Alert>
          )}
          <TextInput
            label={t("fields.name")}
            autoComplete="name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={problem ?? fieldError(t, save.error, "name")}
            required
            maw={420}
          />
          <TextInput label={t("fields.email")} value={me.user.email} readOnly dir="ltr" maw={420} description={t("account.emailHint")} />
          <Text size="sm" c="dimmed">
            {t("account.memberSince")} <ExactTime value={me.user.createdAt} />
          </Text>
          <Group>
            <Button type="submit" loading={save.isPending} disabled={name.trim() === me.user.name}>
              {t("common.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const change = useMutation({
    mutationFn: () => api("POST", "/me/password", { currentPassword: current, newPassword: next }),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      setRepeat("");
      notifySuccess(t("account.passwordChanged"));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate({
      currentPassword: requiredText(t, current),
      newPassword: newPasswordText(t, next),
      repeat: repeatText(t, next, repeat),
    });
    setErrors(problems ?? {});
    if (!problems) change.mutate();
  };
  const toggle = { "aria-label": t("common.showPassword") };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="password-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} fz="h4" id="password-heading">
            {t("account.password")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("account.passwordIntro", { count: MIN_PASSWORD_LENGTH })}
          </Text>
          {change.error && !hasOnlyFieldErrors(change.error, ["currentPassword", "newPassword"]) && (
            <Alert color="red" role="alert">
              {errorText(t, change.error)}
            </Alert>
          )}
          <PasswordInput
            label={t("fields.currentPassword")}
            autoComplete="current-password"
            value={current}
            onChange={(event) => setCurrent(event.currentTarget.value)}
            error={errors.currentPassword ?? fieldError(t, change.error, "currentPassword")}
            required
            maw={420}
            visibilityToggleButtonProps={toggle}
          />
          <PasswordInput
            label={t("fields.newPassword")}
            autoComplete="new-password"
            value={next}
            onChange={(event) => setNext(event.currentTarget.value)}
            error={errors.newPassword ?? fieldError(t, change.error, "newPassword")}
            required
            maw={420}
            visibilityToggleButtonProps={toggle}
          />
          <PasswordInput
            label={t("fields.repeatPassword")}
            autoComplete="new-password"
            value={repeat}
            onChange={(event) => setRepeat(event.currentTarget.value)}
            error={errors.repeat}
            required
            maw={420}
            visibilityToggleButtonProps={toggle}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t("account.changePassword")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** /account: the person's name, language and password. */
export function AccountPage() {
  const { t } = useTranslation();
  return (
    <Page title={t("account.title")} description={t("account.description")}>
      <ProfileCard />
      <Card withBorder padding="lg" component="section" aria-labelledby="language-heading">
        <Stack gap="sm" maw={420}>
          <Title order={2} fz="h4" id="language-heading">
            {t("common.language")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("account.languageIntro")}
          </Text>
          <LanguagePicker />
        </Stack>
      </Card>
      <PasswordCard />
    </Page>
  );
}
