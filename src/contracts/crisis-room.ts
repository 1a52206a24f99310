import { z } from "zod";
import { CrisisEvent } from "./crisis-timeline";
import { CrisisRoleKey, StatementLocale, TaskKind } from "./crisis-plans";

/**
 * Request and response shapes of the crisis room: the timeline with notes and pins, tasks, internal status updates,
 * public statements with fast-track approval, and the live figures.
 */

export { CrisisEvent };

/**
 * A holding statement's template placeholders ("[time]", "[product, lot/model]"): bracketed phrases. The ones that
 * count are the placeholders of the plan's statements and of the scenario templates (`known`), so ordinary brackets
 * in the real text ("[sic]", "[1]") are not taken for them.
 */
const BRACKETED = /\[([^\[\]\n]{1,60})\]/g;
export function bracketedIn(text: string): string[] {
  return [...new Set([...text.matchAll(BRACKETED)].map((m) => m[0]))];
}
/** The texts a statement publishes: each channel's own text, or the statement's text where a channel has none. */
export function statementTexts(body: string, channelIds: string[], variants: Array<{ channelId: string; body: string }>): string[] {
  if (!channelIds.length) return [body, ...variants.map((v) => v.body)];
  return channelIds.map((id) => variants.find((v) => v.channelId === id)?.body ?? body);
}
/** The known placeholders still in these texts, in order of first appearance. */
export function placeholdersLeft(texts: string[], known: Iterable<string>): string[] {
  const set = new Set(known);
  return [...new Set(texts.flatMap((text) => bracketedIn(text).filter((b) => set.has(b))))];
}

/** What the reader may do in this room (the crisis team, or anyone holding crisis.manage, acts). */
export const RoomAccess = z.object({ act: z.boolean(), userId: z.uuid().nullable() });

export const Timeline = z.object({ events: z.array(CrisisEvent), access: RoomAccess });
export const NoteBody = z.object({ text: z.string().trim().min(1).max(4000), pinned: z.boolean().optional() });
export const PinBody = z.object({ pinned: z.boolean() });

export const TASK_STATUSES = ["open", "done", "skipped"] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export const CrisisTask = z.object({
  id: z.uuid(),
  source: z.string(),
  planStepId: z.string().nullable(),
  kind: TaskKind,
  title: z.string(),
  description: z.string(),
  ownerRole: z.string().nullable(),
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  dueAt: z.string().nullable(),
  status: TaskStatus,
  /** Open and past its due time. */
  overdue: z.boolean(),
  doneAt: z.string().nullable(),
  doneByName: z.string().nullable(),
  lastRemindedAt: z.string().nullable(),
  updatesPlan: z.boolean(),
  createdAt: z.string(),
});
export type CrisisTask = z.infer<typeof CrisisTask>;
export const TaskList = z.object({ tasks: z.array(CrisisTask), overdue: z.number() });
export const CreateTaskBody = z.object({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  kind: TaskKind.optional(),
  ownerId: z.uuid().nullable().optional(),
  ownerRole: CrisisRoleKey.nullable().optional(),
  /** ISO time; null: no due time. */
  dueAt: z.string().nullable().optional(),
});
export const UpdateTaskBody = z.object({
  status: TaskStatus.optional(),
  ownerId: z.uuid().nullable().optional(),
  dueAt: z.string().nullable().optional(),
  title: z.string().trim().min(1).max(200).optional(),
});

export const STATUS_UPDATE_KINDS = ["tactical", "executive"] as const;
export const StatusUpdateKind = z.enum(STATUS_UPDATE_KINDS);
const Field = z.string().trim().min(1).max(4000);
/** Tactical: conditions, actions, needs. Executive: status, overview, next steps. */
export const StatusUpdateBody = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("tactical"), body: z.object({ conditions: Field, actions: Field, needs: Field }) }),
  z.object({ kind: z.literal("executive"), body: z.object({ status: Field, overview: Field, nextSteps: Field }) }),
]);
export const StatusUpdate = z.object({
  id: z.uuid(),
  kind: StatusUpdateKind,
  body: z.record(z.string(), z.string()),
  authorName: z.string().nullable(),
  createdAt: z.string(),
});
export const StatusUpdateList = z.object({
  updates: z.array(StatusUpdate),
  /** When the next internal update is due (the severity's cadence), and whether that time has passed. */
  nextDueAt: z.string().nullable(),
  due: z.boolean(),
  cadenceMinutes: z.number().nullable(),
});

