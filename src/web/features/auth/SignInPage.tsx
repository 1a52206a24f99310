import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../../api/client";
import type { SignInResult } from "../../api/types";
import { nextParam } from "../../app/RequireActive";
import { safeNext, useMe } from "../../app/session";
import { errorText, fieldError } from "../../components/errors";
import { useDocumentTitle } from "../../components/Page";
import { emailText, requiredText, validate, type FieldErrors } from "../../components/validation";
import { useContinueAfterSignIn } from "./continue";
import { PasskeySignIn } from "./PasskeySignIn";
import { SsoSignInButton } from "../sso/SsoSignInButton";

/** /sign-in: email and password (then the MFA challenge when the account has it), or single sign-on by the email's domain. */
export function SignInPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("signIn.title"));
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const me = useMe();
  const continueAfterSignIn = useContinueAfterSignIn(next);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const signIn = useMutation({
    mutationFn: () => api<SignInResult>("POST", "/auth/sign-in", { email: email.trim(), password }),
    onSuccess: () => continueAfterSignIn(),
  });

  if (me.data?.state === "active") return <Navigate to={next} replace />;
  if (me.data?.state === "mfa_challenge") return <Navigate to={`/mfa${nextParam(next)}`} replace />;
  if (me.data?.state === "mfa_enrolment_required") return <Navigate to={`/mfa/setup${nextParam(next)}`} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate({ email: emailText(t, email), password: requiredText(t, password) });
    setErrors(problems ?? {});
    if (!problems) signIn.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={1} fz="h2">
            {t("signIn.title")}
          </Title>
          <Text c="dimmed" size="sm">
            {t("signIn.intro")}
          </Text>
        </Stack>
        <PasskeySignIn onSignedIn={continueAfterSignIn} />
        {signIn.error && (
          <Alert color="red" role="alert" title={t("signIn.failed")}>
            {errorText(t, signIn.error)}
          </Alert>
        )}
        <TextInput
          label={t("fields.email")}
          type="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={errors.email ?? fieldError(t, signIn.error, "email")}
          autoFocus
          required
        />
        <PasswordInput
          label={t("fields.password")}
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={errors.password ?? fieldError(t, signIn.error, "password")}
          required
          visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
        />
        <Group justify="space-between" align="center">
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t("signIn.forgot")}
          </Anchor>
          <Button type="submit" loading={signIn.isPending}>
            {t("signIn.submit")}
          </Button>
        </Group>
        <SsoSignInButton email={email} ssoError={params.get("ssoError")} onMissingEmail={() => setErrors({ email: t("sso.emailNeeded") })} />
      </Stack>
    </form>
  );
}
