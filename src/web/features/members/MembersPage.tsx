import { Badge, Button, Card, Group, Modal, Select, Stack, Table, Text, Title } from "@mantine/core";
import { IconMailForward, IconUsers } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ROLES, type Role } from "../../../contracts/roles";
import { api } from "../../api/client";
import type { Invitation, Member, Team } from "../../api/types";
import { ME_KEY, useActiveMe, useCan } from "../../app/session";
import { ConfirmedRowAction, useConfirm } from "../../components/confirm";
import { Empty } from "../../components/Empty";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { formatNumber } from "../../i18n/format";
import { useTeams } from "../teams/hooks";
import { INVITATIONS_KEY, MEMBERS_KEY, useInvitations, useMembers } from "./hooks";
import { InviteForm } from "./InviteForm";
import { LostDeviceForm } from "./LostDeviceForm";
import { RemoveMemberForm } from "./RemoveMemberForm";
import { PartnerAccessForm } from "./PartnerAccessForm";

const STATUS_COLORS: Record<Invitation["status"], string> = { pending: "blue", accepted: "teal", revoked: "gray", expired: "orange" };

function teamNames(ids: string[], teams: Team[] | undefined): string {
  if (!teams) return "";
  return ids
    .map((id) => teams.find((team) => team.id === id)?.name)
    .filter(Boolean)
    .join(", ");
}