export const STATEMENT_KINDS = ["holding", "update", "resolution", "thread", "reply"] as const;
export const StatementKind = z.enum(STATEMENT_KINDS);
export const STATEMENT_STATUSES = ["draft", "in_review", "approved", "published", "rejected", "withdrawn"] as const;
export const StatementStatus = z.enum(STATEMENT_STATUSES);
export const StatementVariant = z.object({ channelId: z.uuid(), body: z.string().trim().min(1).max(5000) });
export const Statement = z.object({
  id: z.uuid(),
  kind: StatementKind,
  templateId: z.string().nullable(),
  locale: z.string(),
  body: z.string(),
  variants: z.array(StatementVariant),
  channelIds: z.array(z.uuid()),
  status: StatementStatus,
  approverId: z.uuid().nullable(),
  approverName: z.string().nullable(),
  backupApproverId: z.uuid().nullable(),
  backupApproverName: z.string().nullable(),
  submittedAt: z.string().nullable(),
  deadlineAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionComment: z.string().nullable(),
  postId: z.uuid().nullable(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
  /** Template placeholders still in the text to publish (its own or a channel's): filled in before approval. */
  placeholdersLeft: z.array(z.string()),
  /**
   * In review in a running drill whose "approver cannot be reached" inject came: the approver cannot decide it (their
   * decision is refused with `drill_approver_unreachable`); the backup decides once the deadline passed.
   */
  approverUnreachable: z.boolean(),
  /** What the reader may do with it now. */
  can: z.object({ edit: z.boolean(), submit: z.boolean(), decide: z.boolean(), publish: z.boolean(), use: z.boolean(), withdraw: z.boolean() }),
});
export type Statement = z.infer<typeof Statement>;
export const HoldingTemplate = z.object({ id: z.string(), title: z.string(), locale: z.string(), body: z.string(), approved: z.boolean() });
export const StatementList = z.object({
  statements: z.array(Statement),
  /** The plan's holding statements to start from. */
  templates: z.array(HoldingTemplate),
  /** The template placeholders ("[time]") a statement must not be submitted or published with. */
  placeholders: z.array(z.string()),
  /** When the crisis's first statement was published (its first public response). */
  firstPublicResponseAt: z.string().nullable(),
});
export const CreateStatementBody = z.object({
  kind: StatementKind,
  /** Start from the plan's holding statement with this id; otherwise `body` (blank allowed as a draft start). */
  templateId: z.string().max(40).optional(),
  locale: StatementLocale.optional(),
  body: z.string().max(5000).optional(),
  channelIds: z.array(z.uuid()).max(20).optional(),
});
export const UpdateStatementBody = z.object({
  version: z.number().int(),
  body: z.string().trim().min(1).max(5000).optional(),
  locale: StatementLocale.optional(),
  channelIds: z.array(z.uuid()).max(20).optional(),
  variants: z.array(StatementVariant).max(20).optional(),
});
export const DecideStatementBody = z.object({ decision: z.enum(["approve", "reject"]), comment: z.string().max(2000).optional() });
export const UseReplyBody = z.object({ ref: z.string().trim().min(1).max(300) });

export const Figures = z.object({
  /** The listening streams the figures are counted on (the plan's trigger streams and the origin alert's stream). */
  streams: z.array(z.object({ id: z.uuid(), name: z.string() })),
  /** Mentions in the last hour, and the hourly mean of the week before the crisis. */
  lastHour: z.object({ total: z.number(), negative: z.number(), negativeShare: z.number().nullable() }),
  baseline: z.object({ hourlyMean: z.number(), negativeShare: z.number().nullable() }),
  /** lastHour.total / baseline.hourlyMean (null without a baseline). */
  volumeRatio: z.number().nullable(),
  /** Mentions per hour over the last 12 hours, oldest first. */
  hourly: z.array(z.object({ hour: z.string(), total: z.number(), negative: z.number() })),
  lastPublicUpdateAt: z.string().nullable(),
  minutesSinceLastPublicUpdate: z.number().nullable(),
  nextPublicUpdateDueAt: z.string().nullable(),
  firstPublicResponseAt: z.string().nullable(),
  /** The inbox does not exist yet: backlog and median reply time are not available. */
  inbox: z.object({ available: z.literal(false) }),
  computedAt: z.string(),
  /** When the crisis ended (closed, cancelled, merged): the figures are those of that moment. Null while it runs. */
  endedAt: z.string().nullable(),
});
export type Figures = z.infer<typeof Figures>;
