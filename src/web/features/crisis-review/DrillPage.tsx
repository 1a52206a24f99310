import { Anchor, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, Textarea } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useCan } from "../../app/session";
import { ExactTime } from "../../components/RelativeTime";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { PanelCard } from "../../components/PanelCard";
import { QueryState } from "../../components/QueryState";
import { formatNumber } from "../../i18n/format";
import { useAlerts } from "../listening-alerts/hooks";
import { useDeclareDrill, useDrill, useFinishDrill, useUpdateDebrief, type Drill } from "./hooks";
import { ScoreBadge } from "./DrillsPage";
import { useMinutes } from "./ReviewPage";

/** /crisis/drills/:drillId — a drill while it runs (injects, declare) and its debrief (score, notes) after. */
export function DrillPage() {
  const { drillId = "" } = useParams();
  const drill = useDrill(drillId);
  return <QueryState query={drill}>{(d) => <DrillView drill={d} />}</QueryState>;
}

function DrillView({ drill }: { drill: Drill }) {
  const { t } = useTranslation();
  const minutes = useMinutes();
  const mayRun = useCan("crisis.plans");
  const mayDeclare = useCan("crisis.declare");
  const declare = useDeclareDrill(drill.id);
  const finish = useFinishDrill(drill.id);
  const save = useUpdateDebrief(drill.id);
  const alerts = useAlerts({ status: "open" });
  const [alertId, setAlertId] = useState<string | null>(null);
  const [debrief, setDebrief] = useState(drill.debrief);
  useEffect(() => setDebrief(drill.debrief), [drill.debrief]);
  const sinceStart = (alerts.data?.alerts ?? []).filter((a) => a.raisedAt >= drill.startedAt);
  const running = drill.status === "running";
  return (
    <Page
      title={t("crisisDrills.drillTitle", { plan: drill.planName ?? t("crisisDrills.deletedPlan") })}
      description={t("crisisDrills.drillDescription")}
      actions={<ScoreBadge drill={drill} />}
    >
      <Group gap="sm">
        <Badge color="grape">{t("crisisDrills.sandboxScenario", { scenario: t(`sandbox.scenarios.${drill.sandboxScenario}.title`, { defaultValue: drill.sandboxScenario }) })}</Badge>
        <Text size="sm" c="dimmed">
          {t("crisisDrills.startedAt")}: <ExactTime value={drill.startedAt} />
          {drill.startedByName ? ` · ${drill.startedByName}` : ""}
        </Text>
        {drill.crisisId && (
          <>
            <Anchor component={Link} to={`/crisis/${drill.crisisId}`}>
              {t("crisisDrills.openCrisis", { number: drill.crisisNumber })}
            </Anchor>
            <Anchor component={Link} to={`/crisis/${drill.crisisId}/review`}>
              {t("crisisDrills.openReview")}
            </Anchor>
          </>
        )}
      </Group>

      {running && !drill.crisisId && mayDeclare && (
        <PanelCard title={t("crisisDrills.declareTitle")}>
          <Text size="sm">
            {t("crisisDrills.declareExplain")}
          </Text>
          <Group align="flex-end">
            <Select
              label={t("crisisDrills.fromAlert")}
              placeholder={t("crisisDrills.noAlertYet")}
              data={sinceStart.map((a) => ({ value: a.id, label: a.title }))}
              value={alertId}
              onChange={setAlertId}
              clearable
              w={360}
            />
            <Button loading={declare.isPending} onClick={() => declare.mutate({ alertId: alertId ?? undefined }, { onError: (e) => notifyError(t, e) })}>
              {t("crisisDrills.declare")}
            </Button>
          </Group>
        </PanelCard>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <PanelCard title={t("crisisDrills.injects")}>
          <Table>
            <Table.Tbody>
              {drill.injects.map((i) => {
                const done = i.deliveredAt ? injectDone(t, drill, i) : null;
                return (
                <Table.Tr key={`${i.kind}-${i.atMinute}`} data-testid={`inject-${i.kind}`}>
                  <Table.Td>+{minutes(i.atMinute)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`crisisDrills.inject.${i.kind}`)}</Text>
                    {done && (
                      <Text size="xs" c="dimmed">
                        {done}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {i.deliveredAt ? (
                      <ExactTime value={i.deliveredAt} />
                    ) : (
                      <Text size="sm" c="dimmed">
                        {i.skippedAt ? t("crisisDrills.skipped") : t("crisisDrills.waiting")}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </PanelCard>
        <PanelCard title={t("crisisDrills.score")}>
          {!drill.score ? (
            <Text size="sm" c="dimmed">{t("crisisDrills.scoreAfterFinish")}</Text>
          ) : (
            <Table data-testid="drill-score">
              <Table.Tbody>
                {drill.score.criteria.map((c) => (
                  <Table.Tr key={c.criterion}>
                    <Table.Td>{t(`crisisDrills.criterion.${c.criterion}`)}</Table.Td>
                    <Table.Td>{c.minutes !== null ? minutes(c.minutes) : ""}</Table.Td>
                    <Table.Td>
                      <Badge color={c.result === "met" ? "teal" : c.result === "missed" ? "red" : "gray"} variant="light">
                        {t(`crisisDrills.result.${c.result}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </PanelCard>
      </SimpleGrid>

      <Card withBorder>
        <Stack>
          <Textarea label={t("crisisDrills.debrief")} description={t("crisisDrills.debriefHint")} dir="auto" autosize minRows={4} value={debrief} readOnly={!mayRun} onChange={(e) => setDebrief(e.currentTarget.value)} />
          {mayRun && (
            <Group>
              <Button variant="default" disabled={debrief === drill.debrief} loading={save.isPending} onClick={() => save.mutate(debrief, { onSuccess: () => notifySuccess(t("crisisDrills.saved")), onError: (e) => notifyError(t, e) })}>
                {t("crisisDrills.saveDebrief")}
              </Button>
              {running && (
                <>
                  <Button loading={finish.isPending} onClick={() => finish.mutate({ debrief }, { onError: (e) => notifyError(t, e) })}>
                    {t("crisisDrills.finish")}
                  </Button>
                  <Button variant="subtle" color="red" loading={finish.isPending} onClick={() => finish.mutate({ debrief, abandon: true }, { onError: (e) => notifyError(t, e) })}>
                    {t("crisisDrills.abandon")}
                  </Button>
                </>
              )}
            </Group>
          )}
        </Stack>
      </Card>
    </Page>
  );
}

/** What a delivered inject did (from its facts), in a line under its name; null when it only went on the timeline. */
function injectDone(t: ReturnType<typeof useTranslation>["t"], drill: Drill, inject: Drill["injects"][number]): string | null {
  const facts = inject.facts ?? {};
  switch (inject.kind) {
    case "journalist_dm":
      return facts.to ? t("crisisDrills.injectDone.journalist_dm", { journalist: facts.journalist, to: facts.to }) : null;
    case "second_wave":
      return typeof facts.posts === "number" ? t("crisisDrills.injectDone.second_wave", { count: facts.posts, formatted: formatNumber(facts.posts) }) : null;
    case "leaked_memo":
      return facts.by && typeof facts.posts === "number" ? t("crisisDrills.injectDone.leaked_memo", { by: facts.by, to: facts.to, count: facts.posts }) : null;
    case "approver_unreachable":
      return t("crisisDrills.injectDone.approver_unreachable");
    case "executive_asks":
      return drill.crisisId ? t("crisisDrills.injectDone.executive_asks") : t("crisisDrills.injectDone.executive_asks_pending");
    default:
      return null;
  }
}
