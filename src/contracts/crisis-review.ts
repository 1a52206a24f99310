import { z } from "zod";
import { CrisisScenario } from "./crisis-plans";

/**
 * The post-crisis review (blameless) and drills: the figures computed from a crisis's recorded timeline, the
 * sections people write, action items, and a drill's score.
 */

/** Minutes between two moments, one decimal; null when either is missing. */
const Minutes = z.number().nullable();

export const StateMinutes = z.object({ triage: z.number(), active: z.number(), stable: z.number() });

export const StatementFigure = z.object({
  id: z.string(),
  kind: z.string(),
  locale: z.string(),
  status: z.string(),
  submittedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  /** Submitted → approved (or rejected). */
  approvalMinutes: Minutes,
  escalated: z.boolean(),
  /** Approved by the backup approver (after the deadline passed, or the approver was away). */
  approvedByBackup: z.boolean(),
});

export const HeldPostFigures = z.object({
  total: z.number(),
  resume: z.number(),
  reschedule: z.number(),
  edit: z.number(),
  discard: z.number(),
  pending: z.number(),
});

/** Mentions per hour and the negative share (0..1, null with no mentions) of one period. */
export const VolumePoint = z.object({ mentionsPerHour: z.number(), negativeShare: z.number().nullable() });
export const VolumeFigures = z.object({
  streamIds: z.array(z.string()),
  /** The 7 days before the first signal (or the declaration). */
  before: VolumePoint,
  /** The busiest hour from the first signal to the close. */
  peak: VolumePoint.extend({ at: z.string().nullable() }),
  /** From the close up to 7 days after (or now). */
  after: VolumePoint.nullable(),
});

export const CadenceFigure = z.object({
  intervalMinutes: z.number(),
  /** Updates sent. */
  sent: z.number(),
  /** Gaps (start → first update, update → update, last update → end) no longer than the interval. */
  onTime: z.number(),
  gaps: z.number(),
  /** Every gap kept. */
  kept: z.boolean(),
  /** The longest gap in minutes. */
  longestGapMinutes: z.number().nullable(),
});

export const PinnedMoment = z.object({
  eventId: z.string(),
  at: z.string(),
  type: z.string(),
  actorLabel: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const ReviewFigures = z.object({
  computedAt: z.string(),
  firstSignalAt: z.string().nullable(),
  detectedAt: z.string().nullable(),
  declaredAt: z.string(),
  firstPublicResponseAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** First signal → alert. */
  timeToDetectMinutes: Minutes,
  /** Alert (or first signal) → declared. */
  timeToDeclareMinutes: Minutes,
  /** Declared → first statement published. */
  timeToFirstPublicResponseMinutes: Minutes,
  /** Declared → the first pause of publishing. */
  timeToPauseMinutes: Minutes,
  /** Declared → closed (or now). */
  durationMinutes: z.number(),
  stateMinutes: StateMinutes,
  statements: z.array(StatementFigure),
  heldPosts: HeldPostFigures,
  volume: VolumeFigures.nullable(),
  cadence: z.object({ internal: CadenceFigure.nullable(), public: CadenceFigure.nullable() }),
  tasks: z.object({ total: z.number(), done: z.number(), overdueWhenDone: z.number(), open: z.number() }),
  /** The key moments (pinned events, plus declaration and close), oldest first. */
  timeline: z.array(PinnedMoment),
});
export type ReviewFigures = z.infer<typeof ReviewFigures>;

/** The sections people write (blameless: systems and process, not people). */
export const REVIEW_SECTIONS = ["summary", "whatHappened", "contributingFactors", "resolution", "impact", "wentWell", "toChange", "gotLucky", "followUp"] as const;
export const ReviewSection = z.enum(REVIEW_SECTIONS);
export const ReviewContent = z.object(Object.fromEntries(REVIEW_SECTIONS.map((s) => [s, z.string().max(20_000)])) as Record<(typeof REVIEW_SECTIONS)[number], z.ZodString>).strict();
export type ReviewContent = z.infer<typeof ReviewContent>;

export const REVIEW_STATUSES = ["draft", "published", "skipped"] as const;
export const ReviewStatus = z.enum(REVIEW_STATUSES);

export const ActionItem = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  dueAt: z.string().nullable(),
  status: z.enum(["open", "done", "skipped"]),
  updatesPlan: z.boolean(),
  doneAt: z.string().nullable(),
});
export type ActionItem = z.infer<typeof ActionItem>;

export const CrisisReview = z.object({
  crisisId: z.uuid(),
  crisisNumber: z.number(),
  crisisTitle: z.string(),
  scenario: z.string(),
  severityLevel: z.number(),
  isDrill: z.boolean(),
  planId: z.uuid().nullable(),
  planName: z.string().nullable(),
  status: ReviewStatus,
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  figures: ReviewFigures,
  content: ReviewContent,
  actionItems: z.array(ActionItem),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  can: z.object({ edit: z.boolean(), publish: z.boolean() }),
});
export type CrisisReview = z.infer<typeof CrisisReview>;

export const ReviewSummary = z.object({
  crisisId: z.uuid(),
  crisisNumber: z.number(),
  crisisTitle: z.string(),
  isDrill: z.boolean(),
  status: ReviewStatus,
  updatedAt: z.string(),
});

