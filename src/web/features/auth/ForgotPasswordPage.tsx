import { Alert, Anchor, Button, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconMailCheck } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../../api/client";
import { errorText, fieldError } from "../../components/errors";
import { useDocumentTitle } from "../../components/Page";
import { emailText } from "../../components/validation";

/** /forgot-password: asks for a reset link; the answer never says whether the account exists. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("forgot.title"));
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const request = useMutation({ mutationFn: () => api("POST", "/auth/password-reset/request", { email: email.trim() }) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const error = emailText(t, email);
    setProblem(error);
    if (!error) request.mutate();
  };

  return (
    <Stack gap="md">
      <Title order={1} fz="h2">
        {t("forgot.title")}
      </Title>
      {request.isSuccess ? (
        <Alert color="teal" icon={<IconMailCheck aria-hidden />} title={t("forgot.sentTitle")} role="status">
          {t("forgot.sent", { email: email.trim() })}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t("forgot.intro")}
            </Text>
            {request.error && (
              <Alert color="red" role="alert">
                {errorText(t, request.error)}
              </Alert>
            )}
            <TextInput
              label={t("fields.email")}
              type="email"
              autoComplete="email"
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={problem ?? fieldError(t, request.error, "email")}
              required
              autoFocus
            />
            <Group justify="flex-end">
              <Button type="submit" loading={request.isPending}>
                {t("forgot.submit")}
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
