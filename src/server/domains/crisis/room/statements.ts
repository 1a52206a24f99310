import { and, desc, eq, isNull } from "drizzle-orm";
import { CrisisPlanContent } from "../../../../contracts/crisis-plans";
import { bracketedIn, placeholdersLeft, statementTexts, type STATEMENT_KINDS, type STATEMENT_STATUSES } from "../../../../contracts/crisis-room";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { users } from "../../identity/identity.schema";
import { createPost } from "../../publishing";
import { crises, crisisPlanVersions, crisisRoles, crisisStatements } from "../crisis.schema";
import { recordCrisisEvent } from "../timeline";
import { SCENARIO_TEMPLATES } from "../plans/templates";
import { actorId, crisisForAction, mayActInRoom, roomCrisis, type CrisisRow } from "./access";
import { namesOf } from "./names";
import { crisisLabel, mailTime, roomMail } from "./room-mail";
import * as errors from "./room.errors";
import { severityOf } from "./severity";
import { assertApproverReachable, isApproverUnreachable } from "../drills/unreachable";

type StatementRow = typeof crisisStatements.$inferSelect;
type Variant = { channelId: string; body: string };

export type CreateStatementInput = { kind: string; templateId?: string; locale?: string; body?: string; channelIds?: string[] };
export type UpdateStatementInput = { version: number; body?: string; locale?: string; channelIds?: string[]; variants?: Variant[] };

/** The plan's holding statements of the version the crisis was declared with. */
async function templatesOf(tx: Ctx, crisis: CrisisRow) {
  if (!crisis.planId || crisis.planVersion === null) return [];
  const [version] = await tx.db
    .select({ content: crisisPlanVersions.content })
    .from(crisisPlanVersions)
    .where(and(eq(crisisPlanVersions.planId, crisis.planId), eq(crisisPlanVersions.version, crisis.planVersion)));
  const parsed = version ? CrisisPlanContent.safeParse(version.content) : null;
  if (!parsed?.success) return [];
  return parsed.data.statements.map((s) => ({ id: s.id, title: s.title, locale: s.locale, body: s.body, approved: Boolean(s.approvedBy && s.approvedAt) }));
}

/** The scenario templates' placeholders ("[time]", "[product]"), which any statement may have been copied from. */
const TEMPLATE_PLACEHOLDERS = Object.values(SCENARIO_TEMPLATES).flatMap((tpl) => tpl.content.statements.flatMap((s) => bracketedIn(s.body)));

/** The placeholders a statement of this crisis must not go out with: the scenario templates' and its plan's own. */
async function knownPlaceholders(tx: Ctx, crisis: CrisisRow) {
  const plan = (await templatesOf(tx, crisis)).flatMap((tpl) => bracketedIn(tpl.body));
  return [...new Set([...TEMPLATE_PLACEHOLDERS, ...plan])];
}

const textsToPublish = (row: StatementRow) => statementTexts(row.body, row.channelIds, (row.variants ?? []) as Variant[]);

async function assertNoPlaceholders(tx: Ctx, crisis: CrisisRow, row: StatementRow) {
  const left = placeholdersLeft(textsToPublish(row), await knownPlaceholders(tx, crisis));
  if (left.length) throw errors.statementPlaceholdersLeft(left);
}

