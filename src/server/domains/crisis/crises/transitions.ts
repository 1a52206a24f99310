import type { CrisisStatus, CrisisTarget } from "../../../../contracts/crises";

/**
 * The lifecycle as data: from each status, where a person may move a crisis. triage → active ⇄ stable → closed,
 * plus cancelled (a false alarm) and merged (it continues in another crisis). closed, cancelled and merged are final.
 */
export const TRANSITIONS: Record<CrisisStatus, readonly CrisisTarget[]> = {
  triage: ["active", "cancelled", "merged"],
  active: ["stable", "closed", "cancelled", "merged"],
  stable: ["active", "closed", "merged"],
  closed: [],
  cancelled: [],
  merged: [],
};

export const OPEN_STATUSES: CrisisStatus[] = ["triage", "active", "stable"];

export function canTransition(from: CrisisStatus, to: CrisisTarget): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Which guards a transition runs (checked in change-status.ts; listed here so the table and its guards read together). */
export const GUARDS: Record<CrisisTarget, readonly string[]> = {
  active: [],
  stable: [],
  closed: ["resolution", "crisis_mode_off_or_kept", "held_posts_decided"],
  cancelled: ["reason", "crisis_mode_off_or_kept", "held_posts_decided"],
  merged: ["open_target", "crisis_mode_off_or_kept", "held_posts_decided"],
};
