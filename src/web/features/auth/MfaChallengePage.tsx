import { Alert, Anchor, Button, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconShieldLock } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useSearchParams } from "react-router-dom";
import { api } from "../../api/client";
import { FullPageLoader, nextParam } from "../../app/RequireActive";
import { safeNext, useMe } from "../../app/session";
import { useSignOut } from "../../app/UserMenu";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { useDocumentTitle } from "../../components/Page";
import { useMfaMethods } from "../account/passkeys";
import { useContinueAfterSignIn } from "./continue";
import { PasskeyMfa } from "./PasskeyMfa";

/** /mfa: the second step of signing in, with a passkey, an authenticator code or a recovery code. */
export function MfaChallengePage() {
  const { t } = useTranslation();
  useDocumentTitle(t("mfaChallenge.title"));
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const me = useMe();
  const continueAfterSignIn = useContinueAfterSignIn(next);
  const signOut = useSignOut();
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState("");
  const [missing, setMissing] = useState<string | undefined>();
  const methods = useMfaMethods();

  const verify = useMutation({
    mutationFn: () => api("POST", "/auth/mfa/verify", { code: code.trim() }),
    onSuccess: () => continueAfterSignIn(),
  });

  if (me.isPending || methods.isPending) return <FullPageLoader />;
  if (!me.data) return <Navigate to={`/sign-in${nextParam(next)}`} replace />;
  if (me.data.state === "active") return <Navigate to={next} replace />;
  if (me.data.state === "mfa_enrolment_required") return <Navigate to={`/mfa/setup${nextParam(next)}`} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = code.trim() ? undefined : t("validation.required");
    setMissing(problem);
    if (!problem) verify.mutate();
  };

  // Someone whose only second factor is a passkey has no app code to type, only (maybe) recovery codes.
  const codes = !methods.data || methods.data.totp || methods.data.recoveryCodes;
  const app = !methods.data || methods.data.totp;
  const recovery = useRecovery || !app;

  const toggleMode = () => {
    setUseRecovery((value) => !value);
    setCode("");
    verify.reset();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Group gap="sm" wrap="nowrap">
          <IconShieldLock size={28} aria-hidden color="var(--mantine-color-blue-8)" />
          <Title order={1} fz="h2">
            {t("mfaChallenge.title")}
          </Title>
        </Group>
        {methods.data?.passkey && <PasskeyMfa onVerified={continueAfterSignIn} primary={!app} divider={codes} />}
        {codes && (
          <>
            <Text size="sm" c="dimmed">
              {recovery ? t("mfaChallenge.recoveryIntro") : t("mfaChallenge.intro")}
            </Text>
            {verify.error && !hasOnlyFieldErrors(verify.error, ["code"]) && (
              <Alert color="red" role="alert">
                {errorText(t, verify.error)}
              </Alert>
            )}
            <TextInput
              key={recovery ? "recovery" : "totp"}
              label={recovery ? t("mfaChallenge.recoveryLabel") : t("mfaChallenge.codeLabel")}
              description={recovery ? t("mfaChallenge.recoveryHint") : undefined}
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              autoComplete={recovery ? "off" : "one-time-code"}
              inputMode={recovery ? "text" : "numeric"}
              maxLength={recovery ? 32 : 6}
              autoFocus
              required
              dir="ltr"
              styles={{ input: { letterSpacing: recovery ? undefined : "0.3em", fontFamily: "var(--mantine-font-family-monospace)" } }}
              error={missing ?? fieldError(t, verify.error, "code")}
            />
            <Button type="submit" loading={verify.isPending} fullWidth>
              {t("mfaChallenge.submit")}
            </Button>
          </>
        )}
        <Group justify="space-between">
          {app ? (
            <Anchor component="button" type="button" size="sm" onClick={toggleMode}>
              {recovery ? t("mfaChallenge.useApp") : t("mfaChallenge.useRecovery")}
            </Anchor>
          ) : (
            <span />
          )}
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={() => signOut.mutate()}>
            {t("mfaChallenge.otherAccount")}
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
