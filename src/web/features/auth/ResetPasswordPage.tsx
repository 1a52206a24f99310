import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { useDocumentTitle } from "../../components/Page";
import { MIN_PASSWORD_LENGTH, newPasswordText, repeatText, validate, type FieldErrors } from "../../components/validation";

/** /reset-password?token=…: chooses a new password from the emailed link. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("reset.title"));
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const complete = useMutation({
    mutationFn: () => api("POST", "/auth/password-reset/complete", { token, password }),
    onSuccess: () => {
      notifySuccess(t("reset.done"));
      navigate("/sign-in", { replace: true });
    },
  });

  const linkBroken =
    !token ||
    (complete.error instanceof ApiError &&
      (complete.error.code === "invalid_reset_token" || (complete.error.code === "invalid_input" && "token" in complete.error.fields)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate({ password: newPasswordText(t, password), repeat: repeatText(t, password, repeat) });
    setErrors(problems ?? {});
    if (!problems) complete.mutate();
  };

  return (
    <Stack gap="md">
      <Title order={1} fz="h2">
        {t("reset.title")}
      </Title>
      {linkBroken ? (
        <Alert color="red" role="alert" title={t("reset.invalidTitle")}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t("errors.invalid_reset_token")}</Text>
            <Anchor component={Link} to="/forgot-password" size="sm">
              {t("reset.askAgain")}
            </Anchor>
          </Stack>
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t("reset.intro", { count: MIN_PASSWORD_LENGTH })}
            </Text>
            {complete.error && !hasOnlyFieldErrors(complete.error, ["password"]) && (
              <Alert color="red" role="alert">
                {errorText(t, complete.error)}
              </Alert>
            )}
            <PasswordInput
              label={t("fields.newPassword")}
              autoComplete="new-password"
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={errors.password ?? fieldError(t, complete.error, "password")}
              required
              autoFocus
              visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
            />
            <PasswordInput
              label={t("fields.repeatPassword")}
              autoComplete="new-password"
              value={repeat}
              onChange={(event) => setRepeat(event.currentTarget.value)}
              error={errors.repeat}
              required
              visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
            />
            <Group justify="flex-end">
              <Button type="submit" loading={complete.isPending}>
                {t("reset.submit")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/sign-in" size="sm">
        {t("forgot.back")}
      </Anchor>
    </Stack>
  );
}
