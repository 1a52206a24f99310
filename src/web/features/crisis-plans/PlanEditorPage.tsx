import { ActionIcon, Alert, Badge, Button, Card, Group, MultiSelect, NumberInput, SegmentedControl, Select, Stack, Switch, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconTrash } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { PLAN_ROLES, STATEMENT_LOCALES, TASK_KINDS, type PlanRoleKey } from "../../../contracts/crisis-plans";
import { ALERT_KINDS } from "../../../contracts/listening-alerts";
import { useCan } from "../../app/session";
import { errorText } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { useStreams } from "../listening/hooks";
import { useMembers } from "../members/hooks";
import { useApproveStatement, useArchivePlan, usePlan, usePlanVersions, useSavePlan, useSeverities, useStakeholderDestinations, type Plan, type PlanContent } from "./hooks";

/** Each statement language named in itself. */
const LOCALE_NAMES: Record<string, string> = { en: "English", de: "Deutsch", it: "Italiano", nl: "Nederlands", fa: "فارسی", fr: "Français", es: "Español", pt: "Português", ar: "العربية" };
const RTL = new Set(["fa", "ar"]);

/** Crisis → Plans → one plan: roles with holder and backup, the first-hour checklist, holding statements, stakeholders, triggers. */
export function PlanEditorPage() {
  const { planId = "" } = useParams();
  const plan = usePlan(planId);
  return <QueryState query={plan}>{(p) => <Editor key={`${p.id}:${p.currentVersion}`} plan={p} />}</QueryState>;
}

