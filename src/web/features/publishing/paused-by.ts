import type { TFunction } from "i18next";
import type { PausedVia } from "../../../contracts/publishing";
import { isolate } from "../../i18n/format";

/**
 * Who paused publishing, in the reader's language: crisis mode as "crisis CR-2 (Olivia Brandt)" from the facts the
 * server keeps; a person by name. A pause recorded without those facts shows its stored label.
 */
export function pausedByText(t: TFunction, pause: { pausedByName: string | null; pausedVia: PausedVia | null }): string | null {
  const via = pause.pausedVia;
  if (via?.kind === "crisis") return via.personName ? t("publishing.pausedBy.crisis", { ref: isolate(via.crisisRef), name: isolate(via.personName) }) : t("publishing.pausedBy.crisisOnly", { ref: isolate(via.crisisRef) });
  return pause.pausedByName;
}