async function present(tx: Ctx, rows: StatementRow[], mayAct: boolean, known: string[]) {
  const names = await namesOf(tx, rows.flatMap((r) => [r.approverId, r.backupApproverId, r.decidedBy]));
  const me = actorId(tx);
  // A drill's approver-unreachable inject (one crisis per call): the approver cannot decide, the backup after the deadline can.
  const crisisIds = [...new Set(rows.map((r) => r.crisisId))];
  const unreachableIn = new Set<string>();
  for (const id of crisisIds) if (await isApproverUnreachable(tx, id)) unreachableIn.add(id);
  return rows.map((r) => {
    const editable = r.status === "draft" || r.status === "rejected";
    const left = placeholdersLeft(textsToPublish(r), known);
    const approverUnreachable = r.status === "in_review" && unreachableIn.has(r.crisisId);
    const asBackup = r.escalatedAt !== null && me === r.backupApproverId;
    const mayDecide = r.status === "in_review" && me !== null && ((me === r.approverId && !approverUnreachable) || asBackup);
    return {
      id: r.id,
      kind: r.kind as (typeof STATEMENT_KINDS)[number],
      templateId: r.templateId,
      locale: r.locale,
      body: r.body,
      variants: (r.variants ?? []) as Variant[],
      channelIds: r.channelIds,
      status: r.status as (typeof STATEMENT_STATUSES)[number],
      approverId: r.approverId,
      approverName: r.approverId ? (names.get(r.approverId) ?? null) : null,
      backupApproverId: r.backupApproverId,
      backupApproverName: r.backupApproverId ? (names.get(r.backupApproverId) ?? null) : null,
      submittedAt: r.submittedAt?.toISOString() ?? null,
      deadlineAt: r.deadlineAt?.toISOString() ?? null,
      escalatedAt: r.escalatedAt?.toISOString() ?? null,
      decidedByName: r.decidedBy ? (names.get(r.decidedBy) ?? null) : null,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decisionComment: r.decisionComment,
      postId: r.postId,
      publishedAt: r.publishedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      version: r.version,
      placeholdersLeft: left,
      approverUnreachable,
      can: {
        edit: mayAct && editable,
        submit: mayAct && editable && r.body.trim().length > 0 && left.length === 0,
        decide: mayDecide,
        publish: mayAct && r.status === "approved" && r.kind !== "reply",
        use: mayAct && r.status === "approved" && r.kind === "reply",
        withdraw: mayAct && !["published", "withdrawn"].includes(r.status),
      },
    };
  });
}

async function lockedStatement(tx: Ctx, crisisId: string, statementId: string): Promise<StatementRow> {
  const [row] = await tx.db.select().from(crisisStatements).where(and(eq(crisisStatements.id, statementId), eq(crisisStatements.crisisId, crisisId))).for("update");
  if (!row) throw errors.statementNotFound();
  return row;
}

async function presentOne(tx: Ctx, crisis: CrisisRow, row: StatementRow) {
  return (await present(tx, [row], await mayActInRoom(tx, row.crisisId), await knownPlaceholders(tx, crisis)))[0];
}

/** The crisis's statements (newest first), the plan's holding statements to start from, and its first public response. */
export async function listStatements(ctx: Ctx, crisisId: string) {
  authorize(ctx.actor, "crisis.read");
  return inTransaction(ctx, async (tx) => {
    const crisis = await roomCrisis(tx, crisisId);
    const rows = await tx.db.select().from(crisisStatements).where(eq(crisisStatements.crisisId, crisisId)).orderBy(desc(crisisStatements.createdAt));
    const known = await knownPlaceholders(tx, crisis);
    return {
      statements: await present(tx, rows, await mayActInRoom(tx, crisisId), known),
      templates: await templatesOf(tx, crisis),
      placeholders: known,
      firstPublicResponseAt: crisis.firstPublicResponseAt?.toISOString() ?? null,
    };
  });
}

/** Starts a statement: from one of the plan's holding statements (its text and language), or blank. */
export async function createStatement(ctx: Ctx, crisisId: string, input: CreateStatementInput) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisForAction(tx, crisisId);
    let body = input.body?.trim() ?? "";
    let locale = input.locale ?? "en";
    if (input.templateId) {
      const template = (await templatesOf(tx, crisis)).find((t) => t.id === input.templateId);
      if (!template) throw errors.statementTemplateNotFound();
      body = input.body?.trim() || template.body;
      locale = input.locale ?? template.locale;
    }
    const now = tx.now();
    const [row] = await tx.db
      .insert(crisisStatements)
      .values({ crisisId, kind: input.kind, templateId: input.templateId ?? null, locale, body, channelIds: [...new Set(input.channelIds ?? [])], createdBy: actorId(tx), createdAt: now, updatedAt: now })
      .returning();
    await tx.audit({ type: "crisis.statement_created", data: { crisisId, statementId: row.id, kind: row.kind, templateId: row.templateId } }, { type: "crisis", id: crisisId });
    return presentOne(tx, crisis, row);
  });
}

