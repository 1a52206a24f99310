import { Alert, Button, Checkbox, Group, Loader, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Member, Session } from "../../api/types";
import { errorText } from "../../components/errors";
import { formatNumber } from "../../i18n/format";
import { notifySuccess } from "../../components/notify";
import { RelativeTime } from "../../components/RelativeTime";
import { describeUserAgent } from "../account/userAgent";
import { MEMBERS_KEY } from "./hooks";

type SecuredDevice = { sessionsEnded: number; tokensRevoked: number; mfaReenrolmentRequired: boolean; authenticatorAppRemoved: boolean; passkeysRemoved: number };

/**
 * "Lost device": an admin picks the member's sessions on the lost phone or laptop and ends them, and can require a new
 * second factor (the lost device may hold their authenticator app or a passkey) and revoke their API tokens here.
 */
export function LostDeviceForm({ member, onDone }: { member: Member; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const name = member.name || member.email;
  const sessions = useQuery({
    queryKey: ["workspace", "members", member.userId, "sessions"],
    queryFn: () => api<{ sessions: Session[] }>("GET", `/workspace/members/${encodeURIComponent(member.userId)}/sessions`).then((r) => r.sessions),
  });
  const [chosen, setChosen] = useState<string[]>([]);
  const [requireMfaReenrolment, setRequireMfaReenrolment] = useState(true);
  const [revokeApiTokens, setRevokeApiTokens] = useState(false);

  const secure = useMutation({
    mutationFn: () =>
      api<SecuredDevice>("POST", `/workspace/members/${encodeURIComponent(member.userId)}/lost-device`, { sessionIds: chosen, requireMfaReenrolment, revokeApiTokens }),
    onSuccess: (result) => {
      notifySuccess(
        [
          t("members.lostDeviceDone", { name, count: result.sessionsEnded, formatted: formatNumber(result.sessionsEnded) }),
          result.mfaReenrolmentRequired ? t("members.lostDeviceMfaReset", { passkeys: formatNumber(result.passkeysRemoved) }) : null,
          revokeApiTokens ? t("members.lostDeviceTokens", { count: result.tokensRevoked, formatted: formatNumber(result.tokensRevoked) }) : null,
        ]
          .filter(Boolean)
          .join(" "),
      );
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
      onDone();
    },
  });

  const device = (session: Session) => {
    const { browser, system } = describeUserAgent(session.userAgent);
    if (browser && system) return t("sessions.browserOn", { browser, system });
    return browser ?? system ?? t("sessions.unknownDevice");
  };
  const nothingChosen = chosen.length === 0 && !requireMfaReenrolment && !revokeApiTokens;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!nothingChosen) secure.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t("members.lostDeviceExplain", { name })}</Text>
        {secure.error && (
          <Alert color="red" role="alert">
            {errorText(t, secure.error)}
          </Alert>
        )}
        <Text size="sm" fw={600} id="lost-device-sessions">
          {t("members.lostDeviceSessions")}
        </Text>
        {sessions.isPending ? (
          <Loader size="sm" aria-label={t("common.loading")} />
        ) : sessions.error ? (
          <Alert color="red" role="alert">
            {errorText(t, sessions.error)}
          </Alert>
        ) : sessions.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("members.lostDeviceNoSessions")}
          </Text>
        ) : (
          <Checkbox.Group value={chosen} onChange={setChosen} aria-labelledby="lost-device-sessions">
            <Stack gap="xs">
              {sessions.data.map((session) => (
                <Checkbox
                  key={session.id}
                  value={session.id}
                  label={
                    <>
                      {device(session)}
                      {session.current && ` · ${t("sessions.thisDevice")}`}
                    </>
                  }
                  description={
                    <>
                      <span className="ltr-value">{session.ip ?? "—"}</span> · {t("sessions.lastSeen")} <RelativeTime value={session.lastSeenAt} />
                    </>
                  }
                />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <Checkbox
          mt="xs"
          checked={requireMfaReenrolment}
          onChange={(event) => setRequireMfaReenrolment(event.currentTarget.checked)}
          label={t("members.lostDeviceRequireMfa")}
          description={t("members.lostDeviceRequireMfaHint")}
        />
        <Checkbox
          checked={revokeApiTokens}
          onChange={(event) => setRevokeApiTokens(event.currentTarget.checked)}
          label={t("members.lostDeviceRevokeTokens")}
          description={t("members.lostDeviceRevokeTokensHint")}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" color="red" loading={secure.isPending} disabled={nothingChosen}>
            {t("members.lostDeviceSubmit")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
