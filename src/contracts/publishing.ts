import { z } from "zod";
import { MediaRef, PostMedia } from "./media";

/** Request and response shapes of the publishing API (posts, their delivery per channel, pauses). */

const uuid = z.uuid();
const when = z.iso.datetime({ offset: true, message: "A date and time with its time zone, e.g. 2026-12-01T09:00:00+01:00" });

export const TARGET_STATUSES = ["draft", "scheduled", "held", "publishing", "published", "failed", "removed", "cancelled"] as const;
export const TargetStatus = z.enum(TARGET_STATUSES);
/** A post's state: draft, in review (waiting for approval), approved (approved without a time), scheduled, expired (not approved in time), cancelled. */
export const POST_STATES = ["draft", "in_review", "approved", "scheduled", "expired", "cancelled"] as const;
export const PostState = z.enum(POST_STATES);

export const PostContentBody = z.object({
  text: z.string().max(20_000),
  channels: z.array(z.object({ channelId: uuid, text: z.string().max(20_000).nullable().optional() })).max(50),
  scheduledAt: when.nullable().optional(),
  acknowledgePause: z.boolean().optional(),
  /** Schedule at the next free time slot shared by the channels' posting queues (instead of `scheduledAt`). */
  queue: z.boolean().optional(),
  media: z.array(MediaRef).max(20).optional(),
});
export const UpdatePostBody = PostContentBody.extend({ version: z.number().int().positive() });