/** Edits a draft (or a rejected statement, which becomes a draft again): text, language, channels, a channel's own text. */
export async function updateStatement(ctx: Ctx, crisisId: string, statementId: string, input: UpdateStatementInput) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisForAction(tx, crisisId);
    const row = await lockedStatement(tx, crisisId, statementId);
    if (row.version !== input.version) throw errors.statementVersionConflict(row.version);
    if (row.status !== "draft" && row.status !== "rejected") throw errors.statementWrongStatus(row.status, "a draft");
    const channelIds = input.channelIds ? [...new Set(input.channelIds)] : row.channelIds;
    const variants = (input.variants ?? (row.variants as Variant[])).filter((v) => channelIds.includes(v.channelId));
    const [updated] = await tx.db
      .update(crisisStatements)
      .set({ body: input.body?.trim() ?? row.body, locale: input.locale ?? row.locale, channelIds, variants, status: "draft", updatedAt: tx.now(), version: row.version + 1 })
      .where(eq(crisisStatements.id, statementId))
      .returning();
    await tx.audit({ type: "crisis.statement_updated", data: { crisisId, statementId, version: updated.version } }, { type: "crisis", id: crisisId });
    return presentOne(tx, crisis, updated);
  });
}

/** The current holder (not a backup) of a crisis role, and the backup of that role. */
async function holdersOf(tx: Ctx, crisisId: string, role: string) {
  const rows = await tx.db
    .select({ userId: crisisRoles.userId, isBackup: crisisRoles.isBackup })
    .from(crisisRoles)
    .where(and(eq(crisisRoles.crisisId, crisisId), eq(crisisRoles.role, role), isNull(crisisRoles.renouncedAt)));
  return { holder: rows.find((r) => !r.isBackup)?.userId ?? null, backup: rows.find((r) => r.isBackup)?.userId ?? null };
}

async function mailPerson(tx: Ctx, crisis: CrisisRow, userId: string, make: (mail: ReturnType<typeof roomMail>, name: string, locale: string) => { subject: string; text: string }) {
  const [person] = await tx.db.select({ email: users.email, name: users.name, locale: users.locale }).from(users).where(eq(users.id, userId));
  if (!person) return;
  const mail = make(roomMail(person.locale), person.name || person.email, person.locale);
  await tx.services.mailer.enqueue(tx.db, { to: person.email, workspaceId: crisis.workspaceId, ...mail });
  tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
}

export const roomLink = (tx: Ctx, crisisId: string) => `${tx.services.config.publicUrl}/crisis/${crisisId}`;

/**
 * Asks for fast-track approval: the holder of the severity's approver role (the lead when nobody holds it) decides
 * before the severity's deadline; after it the backup of that role may decide too (the deadline job asks them).
 */
