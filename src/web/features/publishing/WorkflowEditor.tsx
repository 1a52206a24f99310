import { ActionIcon, Alert, Button, Card, Checkbox, CloseButton, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type * as contract from "../../../contracts/publishing";
import { api } from "../../api/client";
import type { Channel, Member, NetworkInfo, Team } from "../../api/types";
import { errorText, fieldError } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { formatNumber } from "../../i18n/format";

export type Workflow = z.infer<typeof contract.Workflow>;
export type WorkflowApprover = z.infer<typeof contract.ApproverRef>;
type Step = { key: number; mode: "any" | "all"; approvers: WorkflowApprover[] };

const ROLES = ["owner", "admin", "manager", "member"] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
let nextKey = 1;

/** The channel as "@handle · Network". */
export function channelLabel(channel: Channel, networks: { network: string; displayName: string }[] | undefined) {
  return `@${channel.handle} · ${networks?.find((n) => n.network === channel.network)?.displayName ?? channel.network}`;
}


const approverKey = (a: WorkflowApprover) =>
  a.kind === "user" ? `user:${a.userId}` : a.kind === "team" ? `team:${a.teamId}` : a.kind === "role" ? `role:${a.role}` : `external:${a.email.toLowerCase()}`;

/** One step: any one or all of its approvers; approvers chosen from people, teams and roles, or added by email. */
function StepEditor(props: {
  step: Step;
  index: number;
  count: number;
  members: Member[];
  teams: Team[];
  nameOf: (a: WorkflowApprover) => string;
  error: string | undefined;
  onChange: (step: Step) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { step, index } = props;
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [externalError, setExternalError] = useState<{ email?: string; name?: string }>({});
  const taken = new Set(step.approvers.map(approverKey));
  const options = [
    {
      group: t("approvalWorkflows.people"),
      items: props.members.filter((m) => !taken.has(`user:${m.userId}`)).map((m) => ({ value: `user:${m.userId}`, label: `${m.name} (${m.email})` })),
    },
    { group: t("approvalWorkflows.teams"), items: props.teams.filter((x) => !taken.has(`team:${x.id}`)).map((x) => ({ value: `team:${x.id}`, label: t("approvalWorkflows.teamName", { name: x.name }) })) },
    { group: t("approvalWorkflows.roles"), items: ROLES.filter((r) => !taken.has(`role:${r}`)).map((r) => ({ value: `role:${r}`, label: t("approvalWorkflows.roleName", { role: t(`roles.${r}`) }) })) },
  ].filter((g) => g.items.length > 0);

  const add = (approver: WorkflowApprover) => props.onChange({ ...step, approvers: [...step.approvers, approver] });
  const pick = (value: string | null) => {
    if (!value) return;
    const [kind, id] = [value.slice(0, value.indexOf(":")), value.slice(value.indexOf(":") + 1)];
    if (kind === "user") add({ kind: "user", userId: id });
    if (kind === "team") add({ kind: "team", teamId: id });
    if (kind === "role") add({ kind: "role", role: id as (typeof ROLES)[number] });
  };
  const addExternal = () => {
    const errors = {
      email: !EMAIL.test(email.trim()) ? t("approvalWorkflows.emailInvalid") : taken.has(`external:${email.trim().toLowerCase()}`) ? t("approvalWorkflows.alreadyInStep") : undefined,
      name: name.trim() ? undefined : t("validation.required"),
    };
    setExternalError(errors);
    if (errors.email || errors.name) return;
    add({ kind: "external", email: email.trim(), name: name.trim() });
    setEmail("");
    setName("");
  };

  const title = t("approvalWorkflows.stepTitle", { index: formatNumber(index + 1) });
  return (
    <Card withBorder radius="md" padding="md" component="fieldset" aria-label={title} style={{ minWidth: 0 }} data-step={index + 1}>
      <Group justify="space-between" wrap="nowrap" mb="xs">
        <Title order={3} fz="h5">
          {title}
        </Title>
        <Group gap={4} wrap="nowrap">
          <ActionIcon variant="subtle" color="gray" disabled={index === 0} onClick={() => props.onMove(-1)} aria-label={t("approvalWorkflows.moveUp", { index: formatNumber(index + 1) })}>
            <IconArrowUp size={16} aria-hidden />
          </ActionIcon>
          <ActionIcon variant="subtle" color="gray" disabled={index === props.count - 1} onClick={() => props.onMove(1)} aria-label={t("approvalWorkflows.moveDown", { index: formatNumber(index + 1) })}>
            <IconArrowDown size={16} aria-hidden />
          </ActionIcon>
          <ActionIcon variant="subtle" color="red" onClick={props.onRemove} aria-label={t("approvalWorkflows.removeStep", { index: formatNumber(index + 1) })}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
      </Group>
      <Stack gap="sm">
        <div>
          <Text size="sm" fw={500} id={`mode-${step.key}`} mb={4}>
            {t("approvalWorkflows.modeLabel")}
          </Text>
          <SegmentedControl
            aria-labelledby={`mode-${step.key}`}
            value={step.mode}
            onChange={(mode) => props.onChange({ ...step, mode: mode as Step["mode"] })}
            data={[
              { value: "any", label: t("approvalWorkflows.modeAny") },
              { value: "all", label: t("approvalWorkflows.modeAll") },
            ]}
          />
        </div>
        {step.approvers.length === 0 ? (
          <Text size="sm" c={props.error ? "red" : "dimmed"}>
            {props.error ?? t("approvalWorkflows.noApprovers")}
          </Text>
        ) : (
          <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label={t("approvalWorkflows.approversOf", { index: formatNumber(index + 1) })}>
            {step.approvers.map((a, j) => (
              <Group key={approverKey(a)} component="li" justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                  <bdi>{props.nameOf(a)}</bdi>
                </Text>
                <CloseButton size="sm" aria-label={t("approvalWorkflows.removeApprover", { name: props.nameOf(a) })} onClick={() => props.onChange({ ...step, approvers: step.approvers.filter((_, k) => k !== j) })} />
              </Group>
            ))}
          </Stack>
        )}
        {props.error && step.approvers.length > 0 && (
          <Text size="sm" c="red">
            {props.error}
          </Text>
        )}
        <Select
          label={t("approvalWorkflows.addApprover")}
          placeholder={t("approvalWorkflows.addApproverPlaceholder")}
          data={options}
          value={null}
          onChange={pick}
          searchable
          nothingFoundMessage={t("approvalWorkflows.nothingFound")}
        />
        <Text size="sm" fw={500}>
          {t("approvalWorkflows.externalTitle")}
        </Text>
        <Text size="xs" c="dimmed" mt={-8}>
          {t("approvalWorkflows.externalHint")}
        </Text>
        <Group align="flex-start" gap="xs" wrap="wrap">
          <TextInput
            label={t("approvalWorkflows.externalEmail")}
            type="email"
            dir="ltr"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={externalError.email}
            style={{ flex: "1 1 12rem" }}
            aria-label={t("approvalWorkflows.externalEmailOf", { index: formatNumber(index + 1) })}
          />
          <TextInput
            label={t("approvalWorkflows.externalNameLabel")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={externalError.name}
            style={{ flex: "1 1 10rem" }}
            aria-label={t("approvalWorkflows.externalNameOf", { index: formatNumber(index + 1) })}
          />
          <Button variant="light" mt={25} onClick={addExternal} leftSection={<IconPlus size={14} aria-hidden />}>
            {t("approvalWorkflows.addExternal")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Create or change a workflow: name, ordered steps, the channels it applies to. */
export function WorkflowEditor(props: {
  workflow: Workflow | null;
  workflows: Workflow[];
  channels: Channel[];
  networks: NetworkInfo[] | undefined;
  members: Member[];
  teams: Team[];
  nameOf: (a: WorkflowApprover) => string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 36em)");
  const { workflow } = props;
  const [name, setName] = useState(workflow?.name ?? "");
  const [steps, setSteps] = useState<Step[]>(() =>
    workflow ? workflow.steps.map((s) => ({ key: nextKey++, mode: s.mode, approvers: s.approvers })) : [{ key: nextKey++, mode: "any", approvers: [] }],
  );
  const [channelIds, setChannelIds] = useState<string[]>(workflow?.channelIds ?? []);
  const [missing, setMissing] = useState<Record<string, string | undefined>>({});

  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), steps: steps.map((s) => ({ mode: s.mode, approvers: s.approvers })), channelIds };
      return workflow ? api<Workflow>("PUT", `/approval-workflows/${encodeURIComponent(workflow.id)}`, body) : api<Workflow>("POST", "/approval-workflows", body);
    },
    onSuccess: () => {
      notifySuccess(t("approvalWorkflows.saved"));
      props.onSaved();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string | undefined> = { name: name.trim() ? undefined : t("validation.required"), steps: steps.length ? undefined : t("approvalWorkflows.needStep") };
    steps.forEach((s, i) => (next[`steps.${i}.approvers`] = s.approvers.length ? undefined : t("approvalWorkflows.needApprover")));
    setMissing(next);
    if (!Object.values(next).some(Boolean)) save.mutate();
  };

  const setStep = (i: number, step: Step) => setSteps((all) => all.map((s, k) => (k === i ? step : s)));
  const move = (i: number, by: -1 | 1) =>
    setSteps((all) => {
      const copy = [...all];
      [copy[i], copy[i + by]] = [copy[i + by], copy[i]];
      return copy;
    });
  const stepError = (i: number) =>
    (steps[i].approvers.length ? undefined : missing[`steps.${i}.approvers`]) ??
    fieldError(t, save.error, `steps.${i}.approvers`) ??
    steps[i].approvers.map((_, j) => fieldError(t, save.error, `steps.${i}.approvers.${j}`)).find(Boolean);
  const otherWorkflowOf = (channelId: string) => props.workflows.find((w) => w.id !== workflow?.id && w.channelIds.includes(channelId));
  const moved = channelIds.map(otherWorkflowOf).filter((w): w is Workflow => w !== undefined);

  return (
    <Modal opened onClose={props.onClose} title={workflow ? t("approvalWorkflows.editTitle", { name: workflow.name }) : t("approvalWorkflows.newTitle")} size="xl" fullScreen={phone} closeButtonProps={{ "aria-label": t("common.close") }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t("approvalWorkflows.name")}
            description={t("approvalWorkflows.nameHint")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={missing.name ?? fieldError(t, save.error, "name")}
            maxLength={120}
            required
            data-autofocus
          />
          <Stack gap="sm" component="section" aria-labelledby="wf-steps">
            <Title order={2} fz="h4" id="wf-steps">
              {t("approvalWorkflows.steps")}
            </Title>
            <Text size="sm" c="dimmed" mt={-8}>
              {t("approvalWorkflows.stepsHint")}
            </Text>
            {steps.map((step, i) => (
              <StepEditor
                key={step.key}
                step={step}
                index={i}
                count={steps.length}
                members={props.members}
                teams={props.teams}
                nameOf={props.nameOf}
                error={stepError(i)}
                onChange={(s) => setStep(i, s)}
                onMove={(by) => move(i, by)}
                onRemove={() => setSteps((all) => all.filter((_, k) => k !== i))}
              />
            ))}
            {(missing.steps ?? fieldError(t, save.error, "steps")) && (
              <Text size="sm" c="red">
                {missing.steps ?? fieldError(t, save.error, "steps")}
              </Text>
            )}
            <Group>
              <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setSteps((all) => [...all, { key: nextKey++, mode: "any", approvers: [] }])} disabled={steps.length >= 10}>
                {t("approvalWorkflows.addStep")}
              </Button>
            </Group>
          </Stack>
          <Checkbox.Group
            label={t("approvalWorkflows.channels")}
            description={t("approvalWorkflows.channelsHint")}
            value={channelIds}
            onChange={setChannelIds}
            error={fieldError(t, save.error, "channelIds")}
          >
            <Stack gap="xs" mt="xs">
              {props.channels.map((channel) => {
                const other = otherWorkflowOf(channel.id);
                return (
                  <Checkbox
                    key={channel.id}
                    value={channel.id}
                    label={<span className="ltr-value">{channelLabel(channel, props.networks)}</span>}
                    description={other ? t("approvalWorkflows.channelInOther", { name: other.name }) : undefined}
                  />
                );
              })}
            </Stack>
          </Checkbox.Group>
          {moved.length > 0 && (
            <Alert color="yellow" role="status">
              {t("approvalWorkflows.willMove", { names: [...new Set(moved.map((w) => w.name))].join(t("approvalWorkflows.listSeparator")) })}
            </Alert>
          )}
          {save.error && !fieldError(t, save.error, "name") && (
            <Alert color="red" role="alert">
              {errorText(t, save.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {workflow ? t("approvalWorkflows.save") : t("approvalWorkflows.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
