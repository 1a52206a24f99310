import { Alert, Button, Group, Modal, Radio, SegmentedControl, Select, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { CRISIS_SCENARIOS } from "../../../contracts/crisis-plans";
import { api } from "../../api/client";
import { notifyError } from "../../components/notify";
import { useDrills, type Drill } from "../crisis-review/hooks";
import { useDeclareCrisis, usePlanChoices, useProposal, useSeverityLevels } from "./hooks";

type Props = { opened: boolean; onClose: () => void; alert?: { id: string; title: string } };

/**
 * Declaring a crisis: by hand, from an inbox conversation (its reference), or from a listening alert (scenario,
 * severity and plan proposed from it). Quiet triage first is an option: no crisis mode, nobody notified yet.
 * While a drill runs undeclared, the declarer must say whether this is that drill (declared as the drill's crisis,
 * POST /crisis/drills/{id}/declare) or a real crisis — never guessed (docs/crisis.md, Drills).
 */
export function DeclareDialog({ opened, onClose, alert }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const severities = useSeverityLevels();
  const plans = usePlanChoices();
  const proposal = useProposal(opened ? alert?.id : undefined);
  const declare = useDeclareCrisis();
  const [title, setTitle] = useState(alert?.title ?? "");
  const [summary, setSummary] = useState("");
  const [origin, setOrigin] = useState<"manual" | "inbox">("manual");
  const [originRef, setOriginRef] = useState("");
  const [scenario, setScenario] = useState<string | null>(null);
  const [severity, setSeverity] = useState<string | null>(null);
  const [planId, setPlanId] = useState<string | null>(null);
  const [triage, setTriage] = useState(false);
  // While a drill runs undeclared, the declarer says whether this is that drill (declared as its crisis) or a real one.
  const queryClient = useQueryClient();
  const drills = useDrills();
  const runningDrills = (drills.data ?? []).filter((d) => d.status === "running" && !d.crisisId);
  const [declareAs, setDeclareAs] = useState<string | null>(null);
  const asDrill = runningDrills.find((d) => d.id === declareAs) ?? null;
  const declareDrill = useMutation({
    mutationFn: ({ drillId, body }: { drillId: string; body: Record<string, unknown> }) => api<Drill>("POST", `/crisis/drills/${drillId}/declare`, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["crisis"] }),
  });

  useEffect(() => {
    if (!proposal.data) return;
    setScenario(proposal.data.scenario);
    setSeverity(String(proposal.data.severityLevel));
    setPlanId(proposal.data.planId);
  }, [proposal.data]);

  const submit = () =>
    asDrill
      ? declareDrill.mutate(
          {
            drillId: asDrill.id,
            body: { title, summary: summary || undefined, alertId: alert?.id, severityLevel: severity ? Number(severity) : undefined, triage },
          },
          { onSuccess: (drill) => navigate(`/crisis/${drill.crisisId}`), onError: (err) => notifyError(t, err) },
        )
      : declare.mutate(
          {
            title,
            summary: summary || undefined,
            originKind: alert ? "alert" : origin,
            alertId: alert?.id,
            originRef: !alert && origin === "inbox" ? originRef : undefined,
            scenario: (scenario ?? undefined) as (typeof CRISIS_SCENARIOS)[number] | undefined,
            severityLevel: severity ? Number(severity) : undefined,
            planId: planId ?? undefined,
            triage,
          },
          { onSuccess: (crisis) => navigate(`/crisis/${crisis.id}`), onError: (err) => notifyError(t, err) },
        );

  const planOptions = (plans.data ?? []).filter((p) => !p.archivedAt).map((p) => ({ value: p.id, label: p.name }));
  return (
    <Modal opened={opened} onClose={onClose} title={t("crisis.declareTitle")} size="lg">
      <Stack gap="sm">
        {alert && proposal.data && (
          <Alert color="blue" variant="light">
            {t("crisis.proposedFrom", { scenario: t(`crisis.scenario.${proposal.data.scenario}`), severity: `SEV${proposal.data.severityLevel}` })}
          </Alert>
        )}
        {runningDrills.length > 0 && (
          <Alert color="grape" variant="light" title={t("crisisDrills.declareChoice.title")}>
            <Radio.Group value={declareAs} onChange={setDeclareAs} description={t("crisisDrills.declareChoice.text")}>
              <Stack gap={6} mt="xs">
                {runningDrills.map((d) => (
                  <Radio key={d.id} value={d.id} data-testid={`declare-as-drill-${d.id}`} label={t("crisisDrills.declareChoice.drill", { plan: d.planName ?? t("crisisDrills.deletedPlan") })} />
                ))}
                <Radio value="real" data-testid="declare-as-real" label={t("crisisDrills.declareChoice.real")} />
              </Stack>
            </Radio.Group>
          </Alert>
        )}
        <TextInput label={t("crisis.fields.title")} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} data-autofocus />
        <Textarea label={t("crisis.fields.summary")} description={t("crisis.fields.summaryHelp")} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} autosize minRows={2} />
        {!alert && !asDrill && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t("crisis.fields.origin")}
            </Text>
            <SegmentedControl
              value={origin}
              onChange={(v) => setOrigin(v as "manual" | "inbox")}
              data={[
                { value: "manual", label: t("crisis.origin.manual") },
                { value: "inbox", label: t("crisis.origin.inbox") },
              ]}
            />
            {origin === "inbox" && <TextInput label={t("crisis.fields.originRef")} description={t("crisis.fields.originRefHelp")} required value={originRef} onChange={(e) => setOriginRef(e.currentTarget.value)} />}
          </Stack>
        )}
        <Group grow align="flex-start">
          {!asDrill && (
            <Select
              label={t("crisis.fields.scenario")}
              placeholder={t("crisis.fields.fromPlan")}
              clearable
              value={scenario}
              onChange={(value) => {
                setScenario(value);
                // The workspace's plan for that scenario comes with it, unless a plan of that scenario is chosen already.
                const chosen = plans.data?.find((p) => p.id === planId);
                if (chosen?.scenario !== value) setPlanId(plans.data?.find((p) => !p.archivedAt && p.scenario === value)?.id ?? null);
              }}
              data={CRISIS_SCENARIOS.map((s) => ({ value: s, label: t(`crisis.scenario.${s}`) }))}
            />
          )}
          <Select
            label={t("crisis.fields.severity")}
            description={t("crisis.severityHint")}
            placeholder={t("crisis.fields.fromPlan")}
            clearable
            value={severity}
            onChange={setSeverity}
            data={(severities.data ?? []).map((s) => ({ value: String(s.level), label: s.name }))}
          />
        </Group>
        {!asDrill && <Select label={t("crisis.fields.plan")} placeholder={t("crisis.fields.noPlan")} clearable value={planId} onChange={setPlanId} data={planOptions} />}
        <Switch checked={triage} onChange={(e) => setTriage(e.currentTarget.checked)} label={t("crisis.fields.triage")} description={t("crisis.fields.triageHelp")} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          {runningDrills.length > 0 && !declareAs && (
            <Text size="sm" c="dimmed">
              {t("crisisDrills.declareChoice.required")}
            </Text>
          )}
          <Button
            color="red"
            onClick={submit}
            loading={declare.isPending || declareDrill.isPending}
            disabled={!title.trim() || (!asDrill && !alert && origin === "inbox" && !originRef.trim()) || (runningDrills.length > 0 && !declareAs)}
          >
            {triage ? t("crisis.declareTriage") : t("crisis.declare")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
