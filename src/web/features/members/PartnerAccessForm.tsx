import { Alert, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { DateTimeField } from "../../components/DateTimeField";
import { api } from "../../api/client";
import type { Member } from "../../api/types";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { MEMBERS_KEY } from "./hooks";

/** "2026-12-10T17:00:00.000Z" → "2026-12-10T18:00" in the browser's time zone, for a datetime-local field. */
function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * Makes a member a partner (an agency, a freelancer) whose access ends by itself at a chosen moment, shown in the
 * browser's time zone, or one of the brand's own people again.
 */
export function PartnerAccessForm({ member, onDone }: { member: Member; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [organization, setOrganization] = useState(member.partner?.organization ?? "");
  const [endsAt, setEndsAt] = useState(toLocalInput(member.partner?.accessEndsAt ?? null));
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const save = useMutation({
    mutationFn: (body: { organization: string | null; endsAt: string | null }) => api("PUT", `/workspace/members/${member.userId}/partner`, body),
    onSuccess: (_result, body) => {
      notifySuccess(body.organization ? t("members.partnerSaved", { name: member.name }) : t("members.partnerCleared", { name: member.name }));
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ organization: organization.trim() || null, endsAt: endsAt ? new Date(endsAt).toISOString() : null });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t("members.partnerExplain")}</Text>
        {save.error && !hasOnlyFieldErrors(save.error, ["organization", "endsAt"]) && (
          <Alert color="red" role="alert">
            {errorText(t, save.error)}
          </Alert>
        )}
        <TextInput
          label={t("members.partnerOrganization")}
          value={organization}
          onChange={(event) => setOrganization(event.currentTarget.value)}
          error={fieldError(t, save.error, "organization")}
          data-autofocus
        />
        <DateTimeField
          label={t("members.partnerEndsAt")}
          description={t("members.partnerEndsAtHint", { zone })}
          value={endsAt}
          onChange={(event) => setEndsAt(event.currentTarget.value)}
          error={fieldError(t, save.error, "endsAt")}
        />
        <Group justify="space-between">
          {member.partner ? (
            <Button variant="subtle" color="gray" onClick={() => save.mutate({ organization: null, endsAt: null })} loading={save.isPending}>
              {t("members.partnerClear")}
            </Button>
          ) : (
            <span />
          )}
          <Group gap="sm">
            <Button variant="default" onClick={onDone}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("common.save")}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
