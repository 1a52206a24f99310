import { Avatar, Group, Menu, Text, UnstyledButton } from "@mantine/core";
import { IconCheck, IconChevronDown, IconDevices, IconKey, IconLogout, IconShieldCheck, IconUser } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { LOCALES } from "../../contracts/roles";
import { api } from "../api/client";
import { notifyError, notifySuccess } from "../components/notify";
import { LANGUAGE_NAMES } from "../i18n";
import { ME_KEY, signOutState, useActiveMe, useSetLocale } from "./session";

/** Signs out this browser and forgets everything loaded for the person. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: () => api("POST", "/auth/sign-out"),
    onSuccess: () => {
      signOutState.leaving = true;
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, null);
      navigate("/sign-in", { replace: true });
      notifySuccess(t("userMenu.signedOut"));
    },
    onError: (error) => notifyError(t, error),
  });
}

/** Initials for the avatar ("Ada Lovelace" → "AL"). */
function initials(name: string, email: string): string {
  const parts = (name || email).trim().split(/\s+/).filter(Boolean);
  return parts.slice(0, 2).map((part) => Array.from(part)[0]?.toUpperCase() ?? "").join("") || "?";
}

/** The signed-in person's menu: their pages, the language, sign out. */
export function UserMenu() {
  const { t, i18n } = useTranslation();
  const me = useActiveMe();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const setLocale = useSetLocale();

  return (
    <Menu position="bottom-end" width={260} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={t("userMenu.label", { name: me.user.name || me.user.email })} style={{ borderRadius: "var(--mantine-radius-md)" }} p={4}>
          <Group gap="xs" wrap="nowrap">
            <Avatar color="blue" radius="xl" size={34}>
              {initials(me.user.name, me.user.email)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" maw={180} truncate>
              {me.user.name || me.user.email}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="xs" c="dimmed" className="ltr-value" truncate>
            {me.user.email}
          </Text>
        </Menu.Label>
        <Menu.Item leftSection={<IconUser size={16} aria-hidden />} onClick={() => navigate("/account")}>
          {t("userMenu.account")}
        </Menu.Item>
        <Menu.Item leftSection={<IconDevices size={16} aria-hidden />} onClick={() => navigate("/account/sessions")}>
          {t("userMenu.sessions")}
        </Menu.Item>
        <Menu.Item leftSection={<IconShieldCheck size={16} aria-hidden />} onClick={() => navigate("/account/security")}>
          {t("userMenu.mfa")}
        </Menu.Item>
        <Menu.Item leftSection={<IconKey size={16} aria-hidden />} onClick={() => navigate("/account/api-tokens")}>
          {t("userMenu.apiTokens")}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>{t("common.language")}</Menu.Label>
        {LOCALES.map((locale) => (
          <Menu.Item
            key={locale}
            lang={locale}
            leftSection={i18n.language === locale ? <IconCheck size={16} aria-hidden /> : <span style={{ width: 16, display: "inline-block" }} />}
            aria-current={i18n.language === locale ? "true" : undefined}
            onClick={() => i18n.language !== locale && setLocale.mutate(locale, { onError: (error) => notifyError(t, error) })}
          >
            {LANGUAGE_NAMES[locale]}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} aria-hidden />} onClick={() => signOut.mutate()}>
          {t("userMenu.signOut")}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