export async function submitStatement(ctx: Ctx, crisisId: string, statementId: string, input: { version: number }) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisForAction(tx, crisisId);
    const row = await lockedStatement(tx, crisisId, statementId);
    if (row.version !== input.version) throw errors.statementVersionConflict(row.version);
    if (row.status !== "draft" && row.status !== "rejected") throw errors.statementWrongStatus(row.status, "a draft");
    if (!row.body.trim()) throw invalidInput({ body: ["Write the statement first"] });
    await assertNoPlaceholders(tx, crisis, row);
    const severity = await severityOf(tx, crisis.workspaceId, crisis.severityLevel);
    let { holder, backup } = await holdersOf(tx, crisisId, severity.approverRole);
    if (!holder) {
      const lead = await holdersOf(tx, crisisId, "lead");
      holder = lead.holder;
      backup = backup ?? lead.backup;
    }
    if (!holder) throw errors.statementNoApprover(severity.approverRole);
    if (!backup || backup === holder) {
      // No backup for the role: the crisis lead (or the lead's backup) takes it after the deadline.
      const lead = await holdersOf(tx, crisisId, "lead");
      backup = [lead.holder, lead.backup].find((id) => id && id !== holder) ?? null;
    }
    const now = tx.now();
    const deadlineAt = new Date(now.getTime() + severity.approvalDeadlineMinutes * 60_000);
    const [updated] = await tx.db
      .update(crisisStatements)
      .set({ status: "in_review", approverId: holder, backupApproverId: backup, submittedBy: actorId(tx), submittedAt: now, deadlineAt, escalatedAt: null, decidedBy: null, decidedAt: null, decisionComment: null, updatedAt: now, version: row.version + 1 })
      .where(eq(crisisStatements.id, statementId))
      .returning();
    await recordCrisisEvent(tx, crisisId, "statement_submitted", { statementId, kind: row.kind, locale: row.locale, approverId: holder, backupApproverId: backup, approverRole: severity.approverRole, deadlineAt: deadlineAt.toISOString() });
    await tx.audit({ type: "crisis.statement_submitted", data: { crisisId, statementId, approverId: holder, deadlineAt: deadlineAt.toISOString() } }, { type: "crisis", id: crisisId });
    const author = tx.actor.type === "user" ? tx.actor.name || tx.actor.email : "Parapet";
    await mailPerson(tx, crisis, holder, (mail, name, locale) =>
      mail.approval({ name, crisis: crisisLabel(crisis), author, deadline: mailTime(deadlineAt, locale), escalated: false, link: roomLink(tx, crisisId) }),
    );
    return presentOne(tx, crisis, updated);
  });
}

/** The approver (or, once the deadline passed, the backup) approves or rejects a statement in review. */
export async function decideStatement(ctx: Ctx, crisisId: string, statementId: string, input: { decision: "approve" | "reject"; comment?: string }) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisForAction(tx, crisisId);
    const row = await lockedStatement(tx, crisisId, statementId);
    if (row.status !== "in_review") throw errors.statementWrongStatus(row.status, "in review");
    const me = actorId(tx);
    const asApprover = me !== null && me === row.approverId;
    const asBackup = me !== null && row.escalatedAt !== null && me === row.backupApproverId;
    if (!asApprover && !asBackup) throw errors.notStatementApprover();
    // In a drill with the approver-unreachable inject delivered, only the backup (after the deadline) can decide.
    if (!asBackup) await assertApproverReachable(tx, crisisId);
    const comment = input.comment?.trim() || null;
    if (input.decision === "reject" && !comment) throw invalidInput({ comment: ["Say what to change"] });
    const now = tx.now();
    const status = input.decision === "approve" ? "approved" : "rejected";
    const [updated] = await tx.db
      .update(crisisStatements)
      .set({ status, decidedBy: me, decidedAt: now, decisionComment: comment, updatedAt: now, version: row.version + 1 })
      .where(eq(crisisStatements.id, statementId))
      .returning();
    const minutes = row.submittedAt ? Math.round((now.getTime() - row.submittedAt.getTime()) / 60_000) : null;
    await recordCrisisEvent(tx, crisisId, input.decision === "approve" ? "statement_approved" : "statement_rejected", {
      statementId, kind: row.kind, byBackup: !asApprover, submittedAt: row.submittedAt?.toISOString() ?? null, minutes, comment,
    });
    await tx.audit({ type: "crisis.statement_decided", data: { crisisId, statementId, decision: input.decision, byBackup: !asApprover } }, { type: "crisis", id: crisisId });
    return presentOne(tx, crisis, updated);
  });
}

/**
 * Publishes an approved statement to its channels at once, through publishing, as a post exempt from the pause that
 * crisis mode holds everything else with. The first one published is the crisis's first public response (pinned).
 * The publisher needs Full publishing on each channel: a channel with its own approval workflow refuses it.
 */
