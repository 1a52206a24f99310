import { Alert, Button, Card, Group, List, Stack, Text, Title } from "@mantine/core";
import { IconPlus, IconRoute } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate } from "react-router-dom";
import { api } from "../../api/client";
import type { Member, Team } from "../../api/types";
import { useConfirm } from "../../components/confirm";
import { Empty } from "../../components/Empty";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { useCan } from "../../app/session";
import { useChannels, useNetworks } from "../channels/hooks";
import { useMembers } from "../members/hooks";
import { useTeams } from "../teams/hooks";
import { channelLabel, WorkflowEditor, type Workflow, type WorkflowApprover } from "./WorkflowEditor";

export const WORKFLOWS_KEY = ["approval-workflows"] as const;

/** Who an approver is, in words: a person's name, a team, "everyone with the role Admin", or an outside name and email. */
export function useApproverName(members: Member[] | undefined, teams: Team[] | undefined) {
  const { t } = useTranslation();
  return (a: WorkflowApprover): string => {
    switch (a.kind) {
      case "user":
        return members?.find((m) => m.userId === a.userId)?.name ?? t("approvalWorkflows.formerMember");
      case "team":
        return t("approvalWorkflows.teamName", { name: teams?.find((x) => x.id === a.teamId)?.name ?? "?" });
      case "role":
        return t("approvalWorkflows.roleName", { role: t(`roles.${a.role}`) });
      case "external":
        return t("approvalWorkflows.externalName", { name: a.name, email: a.email });
    }
  };
}

/**
 * /settings/approval-workflows: who must approve posts on which channels. A workflow is ordered steps, each naming
 * approvers (people, teams, roles, people outside the workspace by email) and needing any one or all of them.
 */
export function ApprovalWorkflowsPage() {
  const { t } = useTranslation();
  const allowed = useCan("approvals.manage");
  const canMembers = useCan("members.read");
  const canTeams = useCan("teams.read");
  const queryClient = useQueryClient();
  const confirm = useConfirm();
  const workflows = useQuery({
    queryKey: WORKFLOWS_KEY,
    queryFn: () => api<{ workflows: Workflow[] }>("GET", "/approval-workflows").then((r) => r.workflows),
    enabled: allowed,
  });
  const channels = useChannels();
  const networks = useNetworks();
  const members = useMembers();
  const teams = useTeams();
  const nameOf = useApproverName(members.data, teams.data);
  const [editing, setEditing] = useState<Workflow | "new" | null>(null);

  const remove = useMutation({
    mutationFn: (workflow: Workflow) => api("DELETE", `/approval-workflows/${encodeURIComponent(workflow.id)}`),
    onSuccess: () => {
      notifySuccess(t("approvalWorkflows.deleted"));
      void queryClient.invalidateQueries({ queryKey: WORKFLOWS_KEY });
    },
    onError: (error) => notifyError(t, error),
  });

  if (!allowed) return <Navigate to="/" replace />;

  const askDelete = async (workflow: Workflow) => {
    const ok = await confirm({
      title: t("approvalWorkflows.deleteTitle", { name: workflow.name }),
      message: t("approvalWorkflows.deleteText"),
      confirmLabel: t("approvalWorkflows.delete"),
      danger: true,
    });
    if (ok) remove.mutate(workflow);
  };

  return (
    <Page
      title={t("approvalWorkflows.title")}
      description={t("approvalWorkflows.description")}
      actions={
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing("new")}>
          {t("approvalWorkflows.new")}
        </Button>
      }
    >
      {(!canMembers || !canTeams) && (
        <Alert color="gray">{t("approvalWorkflows.limitedPickers")}</Alert>
      )}
      <QueryState query={workflows}>
        {(list) =>
          list.length === 0 ? (
            <Empty icon={<IconRoute aria-hidden />} title={t("approvalWorkflows.emptyTitle")} description={t("approvalWorkflows.emptyText")} />
          ) : (
            <Stack gap="md">
              {list.map((workflow) => (
                <Card key={workflow.id} withBorder radius="md" padding="lg" component="section" aria-labelledby={`wf-${workflow.id}`}>
                  <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                    <Title order={2} fz="h4" id={`wf-${workflow.id}`}>
                      {workflow.name}
                    </Title>
                    <Group gap="xs">
                      <Button variant="default" size="xs" onClick={() => setEditing(workflow)} aria-label={t("approvalWorkflows.editNamed", { name: workflow.name })}>
                        {t("approvalWorkflows.edit")}
                      </Button>
                      <Button variant="subtle" color="red" size="xs" onClick={() => void askDelete(workflow)} aria-label={t("approvalWorkflows.deleteNamed", { name: workflow.name })}>
                        {t("approvalWorkflows.delete")}
                      </Button>
                    </Group>
                  </Group>
                  <List type="ordered" mt="sm" spacing={4}>
                    {workflow.steps.map((step, index) => (
                      <List.Item key={index}>
                        <Text span size="sm">
                          {t(step.mode === "all" ? "approvalWorkflows.summaryAll" : "approvalWorkflows.summaryAny", {
                            names: step.approvers.map(nameOf).join(t("approvalWorkflows.listSeparator")),
                          })}
                        </Text>
                      </List.Item>
                    ))}
                  </List>
                  <Text size="sm" c="dimmed" mt="sm">
                    {workflow.channelIds.length === 0
                      ? t("approvalWorkflows.noChannels")
                      : t("approvalWorkflows.appliesTo", {
                          channels: workflow.channelIds
                            .map((id) => {
                              const channel = channels.data?.find((c) => c.id === id);
                              return channel ? `\u200E${channelLabel(channel, networks.data)}\u200E` : t("publishing.unknownChannel");
                            })
                            .join(t("approvalWorkflows.listSeparator")),
                        })}
                  </Text>
                </Card>
              ))}
            </Stack>
          )
        }
      </QueryState>
      {editing !== null && (
        <WorkflowEditor
          workflow={editing === "new" ? null : editing}
          workflows={workflows.data ?? []}
          channels={channels.data ?? []}
          networks={networks.data}
          members={members.data ?? []}
          teams={teams.data ?? []}
          nameOf={nameOf}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void queryClient.invalidateQueries({ queryKey: WORKFLOWS_KEY });
          }}
        />
      )}
    </Page>
  );
}
