import { Alert, Button, Group, Image, List, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { MfaSetup } from "../../api/types";
import { CopyField } from "../../components/CopyField";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { RecoveryCodes } from "./RecoveryCodes";

/** Groups a secret in fours so it is easier to type: "ABCD EFGH …". */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

/** Setting up an authenticator app: start, scan (or type the key), confirm with a code, save recovery codes. */
export function MfaEnrolment({ onDone, compact = false }: { onDone: () => void; compact?: boolean }) {
  const { t } = useTranslation();
  const [setup, setSetup] = useState<MfaSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState("");
  const [missing, setMissing] = useState<string | undefined>();

  const start = useMutation({
    mutationFn: () => api<MfaSetup>("POST", "/me/mfa/setup"),
    onSuccess: (data) => setSetup(data),
  });
  const confirm = useMutation({
    mutationFn: () => api<{ recoveryCodes: string[] }>("POST", "/me/mfa/confirm", { code: code.trim() }),
    onSuccess: (data) => {
      setCodes(data.recoveryCodes);
      notifySuccess(t("mfaSetup.enabled"));
    },
  });

  if (codes) return <RecoveryCodes codes={codes} onDone={onDone} />;

  if (!setup) {
    return (
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{t("mfaSetup.intro")}</Text>
        {start.error && (
          <Alert color="red" role="alert" w="100%">
            {errorText(t, start.error)}
          </Alert>
        )}
        <Button onClick={() => start.mutate()} loading={start.isPending}>
          {t("mfaSetup.start")}
        </Button>
      </Stack>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = /^\d{6}$/.test(code.trim()) ? undefined : t("mfaSetup.codeFormat");
    setMissing(problem);
    if (!problem) confirm.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <List type="ordered" spacing="xs" size="sm">
          <List.Item>{t("mfaSetup.step1")}</List.Item>
          <List.Item>{t("mfaSetup.step2")}</List.Item>
          <List.Item>{t("mfaSetup.step3")}</List.Item>
        </List>
        <SimpleGrid cols={{ base: 1, xs: compact ? 1 : 2 }} spacing="lg">
          <Image src={setup.qrCodeDataUrl} alt={t("mfaSetup.qrAlt")} w={200} h={200} fit="contain" style={{ background: "white" }} mx={compact ? "auto" : undefined} />
          <Stack gap="xs" justify="center">
            <CopyField label={t("mfaSetup.secretLabel")} description={t("mfaSetup.secretHint")} value={groupSecret(setup.secret)} />
          </Stack>
        </SimpleGrid>
        {confirm.error && !hasOnlyFieldErrors(confirm.error, ["code"]) && (
          <Alert color="red" role="alert">
            {errorText(t, confirm.error)}
          </Alert>
        )}
        <TextInput
          label={t("mfaSetup.codeLabel")}
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={6}
          dir="ltr"
          w={220}
          required
          styles={{ input: { letterSpacing: "0.3em", fontFamily: "var(--mantine-font-family-monospace)" } }}
          error={missing ?? fieldError(t, confirm.error, "code")}
        />
        <Group>
          <Button type="submit" loading={confirm.isPending}>
            {t("mfaSetup.confirm")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