function MembersTable({ members }: { members: Member[] }) {
  const { t } = useTranslation();
  const me = useActiveMe();
  const canChangeRole = useCan("members.change_role");
  const [partnerFor, setPartnerFor] = useState<Member | null>(null);
  const [lostDeviceOf, setLostDeviceOf] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const canRemove = useCan("members.remove");
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const teams = useTeams();

  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) =>
      api<{ userId: string; role: Role }>("PATCH", `/workspace/members/${encodeURIComponent(member.userId)}`, { role }),
    onSuccess: (result, { member }) => {
      notifySuccess(t("members.roleChanged", { name: member.name || member.email, role: t(`roles.${result.role}`) }));
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
      if (member.userId === me.user.id) void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
    onError: (error) => {
      notifyError(t, error);
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
    },
  });
  const onRoleChange = async (member: Member, role: Role) => {
    if (role === member.role) return;
    if (member.userId === me.user.id) {
      const ok = await confirm({
        title: t("members.ownRoleTitle"),
        message: t("members.ownRoleMessage", { role: t(`roles.${role}`) }),
        confirmLabel: t("members.changeRole"),
        danger: true,
      });
      if (!ok) return;
    }
    changeRole.mutate({ member, role });
  };

  return (
    <Card withBorder padding={0}>
      <Table.ScrollContainer minWidth={860}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("members.person")}</Table.Th>
              <Table.Th>{t("members.role")}</Table.Th>
              <Table.Th>{t("members.mfa")}</Table.Th>
              <Table.Th>{t("members.teams")}</Table.Th>
              <Table.Th>{t("members.joined")}</Table.Th>
              <Table.Th>{t("members.lastSeen")}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t("common.actions")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((member) => {
              const name = member.name || member.email;
              const self = member.userId === me.user.id;
              return (
                <Table.Tr key={member.userId} data-testid={`member-${member.email}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {member.name}{" "}
                      {self && (
                        <Badge size="xs" variant="light" ms={4}>
                          {t("members.you")}
                        </Badge>
                      )}
                    </Text>
                    <Text size="xs" c="dimmed" className="ltr-value">
                      {member.email}
                    </Text>
                    {member.partner && (
                      <Text size="xs" c="grape" mt={2}>
                        {t("members.partnerBadge", { organization: member.partner.organization })}{" "}
                        {member.partner.accessEndsAt && (
                          <>
                            · {t("members.partnerEnds")} <RelativeTime value={member.partner.accessEndsAt} />
                          </>
                        )}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {canChangeRole ? (
                      <Select
                        size="xs"
                        w={150}
                        aria-label={t("members.roleOf", { name })}
                        data={ROLES.map((value) => ({ value, label: t(`roles.${value}`) }))}
                        value={member.role}
                        allowDeselect={false}
                        disabled={changeRole.isPending && changeRole.variables?.member.userId === member.userId}
                        onChange={(value) => value && void onRoleChange(member, value as Role)}
                      />
                    ) : (
                      <Badge variant="light" color="gray">
                        {t(`roles.${member.role}`)}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={member.mfaEnabled ? "teal" : "red"}>
                      {member.mfaEnabled ? t("security.on") : t("security.off")}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{teamNames(member.teamIds, teams.data) || "—"}</Text>
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime value={member.joinedAt} />
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime value={member.lastSeenAt} />
                  </Table.Td>
                  <Table.Td ta="end" style={{ whiteSpace: "nowrap" }}>
                    {canChangeRole && !self && member.role !== "owner" && member.role !== "admin" && (
                      <Button size="compact-xs" variant="subtle" me="xs" onClick={() => setPartnerFor(member)} aria-label={t("members.partnerLabel", { name })}>
                        {member.partner ? t("members.partnerEdit") : t("members.partnerMake")}
                      </Button>
                    )}
                    {canRemove && (me.role === "owner" || member.role !== "owner") && (
                      <Button size="compact-xs" variant="subtle" color="orange" me="xs" onClick={() => setLostDeviceOf(member)} aria-label={t("members.lostDeviceLabel", { name })}>
                        {t("members.lostDevice")}
                      </Button>
                    )}
                    {canRemove && !self && (me.role === "owner" || member.role !== "owner") && (
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRemoving(member)} aria-label={t("members.removeLabel", { name })}>
                        {t("members.remove")}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={partnerFor !== null} onClose={() => setPartnerFor(null)} title={partnerFor ? t("members.partnerTitle", { name: partnerFor.name || partnerFor.email }) : ""}>
        {partnerFor && <PartnerAccessForm member={partnerFor} onDone={() => setPartnerFor(null)} />}
      </Modal>
      <Modal opened={lostDeviceOf !== null} onClose={() => setLostDeviceOf(null)} title={lostDeviceOf ? t("members.lostDeviceTitle", { name: lostDeviceOf.name || lostDeviceOf.email }) : ""}>
        {lostDeviceOf && <LostDeviceForm member={lostDeviceOf} onDone={() => setLostDeviceOf(null)} />}
      </Modal>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={removing ? t("members.removeTitle", { name: removing.name || removing.email }) : ""}>
        {removing && <RemoveMemberForm member={removing} members={members} onDone={() => setRemoving(null)} />}
      </Modal>
    </Card>
  );
}

function InvitationsTable({ invitations }: { invitations: Invitation[] }) {
  const { t } = useTranslation();
  const canInvite = useCan("members.invite");
  const queryClient = useQueryClient();
  const teams = useTeams();
  const revoke = useMutation({
    mutationFn: (invitation: Invitation) => api("DELETE", `/workspace/invitations/${encodeURIComponent(invitation.id)}`),
    onSuccess: (_, invitation) => {
      notifySuccess(t("members.revokedToast", { email: invitation.email }));
      void queryClient.invalidateQueries({ queryKey: INVITATIONS_KEY });
    },
    onError: (error) => notifyError(t, error),
  });
  return (
    <Card withBorder padding={0}>
      <Table.ScrollContainer minWidth={760}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("fields.email")}</Table.Th>
              <Table.Th>{t("members.role")}</Table.Th>
              <Table.Th>{t("members.teams")}</Table.Th>
              <Table.Th>{t("members.status")}</Table.Th>
              <Table.Th>{t("members.sent")}</Table.Th>
              <Table.Th>{t("members.expires")}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t("common.actions")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invitations.map((invitation) => (
              <Table.Tr key={invitation.id}>
                <Table.Td>
                  <span className="ltr-value">{invitation.email}</span>
                </Table.Td>
                <Table.Td>{t(`roles.${invitation.role}`)}</Table.Td>
                <Table.Td>{teamNames(invitation.teamIds, teams.data) || "—"}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={STATUS_COLORS[invitation.status]}>
                    {t(`members.statuses.${invitation.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <RelativeTime value={invitation.createdAt} />
                </Table.Td>
                <Table.Td>{invitation.status === "pending" ? <RelativeTime value={invitation.expiresAt} /> : "—"}</Table.Td>
                <Table.Td ta="end">
                  {canInvite && invitation.status === "pending" && (
                    <ConfirmedRowAction
                      label={t("members.revoke")}
                      ariaLabel={t("members.revokeLabel", { email: invitation.email })}
                      confirm={{ title: t("members.revokeTitle"), message: t("members.revokeMessage", { email: invitation.email }), confirmLabel: t("members.revoke") }}
                      onConfirmed={() => revoke.mutate(invitation)}
                    />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** /settings/members: who is in the workspace with which role; invite, change roles, remove. */
export function MembersPage() {
  const { t } = useTranslation();
  const canInvite = useCan("members.invite");
  const members = useMembers();
  const invitations = useInvitations();
  return (
    <Page title={t("members.title")} description={t("members.description")}>
      {canInvite && <InviteForm />}
      <Stack gap="sm" component="section" aria-labelledby="members-heading">
        <Group justify="space-between">
          <Title order={2} fz="h4" id="members-heading">
            {t("members.listTitle")}
          </Title>
          {members.data && (
            <Text size="sm" c="dimmed">
              {t("members.count", { count: members.data.length, formatted: formatNumber(members.data.length) })}
            </Text>
          )}
        </Group>
        <QueryState query={members}>
          {(list) =>
            list.length === 0 ? (
              <Card withBorder>
                <Empty icon={<IconUsers aria-hidden />} title={t("members.emptyTitle")} description={t("members.emptyText")} />
              </Card>
            ) : (
              <MembersTable members={list} />
            )
          }
        </QueryState>
      </Stack>
      <Stack gap="sm" component="section" aria-labelledby="invitations-heading">
        <Title order={2} fz="h4" id="invitations-heading">
          {t("members.invitationsTitle")}
        </Title>
        <QueryState query={invitations}>
          {(list) =>
            list.length === 0 ? (
              <Card withBorder>
                <Empty
                  icon={<IconMailForward aria-hidden />}
                  title={t("members.noInvitationsTitle")}
                  description={canInvite ? t("members.noInvitationsText") : t("members.noInvitationsReadOnly")}
                />
              </Card>
            ) : (
              <InvitationsTable invitations={list} />
            )
          }
        </QueryState>
      </Stack>
    </Page>
  );
}
