import { z } from "zod";

/**
 * What can appear on a crisis's timeline. Every part of the crisis module writes through one function
 * (src/server/domains/crisis/timeline.ts), and the web app words each type from its data (i18n "crisisEvent").
 */
export const CRISIS_EVENT_TYPES = [
  "declared",
  "status_changed",
  "severity_changed",
  "role_changed",
  "alert_linked",
  "crisis_mode_on",
  "crisis_mode_off",
  "posts_held",
  "held_post_decided",
  /** A post by someone outside the crisis team fell due on a channel under lock down: held for a decision. */
  "post_held_lockdown",
  "security_action",
  "stakeholders_notified",
  "task_created",
  "task_done",
  "status_update",
  "statement_submitted",
  "statement_escalated",
  "statement_approved",
  "statement_rejected",
  "statement_published",
  "reply_sent",
  /** A reminder the room sent: an overdue task to its owner, a due internal update to the lead. */
  "reminder_sent",
  "volume_changed",
  "inject",
  "note",
] as const;
export const CrisisEventType = z.enum(CRISIS_EVENT_TYPES);
export type CrisisEventType = z.infer<typeof CrisisEventType>;

/**
 * Who an event's `actorLabel` is: Parapet's own jobs record under internal names (crisis.deadlines,
 * crisis.watch-listening, the publisher, drill injects), which the room, the review and its export name in words.
 */
export function timelineActorKind(label: string): "drill_script" | "automatic" | "person" {
  if (label === "drill injects") return "drill_script";
  if (/^crisis\.[a-z-]+$/.test(label) || label === "publisher") return "automatic";
  return "person";
}

export const CrisisEvent = z
  .object({
    id: z.uuid(),
    crisisId: z.uuid(),
    occurredAt: z.string(),
    type: CrisisEventType,
    actorId: z.uuid().nullable(),
    actorLabel: z.string(),
    text: z.string(),
    data: z.record(z.string(), z.unknown()),
    pinned: z.boolean(),
  });
export type CrisisEvent = z.infer<typeof CrisisEvent>;
