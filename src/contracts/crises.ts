import { z } from "zod";
import { CrisisRoleKey, CrisisScenario } from "./crisis-plans";

/**
 * A crisis's lifecycle and crisis mode: the request and response shapes of /api/v1/crisis/crises. The transition
 * table itself is data in src/server/domains/crisis/crises/transitions.ts (and shown in docs/crisis.md).
 */

export const CRISIS_STATUSES = ["triage", "active", "stable", "closed", "cancelled", "merged"] as const;
export const CrisisStatus = z.enum(CRISIS_STATUSES);
export type CrisisStatus = z.infer<typeof CrisisStatus>;
/** Statuses a crisis can be moved to by a person (triage is only where a quiet declaration starts). */
export const CrisisTarget = z.enum(["active", "stable", "closed", "cancelled", "merged"]);
export type CrisisTarget = z.infer<typeof CrisisTarget>;
export const ORIGIN_KINDS = ["alert", "inbox", "manual", "drill"] as const;
export const OriginKind = z.enum(ORIGIN_KINDS);
export const HELD_POST_DECISIONS = ["pending", "resume", "reschedule", "edit", "discard"] as const;
export const HeldPostDecision = z.enum(HELD_POST_DECISIONS);

const severity = z.number().int().min(1).max(9);

export const DeclareCrisisBody = z.object({
  title: z.string().trim().min(1).max(200),
  summary: z.string().trim().max(4000).optional(),
  /** Declared from a listening alert (its scenario and severity are proposed from it), an inbox reference, or by hand. */
  originKind: z.enum(["alert", "inbox", "manual"]),
  alertId: z.uuid().optional(),
  /** The inbox conversation (or another outside reference) for originKind inbox. */
  originRef: z.string().trim().min(1).max(500).optional(),
  /** Absent: proposed from the alert (or the plan's default, or custom). */
  scenario: CrisisScenario.optional(),
  severityLevel: severity.optional(),
  planId: z.uuid().optional(),
  /** Start in quiet triage: no crisis mode, no notifications, no plan tasks until it becomes active. */
  triage: z.boolean().optional(),
});
export type DeclareCrisisBody = z.infer<typeof DeclareCrisisBody>;

export const ProposalQuery = z.object({ alertId: z.uuid() });
export const CrisisProposal = z.object({
  scenario: CrisisScenario,
  severityLevel: severity,
  planId: z.uuid().nullable(),
  title: z.string(),
  detectedAt: z.string().nullable(),
  /** Why: which rule proposed it. */
  basis: z.string(),
});

export const TransitionBody = z.object({
  to: CrisisTarget,
  /** The crisis version you read (409 crisis_version_conflict when someone changed it since). */
  version: z.number().int().min(1),
  reason: z.string().trim().max(2000).optional(),
  /** Required to close: what resolved it. */
  resolution: z.string().trim().max(4000).optional(),
  /** For `merged`: the crisis this one continues in. */
  mergeIntoId: z.uuid().optional(),
  /** Closing with crisis mode still on needs this explicit confirmation. */
  keepCrisisMode: z.boolean().optional(),
});

export const SeverityBody = z.object({ severityLevel: severity, version: z.number().int().min(1), reason: z.string().trim().max(2000).optional() });

export const AssignRoleBody = z.object({
  role: CrisisRoleKey,
  userId: z.uuid(),
  /** The backup of the role (a role has one holder and one backup). */
  isBackup: z.boolean().optional(),
});
export const RenounceRoleParams = z.object({ crisisId: z.uuid(), roleId: z.uuid() });

export const StartCrisisModeBody = z.object({
  reason: z.string().trim().min(1).max(2000),
  /** "all": every channel (a drill: every Sandbox channel); a list: only these; "none": no pause. */
  pause: z.union([z.enum(["all", "none"]), z.array(z.uuid()).min(1).max(200)]),
  lockdown: z.boolean(),
  /** End these people's sessions, disconnect (revoke) these channels' credentials. Needs crisis.secure (admins). */
  secure: z.object({ userIds: z.array(z.uuid()).max(200), channelIds: z.array(z.uuid()).max(200) }).optional(),
  notify: z.boolean(),
});
export const SwitchCrisisModeBody = z.object({
  /** Switch the pause part on (all channels, or these) or off. */
  pause: z.union([z.enum(["all", "none"]), z.array(z.uuid()).min(1).max(200)]).optional(),
  lockdown: z.boolean().optional(),
});

