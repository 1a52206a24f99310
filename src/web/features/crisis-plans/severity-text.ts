import { useTranslation } from "react-i18next";
import { DEFAULT_SEVERITY_TEXTS } from "../../../contracts/crisis-plans";

/**
 * A severity level's name and meaning as the reader sees them: a default level nobody has renamed or re-described is
 * shown in the reader's language; text an admin wrote is shown as written.
 */
export function useSeverityText() {
  const { t } = useTranslation();
  return (level: number, name: string, description?: string) => {
    const defaults = DEFAULT_SEVERITY_TEXTS[level];
    return {
      name: defaults && name === defaults.name ? t(`crisisSeverities.defaults.${level}.name`) : name,
      description: defaults && description === defaults.description ? t(`crisisSeverities.defaults.${level}.description`) : (description ?? ""),
    };
  };
}
