import { Alert, Badge, Button, Card, Group, Modal, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconShieldCheck, IconShieldX } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ME_KEY, useActiveMe } from "../../app/session";
import { useConfirm } from "../../components/confirm";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { requiredText, validate, type FieldErrors } from "../../components/validation";
import { MfaEnrolment } from "./MfaEnrolment";
import { PasskeysCard } from "./PasskeysCard";
import { usePasskeys } from "./passkeys";
import { RecoveryCodes } from "./RecoveryCodes";

function DisableMfaForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const confirm = useConfirm();
  const me = useActiveMe();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const disable = useMutation({
    mutationFn: () => api("POST", "/me/mfa/disable", { password, code: code.trim() }),
    onSuccess: async () => {
      notifySuccess(t("security.disabled"));
      onDone();
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = validate({ password: requiredText(t, password), code: requiredText(t, code) });
    setErrors(problems ?? {});
    if (problems) return;
    const ok = await confirm({
      title: t("security.disableTitle"),
      message: me.workspace?.requireMfa ? t("security.disableRequiredWarning", { workspace: me.workspace.name }) : t("security.disableWarning"),
      confirmLabel: t("security.disable"),
      danger: true,
    });
    if (ok) disable.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={420}>
        {disable.error && !hasOnlyFieldErrors(disable.error, ["password", "code", "currentPassword"]) && (
          <Alert color="red" role="alert">
            {errorText(t, disable.error)}
          </Alert>
        )}
        <PasswordInput
          label={t("fields.password")}
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={errors.password ?? fieldError(t, disable.error, "password") ?? fieldError(t, disable.error, "currentPassword")}
          required
          visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
        />
        <TextInput
          label={t("mfaChallenge.codeLabel")}
          autoComplete="one-time-code"
          inputMode="numeric"
          dir="ltr"
          maxLength={6}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={errors.code ?? fieldError(t, disable.error, "code")}
          required
        />
        <Group>
          <Button type="submit" color="red" loading={disable.isPending}>
            {t("security.disable")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** /account/security: turn two-factor authentication on or off, and renew recovery codes. */
export function SecurityPage() {
  const { t } = useTranslation();
  const me = useActiveMe();
  const queryClient = useQueryClient();
  const confirm = useConfirm();
  const [enrolling, setEnrolling] = useState(false);
  const [disabling, setDisabling] = useState(false);
  const [newCodes, setNewCodes] = useState<string[] | null>(null);

  const regenerate = useMutation({
    mutationFn: () => api<{ recoveryCodes: string[] }>("POST", "/me/mfa/recovery-codes"),
    onSuccess: (data) => {
      setNewCodes(data.recoveryCodes);
      notifySuccess(t("security.regenerated"));
    },
  });

  const enabled = me.user.mfaEnabled;
  const hasPasskeys = (usePasskeys().data?.passkeys.length ?? 0) > 0;

  return (
    <Page title={t("security.title")} description={t("security.description")}>
      <Card withBorder padding="lg" component="section" aria-labelledby="mfa-heading">
        <Stack gap="md">
          <Group justify="space-between" wrap="wrap">
            <Group gap="sm">
              {enabled ? <IconShieldCheck color="var(--mantine-color-teal-8)" aria-hidden /> : <IconShieldX color="var(--mantine-color-red-8)" aria-hidden />}
              <Title order={2} fz="h4" id="mfa-heading">
                {t("security.mfa")}
              </Title>
            </Group>
            <Badge color={enabled ? "teal" : "red"} variant="light" size="lg">
              {enabled ? t("security.on") : t("security.off")}
            </Badge>
          </Group>

          {!enabled && !enrolling && (
            <>
              {hasPasskeys ? (
                <Alert color="blue" title={t("passkeys.appOptionalTitle")}>
                  {t("passkeys.appOptional")}
                </Alert>
              ) : (
                <Alert color="yellow" title={t("security.offTitle")}>
                  {t("security.offText")}
                </Alert>
              )}
              <Group>
                <Button onClick={() => setEnrolling(true)}>{t("security.enable")}</Button>
              </Group>
            </>
          )}
          {!enabled && enrolling && (
            <MfaEnrolment
              onDone={() => {
                setEnrolling(false);
                void queryClient.invalidateQueries({ queryKey: ME_KEY });
              }}
            />
          )}

          {enabled && (
            <>
              <Text size="sm">{t("security.onText")}</Text>
              <Group gap="sm">
                <Button
                  variant="default"
                  loading={regenerate.isPending}
                  onClick={async () => {
                    const ok = await confirm({
                      title: t("security.regenerateTitle"),
                      message: t("security.regenerateMessage"),
                      confirmLabel: t("security.regenerate"),
                    });
                    if (ok) regenerate.mutate();
                  }}
                >
                  {t("security.regenerate")}
                </Button>
                {!disabling && (
                  <Button variant="light" color="red" onClick={() => setDisabling(true)}>
                    {t("security.disable")}
                  </Button>
                )}
              </Group>
              {regenerate.error && (
                <Alert color="red" role="alert">
                  {errorText(t, regenerate.error)}
                </Alert>
              )}
              {disabling && (
                <Stack gap="xs">
                  <Title order={3} fz="h5">
                    {t("security.disableTitle")}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {t("security.disableIntro")}
                  </Text>
                  <DisableMfaForm onDone={() => setDisabling(false)} />
                </Stack>
              )}
            </>
          )}
        </Stack>
      </Card>
      <PasskeysCard totp={enabled} />
      <Modal opened={newCodes !== null} onClose={() => setNewCodes(null)} title={t("security.newCodesTitle")} size="lg" closeOnClickOutside={false}>
        {newCodes && <RecoveryCodes codes={newCodes} onDone={() => setNewCodes(null)} doneLabel={t("common.done")} />}
      </Modal>
    </Page>
  );
}
