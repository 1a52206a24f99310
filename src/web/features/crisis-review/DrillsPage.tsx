import { Anchor, Badge, Button, Modal, Select, Stack, Table, Text } from "@mantine/core";
import { IconTargetArrow } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { useCan } from "../../app/session";
import { Empty } from "../../components/Empty";
import { ExactTime } from "../../components/RelativeTime";
import { notifyError } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { usePlans } from "../crisis-plans/hooks";
import { useDrills, useStartDrill, type Drill } from "./hooks";

export function ScoreBadge({ drill }: { drill: Drill }) {
  const { t } = useTranslation();
  if (!drill.score) return <Badge variant="light" color={drill.status === "running" ? "blue" : "gray"}>{t(`crisisDrills.status.${drill.status}`)}</Badge>;
  const { met, applicable } = drill.score;
  return <Badge variant="light" color={met === applicable ? "teal" : met >= applicable / 2 ? "orange" : "red"}>{t("crisisDrills.scoreOf", { met, applicable })}</Badge>;
}

/** Crisis → Drills: every drill with its score; managers start one from a plan. */
export function DrillsPage() {
  const { t } = useTranslation();
  const drills = useDrills();
  const mayStart = useCan("crisis.plans");
  const [starting, setStarting] = useState(false);
  return (
    <Page
      title={t("crisisDrills.title")}
      description={t("crisisDrills.description")}
      actions={mayStart && <Button onClick={() => setStarting(true)}>{t("crisisDrills.start")}</Button>}
    >
      <QueryState query={drills}>
        {(list) =>
          list.length === 0 ? (
            <Empty icon={<IconTargetArrow />} title={t("crisisDrills.emptyTitle")} description={t("crisisDrills.emptyText")} action={mayStart ? <Button onClick={() => setStarting(true)}>{t("crisisDrills.start")}</Button> : undefined} />
          ) : (
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="sm" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("crisisDrills.plan")}</Table.Th>
                    <Table.Th>{t("crisisDrills.startedAt")}</Table.Th>
                    <Table.Th>{t("crisisDrills.crisis")}</Table.Th>
                    <Table.Th>{t("crisisDrills.score")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/crisis/drills/${d.id}`}>
                          {d.planName ?? t("crisisDrills.deletedPlan")}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <ExactTime value={d.startedAt} />
                        {d.startedByName && <Text size="xs" c="dimmed">{d.startedByName}</Text>}
                      </Table.Td>
                      <Table.Td>{d.crisisNumber ? <Anchor component={Link} to={`/crisis/${d.crisisId}`}>CR-{d.crisisNumber}</Anchor> : t("crisisDrills.notDeclared")}</Table.Td>
                      <Table.Td>
                        <ScoreBadge drill={d} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      <StartDrill opened={starting} onClose={() => setStarting(false)} />
    </Page>
  );
}

function StartDrill({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const plans = usePlans();
  const start = useStartDrill();
  const navigate = useNavigate();
  const [planId, setPlanId] = useState<string | null>(null);
  return (
    <Modal opened={opened} onClose={onClose} title={t("crisisDrills.startTitle")}>
      <Stack>
        <Text size="sm">{t("crisisDrills.startExplain")}</Text>
        <Select label={t("crisisDrills.plan")} data={(plans.data ?? []).map((p) => ({ value: p.id, label: p.name }))} value={planId} onChange={setPlanId} searchable />
        <Button
          disabled={!planId}
          loading={start.isPending}
          onClick={() => start.mutate({ planId: planId! }, { onSuccess: (drill) => navigate(`/crisis/drills/${drill.id}`), onError: (e) => notifyError(t, e) })}
        >
          {t("crisisDrills.startConfirm")}
        </Button>
      </Stack>
    </Modal>
  );
}