export const DecideHeldPostBody = z.object({
  decision: z.enum(["resume", "reschedule", "edit", "discard"]),
  /** For reschedule: the new time (ISO). */
  at: z.string().optional(),
});

export const CrisisRole = z.object({
  id: z.uuid(),
  role: CrisisRoleKey,
  userId: z.uuid(),
  name: z.string(),
  isBackup: z.boolean(),
  assumedAt: z.string(),
});

export const CrisisMode = z.object({
  id: z.uuid(),
  pause: z.boolean(),
  pauseChannelIds: z.array(z.uuid()).nullable(),
  pauseId: z.uuid().nullable(),
  lockdown: z.boolean(),
  secured: z
    .object({
      sessionsEndedFor: z.array(z.uuid()),
      sessionsEnded: z.number(),
      /** API tokens of those people revoked in this workspace (absent on crisis modes started before tokens were revoked). */
      tokensRevoked: z.number().optional(),
      channels: z.array(z.object({ channelId: z.uuid(), revokedAtNetwork: z.string() })),
    })
    .nullable(),
  /** `to`: an email address, or the alert destination's name (via destination; `channel` says which kind). */
  notified: z
    .array(z.object({ to: z.string(), kind: z.enum(["team", "stakeholder"]), via: z.enum(["email", "destination"]), channel: z.enum(["email", "slack", "teams", "webhook"]).optional(), destinationId: z.uuid().optional() }))
    .nullable(),
  /** Why, as a person wrote it: who started crisis mode, or for one started by itself the crisis's declared summary (else its title). */
  reason: z.string(),
  /** Started by itself because this severity level starts crisis mode (its name is the crisis's `severityName` while the level is the same); null: a person started it. */
  automaticSeverity: z.number().int().nullable(),
  activatedBy: z.uuid().nullable(),
  activatedAt: z.string(),
  endedAt: z.string().nullable(),
  keptOnClose: z.boolean(),
});

export const HeldPost = z.object({
  postTargetId: z.uuid(),
  postId: z.uuid(),
  channelId: z.uuid(),
  text: z.string(),
  previousDueAt: z.string().nullable(),
  decision: HeldPostDecision,
  decidedBy: z.uuid().nullable(),
  decidedAt: z.string().nullable(),
  targetStatus: z.string(),
});

/** A post in review whose approval has this crisis team's step (a lock down sent it there): listed in the room. */
export const AwaitingCrisisApproval = z.object({
  postId: z.uuid(),
  /** Its text (the first channel's own text when it has one). */
  text: z.string(),
  channels: z.array(z.object({ id: z.uuid(), handle: z.string(), network: z.string() })),
  /** Null: nobody (the author's account is gone). */
  authorId: z.uuid().nullable(),
  authorName: z.string().nullable(),
  scheduledAt: z.string().nullable(),
  submittedAt: z.string(),
  /** The step deciding now; the crisis team's step is the last. */
  step: z.object({ index: z.number(), of: z.number(), label: z.string() }),
  /** True when the crisis team's step is the one deciding now (false: an earlier step, a channel's workflow, first). */
  atCrisisTeamStep: z.boolean(),
  /** Whether the reader may decide it now (on the crisis team or a crisis manager, its step current, not their own post). */
  mayDecide: z.boolean(),
});

/**
 * One crisis notice on its way: to a stakeholder's alert destination (Slack, Teams, a webhook, or a mail list whose
 * mails go through the mail outbox), to a plan's stakeholder by plain email address, or to a crisis team member by
 * email. Where to, and how its delivery stands. queued: waiting for its first attempt (or being sent); sent;
 * retrying: the receiver was busy or silent, the next attempt is at `nextAttemptAt` (a mail: at the mail outbox's
 * next round); failed: given up, `lastError` or `reason` says why — a crisis manager may retry it now.
 */
