import { Alert, Button, Checkbox, Group, Modal, Radio, Stack, Text, Textarea } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ErrorAlert } from "../../components/QueryState";
import { fieldError } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { useChannels } from "../channels/hooks";
import { useRefreshPublishing } from "./hooks";
import type { PauseResult } from "./types";

/** "Pause publishing": a reason for everyone who sees the banner, for the whole workspace or chosen channels. */
export function PauseForm({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const channels = useChannels();
  const refresh = useRefreshPublishing();
  const [reason, setReason] = useState("");
  const [scope, setScope] = useState<"workspace" | "channels">("workspace");
  const [chosen, setChosen] = useState<string[]>([]);
  const [missing, setMissing] = useState<string | null>(null);
  const pause = useMutation({
    mutationFn: () => api<PauseResult>("POST", "/publishing/pauses", { reason: reason.trim(), channelIds: scope === "channels" ? chosen : null }),
    onSuccess: (result) => {
      notifySuccess(t("publishing.pause.done", { count: result.held }));
      refresh();
      setReason("");
      setChosen([]);
      onClose();
    },
  });
  const submit = () => {
    if (!reason.trim()) return setMissing(t("publishing.pause.reasonRequired"));
    if (scope === "channels" && chosen.length === 0) return setMissing(t("publishing.pause.channelsRequired"));
    setMissing(null);
    pause.mutate();
  };
  const active = (channels.data ?? []).filter((c) => c.status !== "disconnected");
  return (
    <Modal opened={opened} onClose={onClose} title={t("publishing.pause.title")} size="lg" closeButtonProps={{ "aria-label": t("common.close") }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack>
          <Text size="sm">{t("publishing.pause.explain")}</Text>
          <Textarea
            label={t("publishing.pause.reason")}
            description={t("publishing.pause.reasonHint")}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={(missing && !reason.trim() ? missing : undefined) ?? fieldError(t, pause.error, "reason")}
            withAsterisk
            autosize
            minRows={2}
            maxLength={500}
            data-autofocus
          />
          <Radio.Group label={t("publishing.pause.scope")} value={scope} onChange={(value) => setScope(value as "workspace" | "channels")}>
            <Stack gap="xs" mt={6}>
              <Radio value="workspace" label={t("publishing.pause.scopeWorkspace")} />
              <Radio value="channels" label={t("publishing.pause.scopeChannels")} />
            </Stack>
          </Radio.Group>
          {scope === "channels" && (
            <Checkbox.Group label={t("publishing.pause.channels")} value={chosen} onChange={setChosen} error={missing && chosen.length === 0 ? missing : undefined}>
              <Stack gap={6} mt={6}>
                {active.map((channel) => (
                  <Checkbox key={channel.id} value={channel.id} label={<span className="ltr-value">@{channel.handle}</span>} />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
          <ErrorAlert error={pause.error && !fieldError(t, pause.error, "reason") ? pause.error : null} />
          <Alert color="orange" variant="light">
            {t("publishing.pause.effect")}
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" color="red" loading={pause.isPending}>
              {t("publishing.pause.confirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
