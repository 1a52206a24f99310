import { Select } from "@mantine/core";
import { IconLanguage } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { LOCALES } from "../../contracts/roles";
import { useSetLocale } from "../app/session";
import { currentLocale, isLocale, LANGUAGE_NAMES } from "../i18n";
import { notifyError } from "./notify";

/** Picks the interface language; saved in the profile when signed in, on this device otherwise. */
export function LanguagePicker({ size = "sm", withLabel = true }: { size?: "xs" | "sm"; withLabel?: boolean }) {
  const { t, i18n } = useTranslation();
  const setLocale = useSetLocale();
  const value = isLocale(i18n.language) ? i18n.language : currentLocale();
  return (
    <Select
      size={size}
      label={withLabel ? t("common.language") : undefined}
      aria-label={withLabel ? undefined : t("common.language")}
      leftSection={<IconLanguage size={16} aria-hidden />}
      data={LOCALES.map((locale) => ({ value: locale, label: LANGUAGE_NAMES[locale] }))}
      value={value}
      allowDeselect={false}
      w={withLabel ? undefined : 160}
      disabled={setLocale.isPending}
      onChange={(next) => {
        if (isLocale(next) && next !== value) setLocale.mutate(next, { onError: (error) => notifyError(t, error) });
      }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
