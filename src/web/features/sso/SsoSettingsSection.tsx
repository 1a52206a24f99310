import { Alert, Button, Card, Group, PasswordInput, Select, Stack, Switch, TagsInput, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { CopyField } from "../../components/CopyField";
import { useConfirm } from "../../components/confirm";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { QueryState } from "../../components/QueryState";
import { requiredText, validate, type FieldErrors } from "../../components/validation";
import { useMembers } from "../members/hooks";
import { useConfigureSso, useRemoveSso, useSsoSettings, type SsoRole, type SsoSettings } from "./hooks";

const SSO_ROLES: SsoRole[] = ["member", "manager", "admin"];

/** Settings → Security, "Single sign-on": the workspace's OpenID provider, who comes in as what, "SSO required". */
export function SsoSettingsSection() {
  const { t } = useTranslation();
  const settings = useSsoSettings();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="sso-heading">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} fz="h4" id="sso-heading">
            {t("sso.heading")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("sso.intro")}
          </Text>
        </Stack>
        <QueryState query={settings}>{(current) => <SsoForm current={current} />}</QueryState>
      </Stack>
    </Card>
  );
}

function SsoForm({ current }: { current: SsoSettings }) {
  const { t } = useTranslation();
  const confirm = useConfirm();
  const configure = useConfigureSso();
  const remove = useRemoveSso();
  const members = useMembers();
  const configured = current.configured ? current : null;
  const [issuer, setIssuer] = useState(configured?.issuer ?? "");
  const [clientId, setClientId] = useState(configured?.clientId ?? "");
  const [clientSecret, setClientSecret] = useState("");
  const [domains, setDomains] = useState<string[]>(configured?.allowedDomains ?? []);
  const [defaultRole, setDefaultRole] = useState<SsoRole>(configured?.defaultRole ?? "member");
  const [teamsClaim, setTeamsClaim] = useState(configured?.teamsClaim ?? "");
  const [ssoRequired, setSsoRequired] = useState(configured?.ssoRequired ?? false);
  const [breakGlass, setBreakGlass] = useState<string | null>(configured?.breakGlassUserId ?? null);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => setClientSecret(""), [current]);

  const owners = (members.data ?? []).filter((m) => m.role === "owner");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate({
      issuer: requiredText(t, issuer),
      clientId: requiredText(t, clientId),
      clientSecret: configured ? undefined : requiredText(t, clientSecret),
      allowedDomains: domains.length ? undefined : t("sso.domainsRequired"),
      breakGlassUserId: ssoRequired && !breakGlass ? t("sso.breakGlassRequired") : undefined,
    });
    setErrors(problems ?? {});
    if (problems) return;
    configure.mutate(
      {
        issuer: issuer.trim(),
        clientId: clientId.trim(),
        ...(clientSecret ? { clientSecret } : {}),
        allowedDomains: domains,
        defaultRole,
        teamsClaim: teamsClaim.trim() || null,
        ssoRequired,
        breakGlassUserId: breakGlass,
      },
      { onSuccess: () => notifySuccess(t("sso.savedToast")) },
    );
  };
  const removeProvider = async () => {
    const ok = await confirm({ title: t("sso.removeTitle"), message: t("sso.removeMessage"), confirmLabel: t("sso.remove"), danger: true });
    if (ok) remove.mutate(undefined, { onSuccess: () => notifySuccess(t("sso.removedToast")) });
  };
  const error = (field: string) => errors[field] ?? fieldError(t, configure.error, field);
  const formFields = ["issuer", "clientId", "clientSecret", "allowedDomains", "defaultRole", "teamsClaim", "breakGlassUserId"];

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <CopyField label={t("sso.redirectUri")} description={t("sso.redirectUriHint")} value={current.redirectUri} />
        <TextInput
          label={t("sso.issuer")}
          description={t("sso.issuerHint")}
          placeholder="https://login.example.com"
          classNames={{ input: "ltr-value" }}
          value={issuer}
          onChange={(e) => setIssuer(e.currentTarget.value)}
          error={error("issuer")}
          required
        />
        <Group grow align="flex-start">
          <TextInput label={t("sso.clientId")} classNames={{ input: "ltr-value" }} value={clientId} onChange={(e) => setClientId(e.currentTarget.value)} error={error("clientId")} required />
          <PasswordInput
            label={t("sso.clientSecret")}
            description={configured ? t("sso.clientSecretKept") : t("sso.clientSecretHint")}
            value={clientSecret}
            onChange={(e) => setClientSecret(e.currentTarget.value)}
            error={error("clientSecret")}
            required={!configured}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
          />
        </Group>
        <TagsInput
          label={t("sso.domains")}
          description={t("sso.domainsHint")}
          placeholder="example.com"
          classNames={{ input: "ltr-value" }}
          value={domains}
          onChange={setDomains}
          splitChars={[",", " "]}
          error={error("allowedDomains")}
          required
        />
        <Group grow align="flex-start">
          <Select
            label={t("sso.defaultRole")}
            description={t("sso.defaultRoleHint")}
            data={SSO_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            value={defaultRole}
            onChange={(value) => value && setDefaultRole(value as SsoRole)}
            allowDeselect={false}
            error={error("defaultRole")}
          />
          <TextInput
            label={t("sso.teamsClaim")}
            description={t("sso.teamsClaimHint")}
            placeholder="groups"
            classNames={{ input: "ltr-value" }}
            value={teamsClaim}
            onChange={(e) => setTeamsClaim(e.currentTarget.value)}
            error={error("teamsClaim")}
          />
        </Group>
        <Switch
          size="md"
          checked={ssoRequired}
          onChange={(e) => setSsoRequired(e.currentTarget.checked)}
          label={t("sso.required")}
          description={t("sso.requiredHint")}
        />
        <Select
          label={t("sso.breakGlass")}
          description={t("sso.breakGlassHint")}
          placeholder={t("sso.breakGlassPlaceholder")}
          data={owners.map((o) => ({ value: o.userId, label: `${o.name} (${o.email})` }))}
          value={breakGlass}
          onChange={setBreakGlass}
          clearable
          error={error("breakGlassUserId")}
          required={ssoRequired}
        />
        {configure.error && !hasOnlyFieldErrors(configure.error, formFields) && (
          <Alert color="red" role="alert">
            {errorText(t, configure.error)}
          </Alert>
        )}
        {remove.error && (
          <Alert color="red" role="alert">
            {errorText(t, remove.error)}
          </Alert>
        )}
        <Group justify="space-between">
          {configured ? (
            <Button variant="subtle" color="red" onClick={() => void removeProvider()} loading={remove.isPending}>
              {t("sso.remove")}
            </Button>
          ) : (
            <span />
          )}
          <Button type="submit" loading={configure.isPending}>
            {configured ? t("sso.save") : t("sso.setUp")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
