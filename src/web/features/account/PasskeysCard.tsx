import { Alert, Badge, Button, Card, Group, Modal, PasswordInput, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconKey } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ME_KEY } from "../../app/session";
import { Empty } from "../../components/Empty";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { RecoveryCodes } from "./RecoveryCodes";
import { requiredText, validate, type FieldErrors } from "../../components/validation";
import { PASSKEYS_KEY, registerPasskey, removePasskeyConfirmedByPasskey, usePasskeys, type PasskeyItem } from "./passkeys";

/** Names a new passkey and runs the browser's dialog to create it; shows the recovery codes that may come with it. */
function AddPasskeyForm({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(t("passkeys.defaultName"));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [codes, setCodes] = useState<string[] | null>(null);
  const add = useMutation({
    mutationFn: () => registerPasskey(name.trim()),
    onSuccess: async (result) => {
      notifySuccess(t("passkeys.added"));
      await queryClient.invalidateQueries({ queryKey: PASSKEYS_KEY });
      if (result.recoveryCodes) setCodes(result.recoveryCodes);
      else await finish();
    },
  });
  const finish = async () => {
    onDone();
    await queryClient.invalidateQueries({ queryKey: ME_KEY });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate({ name: requiredText(t, name) });
    setErrors(problems ?? {});
    if (!problems) add.mutate();
  };
  if (codes) {
    return (
      <Stack gap="sm">
        <Text size="sm">{t("passkeys.recoveryIntro")}</Text>
        <RecoveryCodes codes={codes} onDone={() => void finish()} />
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={420}>
        {add.error && !hasOnlyFieldErrors(add.error, ["name"]) && (
          <Alert color="red" role="alert">
            {errorText(t, add.error)}
          </Alert>
        )}
        <TextInput
          label={t("passkeys.name")}
          description={t("passkeys.nameHint")}
          value={name}
          maxLength={60}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.name ?? fieldError(t, add.error, "name")}
          required
          data-autofocus
        />
        <Group gap="sm">
          <Button type="submit" loading={add.isPending} leftSection={<IconKey size={16} aria-hidden />}>
            {t("passkeys.create")}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t("passkeys.cancel")}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** Confirms with the password, a current authenticator code or a passkey before a passkey is removed. */
function RemovePasskeyForm({ passkey, totp, onDone }: { passkey: PasskeyItem; totp: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const remove = useMutation({
    mutationFn: (how: "typed" | "passkey") =>
      how === "passkey"
        ? removePasskeyConfirmedByPasskey(passkey.id)
        : api("POST", `/me/passkeys/${encodeURIComponent(passkey.id)}/remove`, password ? { password } : { code: code.trim() }),
    onSuccess: async () => {
      notifySuccess(t("passkeys.removed"));
      onDone();
      await queryClient.invalidateQueries({ queryKey: PASSKEYS_KEY });
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate({ password: !code.trim() && requiredText(t, password) });
    setErrors(problems ?? {});
    if (!problems) remove.mutate("typed");
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t("passkeys.removeIntro")}</Text>
        {remove.error && !hasOnlyFieldErrors(remove.error, ["password", "code"]) && (
          <Alert color="red" role="alert">
            {errorText(t, remove.error)}
          </Alert>
        )}
        <PasswordInput
          label={t("fields.password")}
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={errors.password ?? fieldError(t, remove.error, "password")}
          visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
          data-autofocus
        />
        {totp && (
          <TextInput
            label={t("passkeys.codeOptional")}
            autoComplete="one-time-code"
            inputMode="numeric"
            dir="ltr"
            maxLength={6}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            error={fieldError(t, remove.error, "code")}
          />
        )}
        <Group justify="space-between">
          <Button type="button" variant="default" leftSection={<IconKey size={16} aria-hidden />} disabled={remove.isPending} onClick={() => remove.mutate("passkey")}>
            {t("passkeys.confirmWithPasskey")}
          </Button>
          <Button type="submit" color="red" loading={remove.isPending}>
            {t("passkeys.removeConfirm")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Account → Security: the person's passkeys, with created and last used; add one, remove one. */
export function PasskeysCard({ totp }: { totp: boolean }) {
  const { t } = useTranslation();
  const passkeys = usePasskeys();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<PasskeyItem | null>(null);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="passkeys-heading">
      <Stack gap="md">
        <Group gap="sm">
          <IconKey color="var(--mantine-color-blue-8)" aria-hidden />
          <Title order={2} fz="h4" id="passkeys-heading">
            {t("passkeys.title")}
          </Title>
        </Group>
        <Text size="sm">{t("passkeys.intro")}</Text>
        <QueryState query={passkeys}>
          {(data) =>
            data.passkeys.length === 0 && !adding ? (
              <Empty
                icon={<IconKey aria-hidden />}
                title={t("passkeys.none")}
                description={t("passkeys.setupInstead")}
                action={<Button onClick={() => setAdding(true)}>{t("passkeys.add")}</Button>}
              />
            ) : (
              <Stack gap="md">
                {data.passkeys.length > 0 && (
                  <Table.ScrollContainer minWidth={560}>
                    <Table>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t("passkeys.name")}</Table.Th>
                          <Table.Th>{t("passkeys.created")}</Table.Th>
                          <Table.Th>{t("passkeys.lastUsed")}</Table.Th>
                          <Table.Th />
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {data.passkeys.map((passkey) => (
                          <Table.Tr key={passkey.id}>
                            <Table.Td>
                              <Group gap="xs">
                                <Text size="sm" fw={500}>
                                  {passkey.name}
                                </Text>
                                <Badge variant="light" color={passkey.deviceType === "multiDevice" ? "teal" : "gray"} size="sm">
                                  {passkey.deviceType === "multiDevice" ? t("passkeys.synced") : t("passkeys.thisDevice")}
                                </Badge>
                              </Group>
                            </Table.Td>
                            <Table.Td>
                              <RelativeTime value={passkey.createdAt} />
                            </Table.Td>
                            <Table.Td>
                              <RelativeTime value={passkey.lastUsedAt} fallback={t("passkeys.neverUsed")} />
                            </Table.Td>
                            <Table.Td ta="end">
                              <Button size="xs" variant="light" color="red" onClick={() => setRemoving(passkey)} aria-label={t("passkeys.removeLabel", { name: passkey.name })}>
                                {t("passkeys.remove")}
                              </Button>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
                {adding ? (
                  <AddPasskeyForm onDone={() => setAdding(false)} onCancel={() => setAdding(false)} />
                ) : (
                  <Group>
                    <Button variant="default" leftSection={<IconKey size={16} aria-hidden />} onClick={() => setAdding(true)}>
                      {t("passkeys.add")}
                    </Button>
                  </Group>
                )}
              </Stack>
            )
          }
        </QueryState>
      </Stack>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={removing ? t("passkeys.removeTitle", { name: removing.name }) : ""} centered>
        {removing && <RemovePasskeyForm passkey={removing} totp={totp} onDone={() => setRemoving(null)} />}
      </Modal>
    </Card>
  );
}

export { AddPasskeyForm };
