import { Alert, Button, Group, List, Select, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Member } from "../../api/types";
import { useActiveMe } from "../../app/session";
import { errorText } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { formatNumber } from "../../i18n/format";
import { TEAMS_KEY } from "../teams/hooks";
import { MEMBERS_KEY } from "./hooks";

type Removed = {
  sessionsEnded: number;
  tokensRevoked: number;
  channelGrantsRemoved: number;
  teamsLeft: number;
  postsHeld: number;
  postsHandedOver: number;
  approvalsReassigned?: number;
  approvalsDropped?: number;
};

/**
 * Offboarding in one action: says what happens to the person's access and work, lets the admin choose who takes over
 * their open posts and approval slots (default: the admin), and reports the counts afterwards.
 */
export function RemoveMemberForm({ member, members, onDone }: { member: Member; members: Member[]; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useActiveMe();
  const queryClient = useQueryClient();
  const name = member.name || member.email;
  const [transferTo, setTransferTo] = useState(me.user.id);

  const remove = useMutation({
    mutationFn: () => api<Removed>("DELETE", `/workspace/members/${encodeURIComponent(member.userId)}?transferTo=${encodeURIComponent(transferTo)}`),
    onSuccess: (result) => {
      const heir = members.find((m) => m.userId === transferTo);
      const parts = [
        t("members.removedToast", {
          name,
          sessions: formatNumber(result.sessionsEnded),
          tokens: formatNumber(result.tokensRevoked),
          grants: formatNumber(result.channelGrantsRemoved),
          teams: formatNumber(result.teamsLeft),
        }),
      ];
      if (result.postsHeld || result.postsHandedOver || result.approvalsReassigned || result.approvalsDropped) {
        parts.push(
          t("members.removedWork", {
            held: formatNumber(result.postsHeld),
            handedOver: formatNumber(result.postsHandedOver),
            approvals: formatNumber((result.approvalsReassigned ?? 0) + (result.approvalsDropped ?? 0)),
            heir: heir?.name || heir?.email || "",
          }),
        );
      }
      notifySuccess(parts.join(" "));
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
      void queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    remove.mutate();
  };
  const heirs = members.filter((m) => m.userId !== member.userId).map((m) => ({ value: m.userId, label: m.userId === me.user.id ? t("members.handOverToMe", { name: m.name || m.email }) : m.name || m.email }));

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t("members.removeIntro", { name })}</Text>
        <List size="sm" spacing={4}>
          <List.Item>{t("members.removeAccess")}</List.Item>
          <List.Item>{t("members.removeScheduled")}</List.Item>
          <List.Item>{t("members.removeOpenWork")}</List.Item>
        </List>
        {remove.error && (
          <Alert color="red" role="alert">
            {errorText(t, remove.error)}
          </Alert>
        )}
        <Select
          label={t("members.handOverTo")}
          description={t("members.handOverToHint")}
          data={heirs}
          value={transferTo}
          onChange={(value) => value && setTransferTo(value)}
          allowDeselect={false}
          searchable
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" color="red" loading={remove.isPending}>
            {t("members.remove")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
