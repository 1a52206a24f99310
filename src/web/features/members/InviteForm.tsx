import { Alert, Button, Card, Group, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconSend } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { LOCALES, ROLES, type Locale, type Role } from "../../../contracts/roles";
import { currentLocale, isLocale, LANGUAGE_NAMES } from "../../i18n";
import { api } from "../../api/client";
import type { Invitation } from "../../api/types";
import { CopyField } from "../../components/CopyField";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { emailText } from "../../components/validation";
import { useTeams } from "../teams/hooks";
import { INVITATIONS_KEY } from "./hooks";

/** Invites someone by email with a role and teams; shows the link (it is emailed too). */
export function InviteForm() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const teams = useTeams();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [teamIds, setTeamIds] = useState<string[]>([]);
  // The invitee has no account yet: their mail is in the language chosen here, by default the inviter's.
  const [chosenMailLocale, setMailLocale] = useState<Locale | null>(null);
  const mailLocale: Locale = chosenMailLocale ?? (isLocale(i18n.language) ? i18n.language : currentLocale());
  const [problem, setProblem] = useState<string | undefined>();
  const [sent, setSent] = useState<{ invitation: Invitation; link: string } | null>(null);

  const invite = useMutation({
    mutationFn: () => api<{ invitation: Invitation; link: string }>("POST", "/workspace/invitations", { email: email.trim(), role, teamIds, locale: mailLocale }),
    onSuccess: (result) => {
      setSent(result);
      setEmail("");
      setTeamIds([]);
      notifySuccess(t("members.invitedToast", { email: result.invitation.email }));
      void queryClient.invalidateQueries({ queryKey: INVITATIONS_KEY });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const error = emailText(t, email);
    setProblem(error);
    if (!error) invite.mutate();
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="invite-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} fz="h4" id="invite-heading">
            {t("members.inviteTitle")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("members.inviteIntro")}
          </Text>
          {sent && (
            <Alert color="teal" title={t("members.invitedTitle", { email: sent.invitation.email })} withCloseButton onClose={() => setSent(null)} closeButtonLabel={t("common.close")}>
              <Stack gap="xs">
                <Text size="sm">{t("members.invitedText", { email: sent.invitation.email })}</Text>
                <CopyField label={t("members.invitationLink")} value={sent.link} />
              </Stack>
            </Alert>
          )}
          {invite.error && !hasOnlyFieldErrors(invite.error, ["email", "role", "teamIds", "locale"]) && (
            <Alert color="red" role="alert">
              {errorText(t, invite.error)}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <TextInput
              label={t("fields.email")}
              type="email"
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={problem ?? fieldError(t, invite.error, "email")}
              required
            />
            <Select
              label={t("members.role")}
              data={ROLES.map((value) => ({ value, label: t(`roles.${value}`) }))}
              value={role}
              onChange={(value) => value && setRole(value as Role)}
              allowDeselect={false}
              description={t(`roleHints.${role}`)}
              inputWrapperOrder={["label", "input", "description", "error"]}
              error={fieldError(t, invite.error, "role")}
            />
            {teams.data && teams.data.length > 0 && (
              <MultiSelect
                label={t("members.teams")}
                placeholder={teamIds.length ? undefined : t("members.noTeamsPicked")}
                data={teams.data.map((team) => ({ value: team.id, label: team.name }))}
                value={teamIds}
                onChange={setTeamIds}
                clearable
                error={fieldError(t, invite.error, "teamIds")}
              />
            )}
            <Select
              label={t("members.mailLanguage")}
              data={LOCALES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }))}
              value={mailLocale}
              onChange={(value) => isLocale(value) && setMailLocale(value)}
              allowDeselect={false}
              error={fieldError(t, invite.error, "locale")}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" leftSection={<IconSend size={16} aria-hidden style={{ transform: "scaleX(var(--arrow-flip, 1))" }} />} loading={invite.isPending}>
              {t("members.sendInvitation")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
