import { Alert, Avatar, Button, Card, Checkbox, Group, Modal, ScrollArea, Stack, Table, Text, Textarea, TextInput, Tooltip } from "@mantine/core";
import { IconPlus, IconUsersGroup } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Member, Team } from "../../api/types";
import { useCan } from "../../app/session";
import { ConfirmedRowAction } from "../../components/confirm";
import { Empty } from "../../components/Empty";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { formatNumber } from "../../i18n/format";
import { MEMBERS_KEY, useMembers } from "../members/hooks";
import { TEAMS_KEY, useTeams } from "./hooks";

/** Creates a team, or edits one when `team` is given. */
function TeamForm({ team, onDone }: { team?: Team; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(team?.name ?? "");
  const [description, setDescription] = useState(team?.description ?? "");
  const [problem, setProblem] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () =>
      team
        ? api<Team>("PATCH", `/workspace/teams/${encodeURIComponent(team.id)}`, { name: name.trim(), description: description.trim() })
        : api<Team>("POST", "/workspace/teams", { name: name.trim(), description: description.trim() || undefined }),
    onSuccess: () => {
      notifySuccess(team ? t("teams.savedToast", { name: name.trim() }) : t("teams.createdToast", { name: name.trim() }));
      void queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const error = name.trim() ? undefined : t("validation.required");
    setProblem(error);
    if (!error) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {save.error && !hasOnlyFieldErrors(save.error, ["name", "description"]) && (
          <Alert color="red" role="alert">
            {errorText(t, save.error)}
          </Alert>
        )}
        <TextInput
          label={t("teams.name")}
          placeholder={t("teams.namePlaceholder")}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={problem ?? fieldError(t, save.error, "name")}
          required
          data-autofocus
        />
        <Textarea
          label={t("teams.descriptionLabel")}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
          error={fieldError(t, save.error, "description")}
          autosize
          minRows={2}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {team ? t("common.save") : t("teams.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Adds and removes people from a team, one checkbox per member; each tick saves at once. */
function TeamMembersEditor({ team, members }: { team: Team; members: Member[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: ({ member, add }: { member: Member; add: boolean }) =>
      api<{ changed: boolean }>(add ? "PUT" : "DELETE", `/workspace/teams/${encodeURIComponent(team.id)}/members/${encodeURIComponent(member.userId)}`),
    onMutate: ({ member }) => setPending(member.userId),
    onSettled: () => setPending(null),
    onSuccess: (_, { member, add }) => {
      notifySuccess(t(add ? "teams.addedToast" : "teams.removedToast", { name: member.name || member.email, team: team.name }));
      void queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
    },
    onError: (error) => notifyError(t, error),
  });
  return (
    <ScrollArea.Autosize mah={420}>
      <Stack gap="xs" role="group" aria-label={t("teams.membersOf", { team: team.name })}>
        {members.map((member) => (
          <Checkbox
            key={member.userId}
            checked={team.memberIds.includes(member.userId)}
            disabled={pending === member.userId}
            onChange={(event) => toggle.mutate({ member, add: event.currentTarget.checked })}
            label={member.name || member.email}
            description={<span className="ltr-value">{member.email}</span>}
          />
        ))}
      </Stack>
    </ScrollArea.Autosize>
  );
}

/** /settings/teams: groups of people (customer care, legal, PR) used for routing and approvals. */
export function TeamsPage() {
  const { t } = useTranslation();
  const canManage = useCan("teams.manage");
  const queryClient = useQueryClient();
  const teams = useTeams();
  const members = useMembers();
  const [editing, setEditing] = useState<Team | "new" | null>(null);
  const [managingId, setManagingId] = useState<string | null>(null);
  const managing = teams.data?.find((team) => team.id === managingId) ?? null;

  const remove = useMutation({
    mutationFn: (team: Team) => api("DELETE", `/workspace/teams/${encodeURIComponent(team.id)}`),
    onSuccess: (_, team) => {
      notifySuccess(t("teams.deletedToast", { name: team.name }));
      void queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
    },
    onError: (error) => notifyError(t, error),
  });

  const memberName = (id: string) => {
    const member = members.data?.find((m) => m.userId === id);
    return member ? member.name || member.email : null;
  };

  const newButton = canManage && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing("new")}>
      {t("teams.new")}
    </Button>
  );

  return (
    <Page title={t("teams.title")} description={t("teams.description")} actions={newButton}>
      <QueryState query={teams}>
        {(list) =>
          list.length === 0 ? (
            <Card withBorder>
              <Empty
                icon={<IconUsersGroup aria-hidden />}
                title={t("teams.emptyTitle")}
                description={canManage ? t("teams.emptyText") : t("teams.emptyReadOnly")}
                action={newButton || undefined}
              />
            </Card>
          ) : (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={760}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("teams.name")}</Table.Th>
                      <Table.Th>{t("teams.people")}</Table.Th>
                      <Table.Th>{t("teams.createdAt")}</Table.Th>
                      <Table.Th>
                        <span className="visually-hidden">{t("common.actions")}</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((team) => {
                      const names = team.memberIds.map(memberName).filter((n): n is string => n !== null);
                      return (
                        <Table.Tr key={team.id}>
                          <Table.Td>
                            <Text size="sm" fw={500}>
                              {team.name}
                            </Text>
                            {team.description && (
                              <Text size="xs" c="dimmed" lineClamp={2}>
                                {team.description}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td>
                            {team.memberIds.length === 0 ? (
                              <Text size="sm" c="dimmed">
                                {t("teams.nobody")}
                              </Text>
                            ) : (
                              <Group gap="xs" wrap="nowrap">
                                <Tooltip.Group>
                                  <Avatar.Group spacing="sm">
                                    {names.slice(0, 4).map((name) => (
                                      <Tooltip key={name} label={name} withArrow>
                                        <Avatar size="sm" radius="xl" color="blue" name={name} alt={name} />
                                      </Tooltip>
                                    ))}
                                  </Avatar.Group>
                                </Tooltip.Group>
                                <Text size="sm">{t("teams.peopleCount", { count: team.memberIds.length, formatted: formatNumber(team.memberIds.length) })}</Text>
                              </Group>
                            )}
                          </Table.Td>
                          <Table.Td>
                            <RelativeTime value={team.createdAt} />
                          </Table.Td>
                          <Table.Td>
                            {canManage && (
                              <Group gap="xs" justify="flex-end" wrap="nowrap">
                                <Button size="xs" variant="light" onClick={() => setManagingId(team.id)} aria-label={t("teams.manageLabel", { name: team.name })}>
                                  {t("teams.manage")}
                                </Button>
                                <Button size="xs" variant="subtle" onClick={() => setEditing(team)} aria-label={t("teams.editLabel", { name: team.name })}>
                                  {t("common.edit")}
                                </Button>
                                <ConfirmedRowAction
                                  label={t("common.delete")}
                                  ariaLabel={t("teams.deleteLabel", { name: team.name })}
                                  confirm={{ title: t("teams.deleteTitle", { name: team.name }), message: t("teams.deleteMessage", { name: team.name }), confirmLabel: t("common.delete") }}
                                  onConfirmed={() => remove.mutate(team)}
                                />
                              </Group>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )
        }
      </QueryState>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? t("teams.new") : t("teams.edit")}>
        {editing !== null && <TeamForm team={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />}
      </Modal>
      <Modal opened={managing !== null} onClose={() => setManagingId(null)} title={managing ? t("teams.membersOf", { team: managing.name }) : ""}>
        {managing && (
          <Stack>
            <Text size="sm" c="dimmed">
              {t("teams.manageIntro")}
            </Text>
            <QueryState query={members}>{(list) => <TeamMembersEditor team={managing} members={list} />}</QueryState>
            <Group justify="flex-end">
              <Button onClick={() => setManagingId(null)}>{t("common.done")}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Page>
  );
}