export const PostTarget = z.object({
  id: uuid,
  channelId: uuid,
  variantText: z.string().nullable(),
  text: z.string(),
  status: TargetStatus,
  dueAt: z.string().nullable(),
  attempts: z.number(),
  heldReason: z.string().nullable(),
  networkPostId: z.string().nullable(),
  url: z.string().nullable(),
  publishedAt: z.string().nullable(),
  failure: z.object({ kind: z.string(), message: z.string() }).nullable(),
  removed: z.object({ at: z.string(), by: z.string().nullable(), reason: z.string() }).nullable(),
});
export const PostEvent = z.object({ type: z.string(), targetId: z.string().nullable(), actorId: z.string().nullable(), actor: z.string(), data: z.record(z.string(), z.unknown()), at: z.string() });
export const Post = z.object({
  id: uuid,
  authorId: z.string().nullable(),
  text: z.string(),
  state: PostState,
  scheduledAt: z.string().nullable(),
  version: z.number(),
  contentHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  targets: z.array(PostTarget),
  history: z.array(PostEvent).optional(),
  media: z.array(PostMedia).optional(),
  /** Only in the answer to a save (PUT): true when it changed nothing, so no new version was made and nothing recorded. */
  unchanged: z.boolean().optional(),
});
export const ListPostsQuery = z.object({
  from: when.optional(),
  to: when.optional(),
  state: PostState.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
/** Moves a post to another time (the calendar): the version you saw, and `acknowledgePause` to move it although paused. */
export const RescheduleBody = z.object({ scheduledAt: when, version: z.number().int().positive(), acknowledgePause: z.boolean().optional() });
export const TakeDownBody = z.object({ reason: z.string().max(500) });
export const ReleaseHeldBody = z.object({
  decisions: z.array(z.object({ targetId: uuid, action: z.enum(["publish_now", "reschedule", "keep_held"]), at: when.nullable().optional() })).max(500),
});
export const ReleaseHeldResult = z.object({ results: z.array(z.object({ targetId: uuid, status: z.string(), dueAt: z.string().nullable() })) });

/**
 * Who paused, when it was not a person on the publishing page: crisis mode of a crisis (its ref, and the person who
 * started crisis mode, if one did). Kept as facts so the web app words it in the reader's language.
 */
export const PausedVia = z.discriminatedUnion("kind", [z.object({ kind: z.literal("crisis"), crisisId: uuid, crisisRef: z.string(), personName: z.string().nullable() })]);
export type PausedVia = z.infer<typeof PausedVia>;

export const Pause = z.object({
  id: uuid,
  channelIds: z.array(uuid).nullable(),
  reason: z.string(),
  pausedBy: z.string().nullable(),
  /** The pauser as recorded, in English for a system actor ("crisis CR-2 (Olivia Brandt)"); `pausedVia` says it as facts. */
  pausedByName: z.string(),
  pausedVia: PausedVia.nullable(),
  pausedAt: z.string(),
  resumedAt: z.string().nullable(),
});
export const PauseBody = z.object({ reason: z.string().max(500), channelIds: z.array(uuid).max(100).nullable().optional() });
export const PauseResult = z.object({ pause: Pause, held: z.number() });
export const ResumeResult = z.object({ pause: Pause, held: z.array(z.object({ targetId: uuid, postId: uuid, channelId: uuid, dueAt: z.string().nullable() })) });
export const PublishingStatus = z.object({ paused: z.boolean(), pauses: z.array(Pause), held: z.number() });

/** Approvals: workflows (ordered steps naming approvers), runs bound to a post's content hash, decisions. */
export const ApproverRef = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), userId: uuid }),
  z.object({ kind: z.literal("team"), teamId: uuid }),
  z.object({ kind: z.literal("role"), role: z.enum(["owner", "admin", "manager", "member"]) }),
  z.object({ kind: z.literal("external"), email: z.email().max(254), name: z.string().trim().min(1).max(120) }),
]);
export const WorkflowStep = z.object({ mode: z.enum(["any", "all"]), approvers: z.array(ApproverRef).max(20) });
export const WorkflowBody = z.object({ name: z.string().max(120), steps: z.array(WorkflowStep).max(10), channelIds: z.array(uuid).max(200) });
export const Workflow = WorkflowBody.extend({ id: uuid, createdAt: z.string(), updatedAt: z.string() });
export const RunSlot = z.union([
  ApproverRef,
  z.object({ kind: z.literal("channel_publishers"), channelId: uuid }),
  /** A crisis lock down's step: only that crisis's team decides (`ref`: "CR-12"). */
  z.object({ kind: z.literal("crisis_team"), crisisId: uuid, ref: z.string() }),
]).and(
  z.object({ dropped: z.boolean(), reassignedFrom: z.string().optional(), link: z.object({ sentAt: z.string(), expiresAt: z.string(), revoked: z.boolean() }).optional() }),
);
export const ApprovalRun = z.object({
  id: uuid,
  status: z.enum(["pending", "approved", "rejected", "invalidated", "expired", "cancelled"]),
  version: z.number(),
  contentHash: z.string(),
  currentStep: z.number(),
  submittedBy: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  steps: z.array(z.object({ label: z.string(), mode: z.enum(["any", "all"]), approvers: z.array(RunSlot) })),
  decisions: z.array(
    z.object({ step: z.number(), slot: z.number().nullable(), userId: z.string().nullable(), actor: z.string(), decision: z.enum(["approved", "rejected"]), comment: z.string().nullable(), contentHash: z.string(), at: z.string() }),
  ),
});
export const PostApprovals = z.object({ runs: z.array(ApprovalRun) });
export const DecisionBody = z.object({ contentHash: z.string().max(128), comment: z.string().max(2000).nullable().optional() });
export const DecisionResult = z.object({ post: Post, approvals: z.array(ApprovalRun) });
export const ApprovalQueue = z.object({
  items: z.array(z.object({ post: Post, runId: uuid, submittedAt: z.string(), step: z.object({ index: z.number(), of: z.number(), label: z.string(), mode: z.enum(["any", "all"]) }) })),
});
export const ExternalApprovalView = z.object({
  workspace: z.string(),
  approver: z.object({ name: z.string(), email: z.string() }),
  step: z.object({ label: z.string(), index: z.number(), of: z.number() }),
  scheduledAt: z.string().nullable(),
  expiresAt: z.string(),
  contentHash: z.string(),
  channels: z.array(z.object({ network: z.string(), handle: z.string(), text: z.string() })),
});
export const ExternalDecisionResult = z.object({ decision: z.enum(["approved", "rejected"]), postState: z.string() });
export const RevokeLinkBody = z.object({ step: z.number().int().min(0), slot: z.number().int().min(0) });