export async function publishStatement(ctx: Ctx, crisisId: string, statementId: string, input: { version: number }) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisForAction(tx, crisisId);
    const row = await lockedStatement(tx, crisisId, statementId);
    if (row.version !== input.version) throw errors.statementVersionConflict(row.version);
    if (row.kind === "reply") throw errors.statementIsReply();
    if (row.status !== "approved") throw errors.statementWrongStatus(row.status, "approved");
    if (!row.channelIds.length) throw errors.statementNeedsChannels();
    // A statement approved before placeholders were checked is not published with them either.
    await assertNoPlaceholders(tx, crisis, row);
    const now = tx.now();
    const variants = (row.variants ?? []) as Variant[];
    const post = await createPost(tx, {
      text: row.body,
      channels: row.channelIds.map((channelId) => ({ channelId, text: variants.find((v) => v.channelId === channelId)?.body ?? null })),
      scheduledAt: now.toISOString(),
      pauseExempt: true,
    });
    if (post.state !== "scheduled") throw errors.statementChannelNeedsApproval();
    const [updated] = await tx.db
      .update(crisisStatements)
      .set({ status: "published", postId: post.id, publishedAt: now, updatedAt: now, version: row.version + 1 })
      .where(eq(crisisStatements.id, statementId))
      .returning();
    const first = crisis.firstPublicResponseAt === null;
    const severity = await severityOf(tx, crisis.workspaceId, crisis.severityLevel);
    await tx.db
      .update(crises)
      .set({
        firstPublicResponseAt: crisis.firstPublicResponseAt ?? now,
        nextPublicUpdateDueAt: severity.publicUpdateMinutes ? new Date(now.getTime() + severity.publicUpdateMinutes * 60_000) : crisis.nextPublicUpdateDueAt,
        updatedAt: now,
      })
      .where(eq(crises.id, crisisId));
    await recordCrisisEvent(tx, crisisId, "statement_published", { statementId, postId: post.id, kind: row.kind, locale: row.locale, channelIds: row.channelIds, firstPublicResponse: first }, { pinned: first });
    await tx.audit({ type: "crisis.statement_published", data: { crisisId, statementId, postId: post.id, channelIds: row.channelIds } }, { type: "crisis", id: crisisId });
    return presentOne(tx, crisis, updated);
  });
}

/**
 * Records that an approved saved reply was used in a conversation (`ref`: the conversation or post it answered).
 * There is no inbox yet: the reply is copied from the room and sent on the network, and its use is recorded here.
 */
export async function useReply(ctx: Ctx, crisisId: string, statementId: string, input: { ref: string }) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    await crisisForAction(tx, crisisId);
    const row = await lockedStatement(tx, crisisId, statementId);
    if (row.kind !== "reply") throw errors.statementNotReply();
    if (row.status !== "approved") throw errors.statementWrongStatus(row.status, "approved");
    const event = await recordCrisisEvent(tx, crisisId, "reply_sent", { statementId, ref: input.ref.trim() });
    await tx.audit({ type: "crisis.reply_used", data: { crisisId, statementId, ref: input.ref.trim() } }, { type: "crisis", id: crisisId });
    return { eventId: event.id, occurredAt: event.occurredAt.toISOString() };
  });
}

/** Withdraws a statement that was not published (a draft, one in review, approved or rejected). */
export async function withdrawStatement(ctx: Ctx, crisisId: string, statementId: string) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisForAction(tx, crisisId);
    const row = await lockedStatement(tx, crisisId, statementId);
    if (row.status === "published" || row.status === "withdrawn") throw errors.statementWrongStatus(row.status, "unpublished");
    const [updated] = await tx.db.update(crisisStatements).set({ status: "withdrawn", updatedAt: tx.now(), version: row.version + 1 }).where(eq(crisisStatements.id, statementId)).returning();
    await tx.audit({ type: "crisis.statement_withdrawn", data: { crisisId, statementId } }, { type: "crisis", id: crisisId });
    return presentOne(tx, crisis, updated);
  });
}

export { mailPerson, holdersOf };