export const CRISIS_NOTICE_STATUSES = ["queued", "sent", "retrying", "failed"] as const;
/**
 * Why a notice is not sent, as a code the reader's language words: `mail_not_accepted` (a mail was given up after
 * every attempt; the mail server's own words name addresses, so they stay in Settings → Outbox), `mail_not_configured`
 * (this server sends no mail: it waits in the outbox), `no_address` (a mail list with no address: nothing was sent).
 */
export const CRISIS_NOTICE_REASONS = ["mail_not_accepted", "mail_not_configured", "no_address"] as const;
/** destination: an alert destination; stakeholder: a plan's stakeholder by plain address; team: a crisis team member. */
export const CRISIS_NOTICE_RECIPIENTS = ["destination", "stakeholder", "team"] as const;
export const CrisisNotice = z.object({
  id: z.uuid(),
  modeId: z.uuid(),
  /**
   * Who: `name` is the destination's name, the stakeholder's name in the plan or the team member's name; `roles` a
   * team member's crisis roles; `address` only a stakeholder's plain address (the plan shows it to the same readers),
   * never a destination's or a team member's.
   */
  recipient: z.object({ kind: z.enum(CRISIS_NOTICE_RECIPIENTS), name: z.string(), roles: z.array(CrisisRoleKey), address: z.string().nullable() }),
  /** The alert destination (kind and name, never its address); null for a mail to a plain address. */
  destination: z.object({ id: z.uuid(), kind: z.enum(["email", "slack", "teams", "webhook"]), name: z.string() }).nullable(),
  status: z.enum(CRISIS_NOTICE_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  /** Why the last attempt failed (the receiver's address left out); never a mail server's words (see `reason`). */
  lastError: z.string().nullable(),
  reason: z.enum(CRISIS_NOTICE_REASONS).nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type CrisisNotice = z.infer<typeof CrisisNotice>;

export const Crisis = z.object({
  id: z.uuid(),
  number: z.number(),
  /** CR-<number> */
  ref: z.string(),
  title: z.string(),
  summary: z.string(),
  scenario: CrisisScenario,
  severityLevel: z.number(),
  severityName: z.string(),
  status: CrisisStatus,
  isDrill: z.boolean(),
  originKind: OriginKind,
  originAlertId: z.uuid().nullable(),
  originRef: z.string().nullable(),
  planId: z.uuid().nullable(),
  planVersion: z.number().nullable(),
  declaredBy: z.uuid().nullable(),
  declaredByName: z.string().nullable(),
  detectedAt: z.string().nullable(),
  declaredAt: z.string(),
  activatedAt: z.string().nullable(),
  stableAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  mergedIntoId: z.uuid().nullable(),
  firstPublicResponseAt: z.string().nullable(),
  resolution: z.string().nullable(),
  nextInternalUpdateDueAt: z.string().nullable(),
  nextPublicUpdateDueAt: z.string().nullable(),
  version: z.number(),
  /** Where a person may move it from here. */
  allowedTransitions: z.array(CrisisTarget),
  roles: z.array(CrisisRole),
  mode: CrisisMode.nullable(),
  heldPosts: z.object({ total: z.number(), pending: z.number() }),
  /** The caller holds a current role in it. */
  onTeam: z.boolean(),
});
export type Crisis = z.infer<typeof Crisis>;

export const CrisisListItem = Crisis.pick({
  id: true, number: true, ref: true, title: true, scenario: true, severityLevel: true, severityName: true, status: true, isDrill: true,
  originKind: true, declaredAt: true, declaredByName: true, closedAt: true,
});
export const CrisisListQuery = z.object({ status: z.enum(["open", "all"]).optional() });

/** What the banner on every page shows: open crises past triage (triage is quiet), and whether crisis mode is on. */
export const CrisisBanner = z.object({
  crises: z.array(
    z.object({
      id: z.uuid(), ref: z.string(), title: z.string(), status: CrisisStatus, severityLevel: z.number(), severityName: z.string(), isDrill: z.boolean(),
      declaredByName: z.string().nullable(), declaredAt: z.string(), reason: z.string(),
      mode: z.object({ pause: z.boolean(), lockdown: z.boolean() }).nullable(),
      /** Its lock down is on and the reader is not on its team: their posts on its channels (a drill's: Sandbox) go to the crisis team for approval. */
      lockedOut: z.boolean(),
    }),
  ),
});