export const CrisisIdParam = z.object({ crisisId: z.uuid() });
export const ActionItemParam = z.object({ crisisId: z.uuid(), taskId: z.uuid() });

export const UpdateReviewBody = z
  .object({
    content: ReviewContent.partial().optional(),
    ownerId: z.uuid().nullable().optional(),
    /** Recompute the figures from the timeline as it is now. */
    recompute: z.boolean().optional(),
  })
  .strict();

export const AddActionItemBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    ownerId: z.uuid().nullable().optional(),
    dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
    updatesPlan: z.boolean().optional(),
  })
  .strict();

export const UpdateActionItemBody = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    ownerId: z.uuid().nullable().optional(),
    dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
    updatesPlan: z.boolean().optional(),
    status: z.enum(["open", "done", "skipped"]).optional(),
  })
  .strict();

export const SkipReviewBody = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();

export const ReviewExportQuery = z.object({ locale: z.enum(["en", "de", "it", "nl", "fa"]).optional() });

// ---- Drills ----

export const DRILL_STATUSES = ["running", "finished", "abandoned"] as const;
export const DrillStatus = z.enum(DRILL_STATUSES);

/** What a drill adds while it plays: a message the team must react to, at a minute after the start. */
export const INJECT_KINDS = ["journalist_dm", "executive_asks", "second_wave", "approver_unreachable", "leaked_memo"] as const;
export const InjectKind = z.enum(INJECT_KINDS);
export const DrillInject = z.object({
  atMinute: z.number().int().min(0).max(600),
  kind: InjectKind,
  deliveredAt: z.string().nullable(),
  /** Set when the drill finished before the inject's minute came (it was never delivered). Absent on older drills. */
  skippedAt: z.string().nullable().optional(),
  /**
   * What the delivered inject did, for the drill page and the timeline: the journalist's and the brand's Sandbox
   * handles (journalist_dm), how many posts the second wave added (second_wave), the approver role that cannot be
   * reached (approver_unreachable), who posted the leaked memo, naming whom, and how many posts it made (leaked_memo:
   * `by`, `to`, `posts`). Absent on older drills and on injects that only go on the timeline.
   */
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
});
export type DrillInject = z.infer<typeof DrillInject>;

export const DRILL_CRITERIA = ["declared", "paused", "holding_approved", "cadence_kept", "backup_used"] as const;
export const DrillCriterion = z.enum(DRILL_CRITERIA);
export const DrillCriterionScore = z.object({
  criterion: DrillCriterion,
  /** Met, missed, or not applicable (e.g. no backup needed). */
  result: z.enum(["met", "missed", "not_applicable"]),
  /** The target in minutes, where there is one. */
  targetMinutes: z.number().nullable(),
  /** What was measured, in minutes, where there is a time. */
  minutes: z.number().nullable(),
  evidenceEventIds: z.array(z.string()),
});
export const DrillScore = z.object({ criteria: z.array(DrillCriterionScore), met: z.number(), applicable: z.number() });
export type DrillScore = z.infer<typeof DrillScore>;

export const Drill = z.object({
  id: z.uuid(),
  planId: z.uuid().nullable(),
  planName: z.string().nullable(),
  scenario: CrisisScenario.or(z.string()),
  sandboxScenario: z.string(),
  /**
   * The Sandbox scenario run the drill plays and stops when it finishes (it started it, or joined another drill's).
   * Null when it joined a run started on the Sandbox page (left playing) and on older drills.
   */
  sandboxRunId: z.uuid().nullable(),
  crisisId: z.uuid().nullable(),
  crisisNumber: z.number().nullable(),
  crisisStatus: z.string().nullable(),
  status: DrillStatus,
  injects: z.array(DrillInject),
  score: DrillScore.nullable(),
  debrief: z.string(),
  startedByName: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Drill = z.infer<typeof Drill>;

export const DrillIdParam = z.object({ drillId: z.uuid() });

export const StartDrillBody = z
  .object({
    planId: z.uuid(),
    /** Defaults: a journalist's message at +10, the executive asks for status at +20, the approver becomes unreachable at +5, a second wave at +30. */
    injects: z.array(z.object({ atMinute: z.number().int().min(0).max(600), kind: InjectKind })).max(20).optional(),
    /** Seconds between the Sandbox scenario's ticks (default 60). */
    tickEverySeconds: z.number().int().min(60).max(3600).optional(),
  })
  .strict();

export const FinishDrillBody = z.object({ debrief: z.string().max(20_000).optional(), abandon: z.boolean().optional() }).strict();
export const UpdateDrillBody = z.object({ debrief: z.string().max(20_000) }).strict();
export const DeclareDrillBody = z
  .object({
    /** The alert the drill's scenario raised (its time counts as detected). */
    alertId: z.uuid().optional(),
    triage: z.boolean().optional(),
    severityLevel: z.number().int().min(1).max(9).optional(),
    /** The crisis's title and summary (default title: "Drill: <plan>"), e.g. from the crises page's declare dialog. */
    title: z.string().trim().min(1).max(200).optional(),
    summary: z.string().trim().max(4000).optional(),
  })
  .strict();
