import { Badge, Button, Group, Modal, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Textarea } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { APPROVER_ROLES } from "../../../contracts/crisis-plans";
import { useCan } from "../../app/session";
import { errorText } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { useSeverities, useUpdateSeverity, type Severity } from "./hooks";
import { useSeverityText } from "./severity-text";

/** Crisis → Severities: what each level means, who approves statements, crisis mode, update cadence. Admins edit. */
export function SeveritiesPage() {
  const { t } = useTranslation();
  const severityText = useSeverityText();
  const severities = useSeverities();
  const mayEdit = useCan("crisis.severities");
  const [editing, setEditing] = useState<Severity | null>(null);
  const minutes = (m: number | null) => (m === null ? t("crisisSeverities.none") : m % 60 === 0 ? t("crisisSeverities.everyHours", { count: m / 60 }) : t("crisisSeverities.everyMinutes", { count: m }));
  return (
    <Page
      title={t("crisisSeverities.title")}
      description={mayEdit ? t("crisisSeverities.description") : `${t("crisisSeverities.description")} ${t("crisisSeverities.adminsOnly")}`}
      actions={
        <Button component={Link} to="/crisis/plans" variant="default">
          {t("crisisPlans.backToPlans")}
        </Button>
      }
    >
      <QueryState query={severities}>
        {(list) => (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("crisisSeverities.level")}</Table.Th>
                  <Table.Th>{t("crisisSeverities.approver")}</Table.Th>
                  <Table.Th>{t("crisisSeverities.crisisMode")}</Table.Th>
                  <Table.Th>{t("crisisSeverities.internal")}</Table.Th>
                  <Table.Th>{t("crisisSeverities.public")}</Table.Th>
                  <Table.Th>{t("crisisSeverities.deadline")}</Table.Th>
                  {mayEdit && <Table.Th>{t("common.actions")}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((s) => (
                  <Table.Tr key={s.level} data-testid="severity-row">
                    <Table.Td maw={340}>
                      <Text fw={600}>{severityText(s.level, s.name).name}</Text>
                      <Text size="sm" c="dimmed" dir="auto">
                        {severityText(s.level, s.name, s.description).description}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t(`crisisPlans.role.${s.approverRole}`)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={s.autoCrisisMode ? "red" : "gray"}>
                        {s.autoCrisisMode ? t("crisisSeverities.auto") : t("crisisSeverities.manual")}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{minutes(s.internalUpdateMinutes)}</Table.Td>
                    <Table.Td>{minutes(s.publicUpdateMinutes)}</Table.Td>
                    <Table.Td>{t("crisisSeverities.minutes", { count: s.approvalDeadlineMinutes })}</Table.Td>
                    {mayEdit && (
                      <Table.Td>
                        <Button size="xs" variant="default" aria-label={`${t("common.edit")}: ${severityText(s.level, s.name).name}`} onClick={() => setEditing(s)}>
                          {t("common.edit")}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {editing && <EditSeverity key={editing.level} severity={editing} onClose={() => setEditing(null)} />}
    </Page>
  );
}

function EditSeverity({ severity, onClose }: { severity: Severity; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateSeverity();
  // A default level is edited from the text the reader sees (their language), which is what is saved.
  const shown = useSeverityText()(severity.level, severity.name, severity.description);
  const [form, setForm] = useState({ ...severity, ...shown });
  const [error, setError] = useState<string | null>(null);
  const patch = (p: Partial<Severity>) => setForm((f) => ({ ...f, ...p }));
  const submit = () =>
    update.mutate(
      {
        level: severity.level,
        name: form.name,
        description: form.description,
        approverRole: form.approverRole,
        autoCrisisMode: form.autoCrisisMode,
        internalUpdateMinutes: form.internalUpdateMinutes,
        publicUpdateMinutes: form.publicUpdateMinutes,
        approvalDeadlineMinutes: form.approvalDeadlineMinutes,
      },
      { onSuccess: () => (notifySuccess(t("crisisSeverities.saved")), onClose()), onError: (err) => setError(errorText(t, err)) },
    );
  return (
    <Modal opened onClose={onClose} title={t("crisisSeverities.editTitle", { name: shown.name })} centered size="lg">
      <Stack>
        <TextInput label={t("crisisSeverities.name")} value={form.name} onChange={(e) => patch({ name: e.currentTarget.value })} maxLength={60} />
        <Textarea label={t("crisisSeverities.meaning")} value={form.description} onChange={(e) => patch({ description: e.currentTarget.value })} autosize minRows={2} maxLength={1000} />
        <Select label={t("crisisSeverities.approver")} description={t("crisisSeverities.approverHelp")} data={APPROVER_ROLES.map((r) => ({ value: r, label: t(`crisisPlans.role.${r}`) }))} value={form.approverRole} onChange={(v) => v && patch({ approverRole: v as Severity["approverRole"] })} />
        <Switch label={t("crisisSeverities.autoLabel")} description={t("crisisSeverities.autoHelp")} checked={form.autoCrisisMode} onChange={(e) => patch({ autoCrisisMode: e.currentTarget.checked })} />
        <Group grow align="flex-start">
          <NumberInput label={t("crisisSeverities.internalMinutes")} min={5} max={10080} value={form.internalUpdateMinutes} onChange={(v) => patch({ internalUpdateMinutes: Number(v) || 0 })} />
          <NumberInput label={t("crisisSeverities.publicMinutes")} description={t("crisisSeverities.publicHelp")} min={5} max={10080} value={form.publicUpdateMinutes ?? ""} onChange={(v) => patch({ publicUpdateMinutes: v === "" ? null : Number(v) })} />
          <NumberInput label={t("crisisSeverities.deadlineMinutes")} description={t("crisisSeverities.deadlineHelp")} min={1} max={1440} value={form.approvalDeadlineMinutes} onChange={(v) => patch({ approvalDeadlineMinutes: Number(v) || 0 })} />
        </Group>
        {error && (
          <Text c="red.8" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button onClick={submit} loading={update.isPending}>
            {t("common.save")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
