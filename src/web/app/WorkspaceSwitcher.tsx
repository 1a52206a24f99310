import { Button, Menu, Text } from "@mantine/core";
import { IconCheck, IconPlus, IconSelector } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api } from "../api/client";
import type { Me } from "../api/types";
import { notifyError, notifySuccess } from "../components/notify";
import { ME_KEY, useActiveMe } from "./session";

/** Switches the current brand (workspace); everything on screen is then reloaded for it. */
export function useSwitchWorkspace() {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: (workspaceId: string) => api<Me>("POST", "/me/workspace", { workspaceId }),
    onSuccess: async (me) => {
      queryClient.setQueryData(ME_KEY, me);
      await queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
      notifySuccess(t("workspaceSwitcher.switched", { name: me.workspace?.name ?? "" }));
    },
    onError: (error) => notifyError(t, error),
  });
}

/** The brand switcher in the top bar. */
export function WorkspaceSwitcher() {
  const { t } = useTranslation();
  const me = useActiveMe();
  const navigate = useNavigate();
  const switchWorkspace = useSwitchWorkspace();
  const current = me.workspace;

  return (
    <Menu position="bottom-start" width={280} shadow="md">
      <Menu.Target>
        <Button
          variant="default"
          rightSection={<IconSelector size={16} aria-hidden />}
          loading={switchWorkspace.isPending}
          aria-label={t("workspaceSwitcher.label", { name: current?.name ?? t("workspaceSwitcher.none") })}
          maw={{ base: 170, sm: 360 }}
        >
          <span dir="auto" style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
            {current?.name ?? t("workspaceSwitcher.none")}
          </span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t("workspaceSwitcher.brands")}</Menu.Label>
        {me.workspaces.map((workspace) => (
          <Menu.Item
            key={workspace.id}
            onClick={() => workspace.id !== current?.id && switchWorkspace.mutate(workspace.id)}
            leftSection={workspace.id === current?.id ? <IconCheck size={16} aria-hidden /> : <span style={{ width: 16, display: "inline-block" }} />}
            aria-current={workspace.id === current?.id ? "true" : undefined}
          >
            <Text size="sm">{workspace.name}</Text>
            <Text size="xs" c="dimmed">
              {t(`roles.${workspace.role}`)}
            </Text>
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item leftSection={<IconPlus size={16} aria-hidden />} onClick={() => navigate("/settings/workspace#new-brand")}>
          {t("workspaceSwitcher.create")}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
