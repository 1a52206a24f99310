import { Alert, Anchor, Badge, Button, Card, Fieldset, Group, PasswordInput, Radio, Select, Stack, Switch, TagsInput, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { CopyField } from "../../components/CopyField";
import { useConfirm } from "../../components/confirm";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { QueryState } from "../../components/QueryState";
import { requiredText, validate, type FieldErrors } from "../../components/validation";
import { useMembers } from "../members/hooks";
import { formatDate } from "../../i18n/format";
import { useConfigureSso, useRemoveSso, useSsoSettings, type SamlCertificate, type SsoProtocol, type SsoRole, type SsoSettings } from "./hooks";

const SSO_ROLES: SsoRole[] = ["member", "manager", "admin"];

/** Settings → Security, "Single sign-on": the workspace's OpenID Connect or SAML 2.0 provider, who comes in as what, "SSO required". */
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
  const oidcNow = configured?.protocol === "oidc" ? configured : null;
  const samlNow = configured?.protocol === "saml" ? configured : null;
  const [protocol, setProtocol] = useState<SsoProtocol>(configured?.protocol ?? "oidc");
  const [issuer, setIssuer] = useState(oidcNow?.issuer ?? "");
  const [clientId, setClientId] = useState(oidcNow?.clientId ?? "");
  const [clientSecret, setClientSecret] = useState("");
  const [idpEntityId, setIdpEntityId] = useState(samlNow?.issuer ?? "");
  const [idpSsoUrl, setIdpSsoUrl] = useState(samlNow?.idpSsoUrl ?? "");
  const [idpCertificate, setIdpCertificate] = useState(samlNow?.idpCertificate ?? "");
  const [emailAttribute, setEmailAttribute] = useState(samlNow?.emailAttribute ?? "");
  const [nameAttribute, setNameAttribute] = useState(samlNow?.nameAttribute ?? "");
  const [domains, setDomains] = useState<string[]>(configured?.allowedDomains ?? []);
  const [defaultRole, setDefaultRole] = useState<SsoRole>(configured?.defaultRole ?? "member");
  const [teamsClaim, setTeamsClaim] = useState(configured?.teamsClaim ?? "");
  const [ssoRequired, setSsoRequired] = useState(configured?.ssoRequired ?? false);
  const [breakGlass, setBreakGlass] = useState<string | null>(configured?.breakGlassUserId ?? null);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    setClientSecret("");
    // The server's normalised PEM replaces what was pasted.
    if (current.configured && current.protocol === "saml") setIdpCertificate(current.idpCertificate ?? "");
  }, [current]);

  const owners = (members.data ?? []).filter((m) => m.role === "owner");
  const saml = protocol === "saml";
  const switching = configured !== null && configured.protocol !== protocol;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validate(
      saml
        ? {
            issuer: requiredText(t, idpEntityId),
            idpSsoUrl: requiredText(t, idpSsoUrl),
            idpCertificate: idpCertificate.trim() ? undefined : t("sso.idpCertificateRequired"),
            allowedDomains: domains.length ? undefined : t("sso.domainsRequired"),
            breakGlassUserId: ssoRequired && !breakGlass ? t("sso.breakGlassRequired") : undefined,
          }
        : {
            issuer: requiredText(t, issuer),
            clientId: requiredText(t, clientId),
            clientSecret: oidcNow ? undefined : requiredText(t, clientSecret),
            allowedDomains: domains.length ? undefined : t("sso.domainsRequired"),
            breakGlassUserId: ssoRequired && !breakGlass ? t("sso.breakGlassRequired") : undefined,
          },
    );
    setErrors(problems ?? {});
    if (problems) return;
    const policy = { allowedDomains: domains, defaultRole, teamsClaim: teamsClaim.trim() || null, ssoRequired, breakGlassUserId: breakGlass };
    configure.mutate(
      saml
        ? {
            protocol,
            issuer: idpEntityId.trim(),
            idpSsoUrl: idpSsoUrl.trim(),
            idpCertificate,
            emailAttribute: emailAttribute.trim() || null,
            nameAttribute: nameAttribute.trim() || null,
            ...policy,
          }
        : { protocol, issuer: issuer.trim(), clientId: clientId.trim(), ...(clientSecret ? { clientSecret } : {}), ...policy },
      { onSuccess: () => notifySuccess(t("sso.savedToast")) },
    );
  };
  const removeProvider = async () => {
    const ok = await confirm({ title: t("sso.removeTitle"), message: t("sso.removeMessage"), confirmLabel: t("sso.remove"), danger: true });
    if (ok) remove.mutate(undefined, { onSuccess: () => notifySuccess(t("sso.removedToast")) });
  };
  const error = (field: string) => errors[field] ?? fieldError(t, configure.error, field);
  const formFields = ["issuer", "clientId", "clientSecret", "idpSsoUrl", "idpCertificate", "emailAttribute", "nameAttribute", "allowedDomains", "defaultRole", "teamsClaim", "breakGlassUserId"];

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Radio.Group label={t("sso.protocol")} description={t("sso.protocolHint")} value={protocol} onChange={(value) => setProtocol(value as SsoProtocol)}>
          <Group mt="xs">
            <Radio value="oidc" label={t("sso.protocolOidc")} />
            <Radio value="saml" label={t("sso.protocolSaml")} />
          </Group>
        </Radio.Group>
        {switching && (
          <Alert color="yellow" role="status">
            {t("sso.switchWarning", { protocol: t(saml ? "sso.protocolSaml" : "sso.protocolOidc") })}
          </Alert>
        )}
        {saml ? (
          <>
            <Fieldset legend={t("sso.samlForIdp")} variant="filled">
              <Stack gap="xs">
                <Text size="sm" c="dimmed">
                  {t("sso.samlForIdpHint")}
                </Text>
                <CopyField label={t("sso.samlEntityId")} value={current.saml.entityId} />
                <CopyField label={t("sso.samlAcsUrl")} value={current.saml.acsUrl} />
                <CopyField label={t("sso.samlMetadataUrl")} value={current.saml.metadataUrl} />
                <Anchor href={current.saml.metadataUrl} target="_blank" rel="noreferrer" size="sm">
                  {t("sso.samlOpenMetadata")}
                </Anchor>
              </Stack>
            </Fieldset>
            <Fieldset legend={t("sso.samlFromIdp")} variant="filled">
              <Stack gap="md">
                <TextInput
                  label={t("sso.idpSsoUrl")}
                  description={t("sso.idpSsoUrlHint")}
                  placeholder="https://login.example.com/saml/sso"
                  classNames={{ input: "ltr-value" }}
                  value={idpSsoUrl}
                  onChange={(e) => setIdpSsoUrl(e.currentTarget.value)}
                  error={error("idpSsoUrl")}
                  required
                />
                <TextInput
                  label={t("sso.idpEntityId")}
                  description={t("sso.idpEntityIdHint")}
                  placeholder="https://login.example.com/saml/metadata"
                  classNames={{ input: "ltr-value" }}
                  value={idpEntityId}
                  onChange={(e) => setIdpEntityId(e.currentTarget.value)}
                  error={error("issuer")}
                  required
                />
                <Textarea
                  label={t("sso.idpCertificate")}
                  description={t("sso.idpCertificateHint")}
                  placeholder={"-----BEGIN CERTIFICATE-----\nMIIC…\n-----END CERTIFICATE-----"}
                  classNames={{ input: "ltr-value" }}
                  styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", fontSize: "var(--mantine-font-size-xs)" } }}
                  autosize
                  minRows={4}
                  maxRows={12}
                  spellCheck={false}
                  value={idpCertificate}
                  onChange={(e) => setIdpCertificate(e.currentTarget.value)}
                  error={error("idpCertificate")}
                  required
                />
                {samlNow && samlNow.idpCertificates.length > 0 && <CertificateList certificates={samlNow.idpCertificates} />}
                <Group grow align="flex-start">
                  <TextInput
                    label={t("sso.emailAttribute")}
                    description={t("sso.emailAttributeHint")}
                    placeholder="email"
                    classNames={{ input: "ltr-value" }}
                    value={emailAttribute}
                    onChange={(e) => setEmailAttribute(e.currentTarget.value)}
                    error={error("emailAttribute")}
                  />
                  <TextInput
                    label={t("sso.nameAttribute")}
                    description={t("sso.nameAttributeHint")}
                    placeholder="displayName"
                    classNames={{ input: "ltr-value" }}
                    value={nameAttribute}
                    onChange={(e) => setNameAttribute(e.currentTarget.value)}
                    error={error("nameAttribute")}
                  />
                </Group>
              </Stack>
            </Fieldset>
          </>
        ) : (
          <>
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
                description={oidcNow ? t("sso.clientSecretKept") : t("sso.clientSecretHint")}
                value={clientSecret}
                onChange={(e) => setClientSecret(e.currentTarget.value)}
                error={error("clientSecret")}
                required={!oidcNow}
                autoComplete="new-password"
                visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
              />
            </Group>
          </>
        )}
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
            label={saml ? t("sso.teamsAttribute") : t("sso.teamsClaim")}
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

/** The stored IdP certificates: whose they are and until when they are valid, so an admin sees a change coming. */
function CertificateList({ certificates }: { certificates: SamlCertificate[] }) {
  const { t } = useTranslation();
  const soon = Date.now() + 30 * 24 * 3600_000;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {t("sso.certificatesInUse")}
      </Text>
      {certificates.map((certificate) => {
        const until = Date.parse(certificate.notAfter);
        return (
          <Card key={certificate.fingerprint} withBorder padding="xs">
            <Stack gap={2}>
              <Text size="sm">
                {t("sso.certificateSubject")}: <span className="ltr-value">{certificate.subject}</span>
              </Text>
              <Group gap="xs">
                <Text size="sm" c="dimmed">
                  {t("sso.certificateValidUntil", { date: formatDate(certificate.notAfter) })}
                </Text>
                {until < Date.now() ? (
                  <Badge color="red" variant="light">
                    {t("sso.certificateExpired")}
                  </Badge>
                ) : until < soon ? (
                  <Badge color="yellow" variant="light">
                    {t("sso.certificateExpiresSoon")}
                  </Badge>
                ) : null}
              </Group>
            </Stack>
          </Card>
        );
      })}
    </Stack>
  );
}
