import { Badge, Button, Card, Group, Modal, Progress, Select, Stack, Table, Text } from "@mantine/core";
import { IconExternalLink, IconPlayerPlay, IconPlayerTrackNext } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmedRowAction } from "../../components/confirm";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { formatNumber } from "../../i18n/format";
import { latestRuns, useSandboxActions, useSandboxOverview, type Overview, type ScenarioId, type ScenarioRun } from "./hooks";

/** Where the Sandbox's own website is served (by the same server, outside the app). */
const SITE_PATH = "/sandbox";
const INTERVALS = [60, 120, 300, 900, 1800];
const STATUS_COLOR: Record<ScenarioRun["status"], string> = { running: "blue", finished: "green", stopped: "gray" };

/** /settings/sandbox: the Sandbox's scenarios, started, played and stopped by admins for demos and drills. */
export function SandboxPage() {
  const { t } = useTranslation();
  const overview = useSandboxOverview();
  const actions = useSandboxActions();
  const [starting, setStarting] = useState<ScenarioId | null>(null);
  const title = (id: ScenarioId) => t(`sandbox.scenarios.${id}.title`);

  const siteLink = (
    <Button component="a" href={SITE_PATH} target="_blank" rel="noopener" variant="default" leftSection={<IconExternalLink size={16} aria-hidden />}>
      {t("sandbox.openSite")}
    </Button>
  );

  const playNext = (run: ScenarioRun) =>
    actions.playNext.mutate(run, {
      onSuccess: (result) => notifySuccess(t("sandbox.playedToast", { count: result.added, formatted: formatNumber(result.added) })),
      onError: (error) => notifyError(t, error),
    });
  const stop = (run: ScenarioRun) =>
    actions.stop.mutate(run, {
      onSuccess: () => notifySuccess(t("sandbox.stoppedToast", { scenario: title(run.scenario) })),
      onError: (error) => notifyError(t, error),
    });

  return (
    <Page title={t("sandbox.title")} description={t("sandbox.description")} actions={siteLink}>
      <QueryState query={overview}>
        {(data) => (
          <Card withBorder padding={0}>
            <Table.ScrollContainer minWidth={860}>
              <Table verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("sandbox.scenario")}</Table.Th>
                    <Table.Th>{t("sandbox.progress")}</Table.Th>
                    <Table.Th>{t("sandbox.nextTick")}</Table.Th>
                    <Table.Th>
                      <span className="visually-hidden">{t("common.actions")}</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.scenarios.map((scenario) => {
                    const run = latestRuns(data).get(scenario.id);
                    const running = run?.status === "running";
                    return (
                      <Table.Tr key={scenario.id} data-scenario={scenario.id}>
                        <Table.Td maw={380}>
                          <Text size="sm" fw={600}>
                            {title(scenario.id)}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {t(`sandbox.scenarios.${scenario.id}.description`)}
                          </Text>
                        </Table.Td>
                        <Table.Td miw={200}>
                          <RunProgress run={run} ticks={scenario.ticks} />
                        </Table.Td>
                        <Table.Td>
                          {running && run.nextTickAt ? (
                            <Stack gap={0}>
                              <RelativeTime value={run.nextTickAt} />
                              <Text size="xs" c="dimmed">
                                {intervalLabel(t, run.tickEverySeconds)}
                              </Text>
                            </Stack>
                          ) : (
                            <Text size="sm" c="dimmed">
                              —
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Group gap="xs" justify="flex-end" wrap="nowrap">
                            {running ? (
                              <>
                                <Button
                                  size="xs"
                                  variant="default"
                                  leftSection={<IconPlayerTrackNext size={14} aria-hidden />}
                                  loading={actions.playNext.isPending && actions.playNext.variables?.id === run.id}
                                  onClick={() => playNext(run)}
                                  aria-label={t("sandbox.playNextLabel", { scenario: title(scenario.id) })}
                                >
                                  {t("sandbox.playNext")}
                                </Button>
                                <ConfirmedRowAction
                                  label={t("sandbox.stop")}
                                  ariaLabel={t("sandbox.stopLabel", { scenario: title(scenario.id) })}
                                  loading={actions.stop.isPending && actions.stop.variables?.id === run.id}
                                  confirm={{ title: t("sandbox.stopTitle", { scenario: title(scenario.id) }), message: t("sandbox.stopMessage"), confirmLabel: t("sandbox.stop") }}
                                  onConfirmed={() => stop(run)}
                                />
                              </>
                            ) : (
                              <Button
                                size="xs"
                                leftSection={<IconPlayerPlay size={14} aria-hidden />}
                                onClick={() => setStarting(scenario.id)}
                                aria-label={t("sandbox.startLabel", { scenario: title(scenario.id) })}
                              >
                                {t("sandbox.start")}
                              </Button>
                            )}
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        )}
      </QueryState>
      <Modal opened={starting !== null} onClose={() => setStarting(null)} title={starting ? t("sandbox.startTitle", { scenario: title(starting) }) : ""}>
        {starting && overview.data && <StartForm scenario={starting} overview={overview.data} onDone={() => setStarting(null)} />}
      </Modal>
    </Page>
  );
}

function intervalLabel(t: ReturnType<typeof useTranslation>["t"], seconds: number): string {
  const count = seconds % 60 === 0 ? seconds / 60 : seconds;
  return t(seconds % 60 === 0 ? "sandbox.everyMinutes" : "sandbox.everySeconds", { count, formatted: formatNumber(count) });
}

/** A run's status and how far it has come: ticks played of all, and what it added to the Sandbox. */
function RunProgress({ run, ticks }: { run: ScenarioRun | undefined; ticks: number }) {
  const { t } = useTranslation();
  if (!run) {
    return (
      <Badge color="gray" variant="outline">
        {t("sandbox.statuses.notStarted")}
      </Badge>
    );
  }
  const label = t("sandbox.ticks", { played: formatNumber(run.ticksPlayed), total: formatNumber(run.ticksTotal || ticks) });
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap">
        <Badge color={STATUS_COLOR[run.status]} variant="light">
          {t(`sandbox.statuses.${run.status}`)}
        </Badge>
        <Text size="xs">{label}</Text>
      </Group>
      <Progress value={(run.ticksPlayed / Math.max(run.ticksTotal, 1)) * 100} size="sm" aria-label={label} />
      <Text size="xs" c="dimmed">
        {t("sandbox.itemsAdded", { count: run.itemsAdded, formatted: formatNumber(run.itemsAdded) })}
      </Text>
    </Stack>
  );
}

/** Starts a scenario after saying what it does and asking for the time between ticks. */
function StartForm({ scenario, overview, onDone }: { scenario: ScenarioId; overview: Overview; onDone: () => void }) {
  const { t } = useTranslation();
  const { start } = useSandboxActions();
  const [tickEvery, setTickEvery] = useState("60");
  const title = t(`sandbox.scenarios.${scenario}.title`);
  const ticks = overview.scenarios.find((s) => s.id === scenario)?.ticks ?? 0;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        start.mutate(
          { scenario, tickEverySeconds: Number(tickEvery) },
          {
            onSuccess: () => {
              notifySuccess(t("sandbox.startedToast", { scenario: title }));
              onDone();
            },
            onError: (error) => notifyError(t, error),
          },
        );
      }}
    >
      <Stack>
        <Text size="sm">{t(`sandbox.scenarios.${scenario}.description`)}</Text>
        <Text size="sm" c="dimmed">
          {t("sandbox.startText")}
        </Text>
        <Text size="sm">{t("sandbox.ticks", { played: formatNumber(0), total: formatNumber(ticks) })}</Text>
        <Select
          label={t("sandbox.interval")}
          data={INTERVALS.map((seconds) => ({ value: String(seconds), label: intervalLabel(t, seconds) }))}
          value={tickEvery}
          onChange={(value) => setTickEvery(value ?? "60")}
          allowDeselect={false}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={start.isPending}>
            {t("sandbox.start")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
