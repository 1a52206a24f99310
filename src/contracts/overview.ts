import { z } from "zod";
import { PausedVia } from "./publishing";

/** How far the overview looks: failures and missed approvals this far back, scheduled posts this far ahead, expiries this far ahead. */
export const OVERVIEW_WINDOWS = { recentDays: 7, scheduledHours: 24, expiringDays: 14 } as const;

const count = z.number().int().min(0);

/** Publishing: pauses in force, posts held, posts that failed or missed their approval lately, posts going out soon. */
export const OverviewPublishing = z.object({
  pauses: z.array(
    z.object({
      id: z.uuid(),
      reason: z.string(),
      pausedByName: z.string().nullable(),
      pausedVia: PausedVia.nullable(),
      pausedAt: z.string(),
      /** null: the whole workspace; else how many channels the pause covers. */
      channelCount: z.number().int().nullable(),
    }),
  ),
  held: count,
  /** Posts scheduled in the last `recentDays` with a channel where publishing failed. */
  failedRecently: count,
  /** Posts scheduled in the last `recentDays` that were still in review at their time (not published). */
  expiredRecently: count,
  /** Posts with a channel still scheduled to go out within the next `scheduledHours` (held ones are in `held`). */
  scheduledSoon: count,
  nextScheduledAt: z.string().nullable(),
});

/** Approvals: posts waiting for the reader's decision, and how many of them go out within `scheduledHours`. */
export const OverviewApprovals = z.object({
  waitingForMe: count,
  dueSoon: count,
  nextDeadline: z.string().nullable(),
});

export const OverviewListening = z.object({
  openAlerts: count,
  openByKind: z.object({ spike: count, negative_turn: count, keyword: count, impostor: count }),
  /** Suspected impostor accounts nobody has looked at yet (status `new`). */
  impostorsToReview: count,
  /** Sources set up (0: nothing is listened to yet — not "in order" but a setup step). */
  sources: count,
  sourcesFailing: count,
  sourcesBehind: count,
});

export const OverviewCrisis = z.object({
  /** Active or stable crises (and any whose crisis mode is still on), most severe first. */
  open: z.array(
    z.object({
      id: z.uuid(),
      ref: z.string(),
      title: z.string(),
      status: z.string(),
      severityLevel: z.number().int(),
      severityName: z.string(),
      isDrill: z.boolean(),
      declaredAt: z.string(),
    }),
  ),
  drillsRunning: z.array(z.object({ id: z.uuid(), planName: z.string().nullable(), startedAt: z.string() })),
  plans: count,
  plansNotReady: count,
  /** The newest drill of any plan; null: never drilled. */
  lastDrilledAt: z.string().nullable(),
  /** A plan counts as ready only with a drill within this many days. */
  drillDueDays: z.number().int(),
});

export const OverviewChannels = z.object({
  total: count,
  needsReconnect: count,
  /** Live channels whose credentials expire within `expiringDays`. */
  credentialsExpiring: count,
});

export const OverviewPeople = z.object({
  members: count,
  withoutMfa: count,
  /** Partners whose access ends within `expiringDays`, soonest first. */
  partnersEnding: z.array(z.object({ userId: z.uuid(), name: z.string(), organization: z.string(), accessEndsAt: z.string() })),
});

export const OverviewAccessReview = z.object({
  quarter: z.string(),
  signedOff: z.boolean(),
  /** When the quarter (and so the review's window) ends. */
  dueBy: z.string(),
});

export const OverviewApiTokens = z.object({
  /** The reader's own active tokens that expire within `expiringDays`, soonest first. */
  expiringSoon: z.array(z.object({ id: z.uuid(), name: z.string(), expiresAt: z.string() })),
});

/**
 * The Home page's risk overview: what needs attention now. A section is null when the reader may not read that area
 * (their role or token scope), never an error.
 */
export const Overview = z.object({
  generatedAt: z.string(),
  windows: z.object({ recentDays: z.number().int(), scheduledHours: z.number().int(), expiringDays: z.number().int() }),
  publishing: OverviewPublishing.nullable(),
  approvals: OverviewApprovals.nullable(),
  listening: OverviewListening.nullable(),
  crisis: OverviewCrisis.nullable(),
  channels: OverviewChannels.nullable(),
  people: OverviewPeople.nullable(),
  accessReview: OverviewAccessReview.nullable(),
  apiTokens: OverviewApiTokens.nullable(),
});
export type Overview = z.infer<typeof Overview>;