function Editor({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const mayEdit = useCan("crisis.plans") && !plan.archived;
  const members = useMembers();
  const streams = useStreams();
  const severities = useSeverities();
  const destinations = useStakeholderDestinations();
  const save = useSavePlan();
  const approve = useApproveStatement();
  const archive = useArchivePlan();
  const [name, setName] = useState(plan.name);
  const [content, setContent] = useState<PlanContent>(plan.content);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setError(null), [content, name]);
  const dirty = name !== plan.name || JSON.stringify(content) !== JSON.stringify(plan.content);
  const set = <K extends keyof PlanContent>(key: K, value: PlanContent[K]) => setContent((c) => ({ ...c, [key]: value }));
  const people = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name || m.email }));
  const roleOptions = PLAN_ROLES.map((r) => ({ value: r, label: t(`crisisPlans.role.${r}`) }));
  const r = plan.readiness;

  const onSave = () =>
    save.mutate(
      { id: plan.id, expectedVersion: plan.currentVersion, name, content, note: note.trim() || undefined },
      { onSuccess: () => notifySuccess(t("crisisPlans.saved")), onError: (err) => setError(errorText(t, err)) },
    );

  return (
    <Page
      title={plan.name}
      description={
        <>
          {t(`crisisPlans.scenario.${plan.scenario}`)} · {t("crisisPlans.versionN", { version: plan.currentVersion })} · <RelativeTime value={plan.versionCreatedAt} />
          {plan.archived && ` · ${t("crisisPlans.archived")}`}
        </>
      }
      actions={
        <>
          <Button component={Link} to="/crisis/plans" variant="default">
            {t("crisisPlans.backToPlans")}
          </Button>
          {useCan("crisis.plans") && (
            <Button variant="subtle" color={plan.archived ? undefined : "red"} loading={archive.isPending} onClick={() => archive.mutate({ id: plan.id, archived: !plan.archived }, { onError: (err) => notifyError(t, err) })}>
              {plan.archived ? t("crisisPlans.restore") : t("crisisPlans.archive")}
            </Button>
          )}
        </>
      }
    >
      <Group gap="xs" data-testid="readiness">
        <Badge color={r.ready ? "teal.9" : "orange"} size="lg" variant={r.ready ? "filled" : "light"}>
          {r.ready ? t("crisisPlans.ready") : t("crisisPlans.notReady")}
        </Badge>
        <Text size="sm">
          {t("crisisPlans.readinessLine", { roles: r.rolesFilled, rolesTotal: r.rolesTotal, backups: r.backupsSet, statements: r.statementsApproved, statementsTotal: r.statementsTotal })}{" "}
          {r.lastDrilledDaysAgo === null ? t("crisisPlans.neverDrilled") : t("crisisPlans.drilledDaysAgo", { count: r.lastDrilledDaysAgo })}
        </Text>
      </Group>

      <Card withBorder>
        <Stack>
          <TextInput label={t("crisisPlans.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={!mayEdit} maxLength={120} dir="auto" />
          <Textarea label={t("crisisPlans.planDescription")} value={content.description} onChange={(e) => set("description", e.currentTarget.value)} disabled={!mayEdit} autosize minRows={2} maxLength={2000} dir="auto" />
          <Select
            label={t("crisisPlans.defaultSeverity")}
            description={t("crisisPlans.defaultSeverityHelp")}
            data={(severities.data ?? []).map((s) => ({ value: String(s.level), label: s.name }))}
            value={String(content.defaultSeverity)}
            onChange={(v) => v && set("defaultSeverity", Number(v))}
            disabled={!mayEdit}
            maw={320}
          />
        </Stack>
      </Card>

      <Section title={t("crisisPlans.rolesTitle")} help={t("crisisPlans.rolesHelp")}>
        <Table.ScrollContainer minWidth={640}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("crisisPlans.role.title")}</Table.Th>
                <Table.Th>{t("crisisPlans.holder")}</Table.Th>
                <Table.Th>{t("crisisPlans.backup")}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {content.roles.map((role, i) => (
                <Table.Tr key={role.role} data-testid="plan-role">
                  <Table.Td>
                    <Text fw={600}>{t(`crisisPlans.role.${role.role}`)}</Text>
                    {r.staleRoles.includes(role.role) && (
                      <Text size="xs" c="red.8">
                        {t("crisisPlans.staleRole")}
                      </Text>
                    )}
                  </Table.Td>
                  {(["holderId", "backupId"] as const).map((field) => (
                    <Table.Td key={field}>
                      <Select
                        aria-label={`${t(field === "holderId" ? "crisisPlans.holder" : "crisisPlans.backup")}: ${t(`crisisPlans.role.${role.role}`)}`}
                        data={people}
                        value={role[field]}
                        placeholder={t("crisisPlans.nobody")}
                        clearable
                        searchable
                        disabled={!mayEdit}
                        onChange={(v) => set("roles", content.roles.map((x, j) => (j === i ? { ...x, [field]: v } : x)))}
                      />
                    </Table.Td>
                  ))}
                  <Table.Td>
                    {mayEdit && (
                      <ActionIcon variant="subtle" color="red" aria-label={`${t("common.delete")}: ${t(`crisisPlans.role.${role.role}`)}`} onClick={() => set("roles", content.roles.filter((_, j) => j !== i))}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {mayEdit && content.roles.length < PLAN_ROLES.length && (
          <Select
            maw={260}
            placeholder={t("crisisPlans.addRole")}
            aria-label={t("crisisPlans.addRole")}
            data={roleOptions.filter((o) => !content.roles.some((x) => x.role === o.value))}
            value={null}
            onChange={(v) => v && set("roles", [...content.roles, { role: v as PlanRoleKey, holderId: null, backupId: null }])}
          />
        )}
      </Section>

      <Section title={t("crisisPlans.checklistTitle")} help={t("crisisPlans.checklistHelp")}>
        <Table.ScrollContainer minWidth={760}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("crisisPlans.stepTitle")}</Table.Th>
                <Table.Th>{t("crisisPlans.role.title")}</Table.Th>
                <Table.Th>{t("crisisPlans.dueMinutes")}</Table.Th>
                <Table.Th>{t("crisisPlans.kind")}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {content.checklist.map((step, i) => {
                const change = (patch: Partial<typeof step>) => set("checklist", content.checklist.map((x, j) => (j === i ? { ...x, ...patch } : x)));
                return (
                  <Table.Tr key={step.id} data-testid="plan-step">
                    <Table.Td miw={260}>
                      <TextInput aria-label={t("crisisPlans.stepTitle")} value={step.title} onChange={(e) => change({ title: e.currentTarget.value })} disabled={!mayEdit} maxLength={200} dir="auto" />
                    </Table.Td>
                    <Table.Td w={170}>
                      <Select aria-label={t("crisisPlans.role.title")} data={roleOptions} value={step.role} onChange={(v) => v && change({ role: v as PlanRoleKey })} disabled={!mayEdit} />
                    </Table.Td>
                    <Table.Td w={110}>
                      <NumberInput aria-label={t("crisisPlans.dueMinutes")} value={step.dueMinutes} min={0} max={10080} onChange={(v) => change({ dueMinutes: Number(v) || 0 })} disabled={!mayEdit} />
                    </Table.Td>
                    <Table.Td w={190}>
                      <Select aria-label={t("crisisPlans.kind")} data={TASK_KINDS.map((k) => ({ value: k, label: t(`crisisPlans.taskKind.${k}`) }))} value={step.kind} onChange={(v) => v && change({ kind: v as typeof step.kind })} disabled={!mayEdit} />
                    </Table.Td>
                    <Table.Td>
                      {mayEdit && (
                        <ActionIcon variant="subtle" color="red" aria-label={`${t("common.delete")}: ${step.title}`} onClick={() => set("checklist", content.checklist.filter((_, j) => j !== i))}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {mayEdit && (
          <Button variant="default" w="fit-content" onClick={() => set("checklist", [...content.checklist, { id: `step-${Date.now().toString(36)}`, title: t("crisisPlans.newStep"), role: "lead", dueMinutes: 30, kind: "other" }])}>
            {t("crisisPlans.addStep")}
          </Button>
        )}
      </Section>

      <Section title={t("crisisPlans.statementsTitle")} help={t("crisisPlans.statementsHelp")}>
        {content.statements.map((s, i) => {
          const saved = plan.content.statements.find((x) => x.id === s.id);
          const unchanged = saved && saved.body === s.body && saved.locale === s.locale && saved.title === s.title;
          const approvedBy = s.approvedBy ? (members.data?.find((m) => m.userId === s.approvedBy)?.name ?? "—") : null;
          const change = (patch: Partial<typeof s>) => set("statements", content.statements.map((x, j) => (j === i ? { ...x, ...patch, approvedBy: null, approvedAt: null } : x)));
          return (
            <Card key={s.id} withBorder data-testid="plan-statement">
              <Stack gap="xs">
                <Group align="flex-end" wrap="wrap">
                  <TextInput label={t("crisisPlans.statementTitle")} value={s.title} onChange={(e) => change({ title: e.currentTarget.value })} disabled={!mayEdit} style={{ flex: 1 }} maxLength={120} dir="auto" />
                  <Select label={t("crisisPlans.statementLocale")} data={STATEMENT_LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))} value={s.locale} onChange={(v) => v && change({ locale: v as typeof s.locale })} disabled={!mayEdit} w={160} />
                </Group>
                <Textarea label={t("crisisPlans.statementBody")} value={s.body} onChange={(e) => change({ body: e.currentTarget.value })} disabled={!mayEdit} autosize minRows={3} maxLength={2000} dir={RTL.has(s.locale) ? "rtl" : "ltr"} />
                <Group justify="space-between">
                  {approvedBy && s.approvedAt ? (
                    <Group gap={4} wrap="nowrap">
                      <IconCircleCheck size={18} color="var(--mantine-color-teal-8)" aria-hidden />
                      <Text size="sm" fw={600} c="teal.9">
                        {t("crisisPlans.approvedBy", { name: approvedBy })} · <RelativeTime value={s.approvedAt} />
                      </Text>
                    </Group>
                  ) : (
                    <Group gap={4} wrap="nowrap">
                      <IconAlertTriangle size={18} color="var(--mantine-color-red-8)" aria-hidden />
                      <Text size="sm" fw={600} c="red.9">
                        {t("crisisPlans.notApproved")}
                      </Text>
                    </Group>
                  )}
                  <Group gap="xs">
                    {mayEdit && !s.approvedBy && unchanged && !dirty && (
                      <Button size="xs" loading={approve.isPending} onClick={() => approve.mutate({ id: plan.id, statementId: s.id, expectedVersion: plan.currentVersion }, { onSuccess: () => notifySuccess(t("crisisPlans.approved")), onError: (err) => notifyError(t, err) })}>
                        {t("crisisPlans.approve")}
                      </Button>
                    )}
                    {mayEdit && !s.approvedBy && (!unchanged || dirty) && (
                      <Text size="xs" c="dimmed">
                        {t("crisisPlans.saveToApprove")}
                      </Text>
                    )}
                    {mayEdit && (
                      <ActionIcon variant="subtle" color="red" aria-label={`${t("common.delete")}: ${s.title}`} onClick={() => set("statements", content.statements.filter((_, j) => j !== i))}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Group>
                </Group>
              </Stack>
            </Card>
          );
        })}
        {mayEdit && (
          <Button
            variant="default"
            w="fit-content"
            onClick={() => set("statements", [...content.statements, { id: `holding-${Date.now().toString(36)}`, title: t("crisisPlans.newStatement"), locale: "en", body: t("crisisPlans.statementSkeleton"), approvedBy: null, approvedAt: null }])}
          >
            {t("crisisPlans.addStatement")}
          </Button>
        )}
      </Section>

      <Section title={t("crisisPlans.stakeholdersTitle")} help={t("crisisPlans.stakeholdersHelp")}>
        {content.stakeholders.map((s, i) => {
          const change = (patch: Partial<typeof s>) => set("stakeholders", content.stakeholders.map((x, j) => (j === i ? { ...x, ...patch } : x)));
          return (
            <Group key={i} align="flex-end" wrap="wrap" data-testid="plan-stakeholder">
              <TextInput label={t("crisisPlans.stakeholderName")} value={s.name} onChange={(e) => change({ name: e.currentTarget.value })} disabled={!mayEdit} />
              <TextInput label={t("fields.email")} type="email" dir="ltr" value={s.email ?? ""} onChange={(e) => change({ email: e.currentTarget.value || null })} disabled={!mayEdit} />
              <Select
                label={t("crisisPlans.stakeholderDestination")}
                placeholder={t("crisisPlans.noDestination")}
                clearable
                w={260}
                data={(destinations.data ?? []).map((d) => ({
                  value: d.id,
                  label: `${d.name} (${t(`alertDestinations.kindName.${d.kind}`)})${d.enabled ? "" : ` — ${t("crisisPlans.destinationOff")}`}`,
                }))}
                value={s.destinationId}
                onChange={(v) => change({ destinationId: v })}
                disabled={!mayEdit}
              />
              <Select
                label={t("crisisPlans.fromSeverity")}
                data={(severities.data ?? []).map((x) => ({ value: String(x.level), label: x.name }))}
                value={String(s.fromSeverity)}
                onChange={(v) => v && change({ fromSeverity: Number(v) })}
                disabled={!mayEdit}
                w={200}
              />
              {mayEdit && (
                <ActionIcon variant="subtle" color="red" mb={6} aria-label={`${t("common.delete")}: ${s.name}`} onClick={() => set("stakeholders", content.stakeholders.filter((_, j) => j !== i))}>
                  <IconTrash size={16} />
                </ActionIcon>
              )}
            </Group>
          );
        })}
        {mayEdit && (
          <Button variant="default" w="fit-content" onClick={() => set("stakeholders", [...content.stakeholders, { name: "", email: null, destinationId: null, fromSeverity: 1 }])}>
            {t("crisisPlans.addStakeholder")}
          </Button>
        )}
      </Section>

      <Section title={t("crisisPlans.triggersTitle")} help={t("crisisPlans.triggersHelp")}>
        <MultiSelect
          label={t("crisisPlans.triggerStreams")}
          data={(streams.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={content.triggers.streamIds}
          onChange={(v) => set("triggers", { ...content.triggers, streamIds: v })}
          disabled={!mayEdit}
        />
        <MultiSelect
          label={t("crisisPlans.triggerKinds")}
          data={ALERT_KINDS.map((k) => ({ value: k, label: t(`listeningAlerts.kind.${k}`) }))}
          value={content.triggers.alertKinds}
          onChange={(v) => set("triggers", { ...content.triggers, alertKinds: v as PlanContent["triggers"]["alertKinds"] })}
          disabled={!mayEdit}
        />
      </Section>

      <Section title={t("crisisPlans.crisisModeTitle")} help={t("crisisPlans.crisisModeHelp")}>
        <SegmentedControl
          w="fit-content"
          aria-label={t("crisisPlans.pause")}
          data={[
            { value: "all", label: t("crisisPlans.pauseAll") },
            { value: "none", label: t("crisisPlans.pauseNone") },
          ]}
          value={content.crisisMode.pause}
          onChange={(v) => set("crisisMode", { ...content.crisisMode, pause: v as "all" | "none" })}
          disabled={!mayEdit}
        />
        {(["lockdown", "secure", "notify"] as const).map((part) => (
          <Switch key={part} label={t(`crisisPlans.mode.${part}`)} checked={content.crisisMode[part]} onChange={(e) => set("crisisMode", { ...content.crisisMode, [part]: e.currentTarget.checked })} disabled={!mayEdit} />
        ))}
      </Section>

      {mayEdit && (
        <Card withBorder style={{ position: "sticky", bottom: 0, zIndex: 2 }}>
          <Stack gap="xs">
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group align="flex-end">
              <TextInput label={t("crisisPlans.versionNote")} placeholder={t("crisisPlans.versionNotePlaceholder")} value={note} onChange={(e) => setNote(e.currentTarget.value)} style={{ flex: 1 }} maxLength={300} />
              <Button onClick={onSave} loading={save.isPending} disabled={!dirty}>
                {t("crisisPlans.saveVersion")}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      <Versions planId={plan.id} />
    </Page>
  );
}

function Section({ title, help, children }: { title: string; help: string; children: React.ReactNode }) {
  return (
    <Card withBorder>
      <Stack gap="sm">
        <div>
          <Title order={2} fz="h4">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {help}
          </Text>
        </div>
        {children}
      </Stack>
    </Card>
  );
}

function Versions({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const versions = usePlanVersions(planId);
  return (
    <Section title={t("crisisPlans.versionsTitle")} help={t("crisisPlans.versionsHelp")}>
      <QueryState query={versions}>
        {(list) => (
          <Stack gap={4}>
            {list.map((v) => (
              <Text size="sm" key={v.version} dir="auto">
                {t("crisisPlans.versionN", { version: v.version })} · <RelativeTime value={v.createdAt} />
                {v.note ? ` · ${v.note}` : ""}
              </Text>
            ))}
          </Stack>
        )}
      </QueryState>
    </Section>
  );
}
