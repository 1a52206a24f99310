import { Badge, Button, Group, Modal, Select, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconShieldCheck } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { CRISIS_SCENARIOS, type CrisisScenario } from "../../../contracts/crisis-plans";
import { useCan } from "../../app/session";
import { Empty } from "../../components/Empty";
import { notifyError } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { useCreatePlan, usePlans, useSeverities, type PlanSummary } from "./hooks";
import { useSeverityText } from "./severity-text";

/** Crisis → Plans: a plan per scenario with its readiness (roles, backups, statements, last drill). */
export function PlansPage() {
  const { t } = useTranslation();
  const plans = usePlans();
  const severities = useSeverities();
  const mayEdit = useCan("crisis.plans");
  const [creating, setCreating] = useState(false);
  const severityText = useSeverityText();
  const sevName = (level: number) => {
    const severity = severities.data?.find((s) => s.level === level);
    return severity ? severityText(level, severity.name).name : `SEV${level}`;
  };
  return (
    <Page
      title={t("crisisPlans.title")}
      description={t("crisisPlans.description")}
      actions={
        <>
          <Button component={Link} to="/crisis/severities" variant="default">
            {t("crisisPlans.severitiesLink")}
          </Button>
          {mayEdit && <Button onClick={() => setCreating(true)}>{t("crisisPlans.new")}</Button>}
        </>
      }
    >
      <QueryState query={plans}>
        {(list) =>
          list.length === 0 ? (
            <Empty icon={<IconShieldCheck />} title={t("crisisPlans.emptyTitle")} description={t("crisisPlans.emptyText")} action={mayEdit ? <Button onClick={() => setCreating(true)}>{t("crisisPlans.new")}</Button> : undefined} />
          ) : (
            <Table.ScrollContainer minWidth={860}>
              <Table verticalSpacing="sm" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("crisisPlans.plan")}</Table.Th>
                    <Table.Th>{t("crisisPlans.severity")}</Table.Th>
                    <Table.Th>{t("crisisPlans.readiness")}</Table.Th>
                    <Table.Th>{t("crisisPlans.roles")}</Table.Th>
                    <Table.Th>{t("crisisPlans.backups")}</Table.Th>
                    <Table.Th>{t("crisisPlans.statements")}</Table.Th>
                    <Table.Th>{t("crisisPlans.lastDrill")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((p) => (
                    <PlanRow key={p.id} plan={p} severity={sevName(p.defaultSeverity)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      <NewPlan opened={creating} onClose={() => setCreating(false)} />
    </Page>
  );
}

function Count({ have, of }: { have: number; of: number }) {
  return (
    <Badge variant="light" color={have === of && of > 0 ? "teal" : "orange"}>
      {have} / {of}
    </Badge>
  );
}

function PlanRow({ plan: p, severity }: { plan: PlanSummary; severity: string }) {
  const { t } = useTranslation();
  const r = p.readiness;
  const drill =
    r.lastDrilledDaysAgo === null ? t("crisisPlans.neverDrilled") : t("crisisPlans.drilledDaysAgo", { count: r.lastDrilledDaysAgo });
  return (
    <Table.Tr data-testid="plan-row">
      <Table.Td>
        <Text component={Link} to={`/crisis/plans/${p.id}`} fw={600} c="blue.8">
          {p.name}
        </Text>
        <Text size="sm" c="dimmed">
          {t(`crisisPlans.scenario.${p.scenario}`)} · {t("crisisPlans.versionN", { version: p.currentVersion })}
        </Text>
      </Table.Td>
      <Table.Td>{severity}</Table.Td>
      <Table.Td>
        <Badge color={r.ready ? "teal.9" : "orange"} variant={r.ready ? "filled" : "light"}>
          {r.ready ? t("crisisPlans.ready") : t("crisisPlans.notReady")}
        </Badge>
        {r.staleRoles.length > 0 && (
          <Text size="xs" c="red.8" mt={4}>
            {t("crisisPlans.staleRoles", { roles: r.staleRoles.map((role) => t(`crisisPlans.role.${role}`)).join(", ") })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Count have={r.rolesFilled} of={r.rolesTotal} />
      </Table.Td>
      <Table.Td>
        <Count have={r.backupsSet} of={r.rolesTotal} />
      </Table.Td>
      <Table.Td>
        <Count have={r.statementsApproved} of={r.statementsTotal} />
      </Table.Td>
      <Table.Td>
        <Tooltip label={t("crisisPlans.drillDue", { days: r.drillDueDays })}>
          <Text size="sm" c={r.lastDrilledDaysAgo === null || r.lastDrilledDaysAgo > r.drillDueDays ? "red.9" : undefined}>
            {drill}
          </Text>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}

function NewPlan({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreatePlan();
  const [scenario, setScenario] = useState<CrisisScenario | null>(null);
  return (
    <Modal opened={opened} onClose={onClose} title={t("crisisPlans.new")} centered>
      <Stack>
        <Text size="sm">{t("crisisPlans.newText")}</Text>
        <Select
          label={t("crisisPlans.scenarioLabel")}
          data={CRISIS_SCENARIOS.map((s) => ({ value: s, label: t(`crisisPlans.scenario.${s}`) }))}
          value={scenario}
          onChange={(v) => setScenario(v as CrisisScenario | null)}
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button
            disabled={!scenario}
            loading={create.isPending}
            onClick={() =>
              scenario &&
              create.mutate({ scenario }, { onSuccess: (plan) => navigate(`/crisis/plans/${plan.id}`), onError: (err) => notifyError(t, err) })
            }
          >
            {t("crisisPlans.create")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
