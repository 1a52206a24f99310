import { and, eq, isNull, max, sql } from "drizzle-orm";
import type { z } from "zod";
import type { AddActionItemBody, CrisisReview, SkipReviewBody, UpdateActionItemBody, UpdateReviewBody } from "../../../../../contracts/crisis-review";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { crisisReviews, crisisTasks } from "../../crisis.schema";
import { crisisInWorkspace, loadReview, requireMember, requireReviewWriter } from "../access";
import { draftReview } from "../draft-review";
import { presentReview } from "../present";
import { actionItemNotFound, actionItemsWithoutOwner, reviewNotEditable } from "../review.errors";

const editable = (review: { status: string }) => {
  if (review.status !== "draft") throw reviewNotEditable(review.status);
};

/** The review of a crisis (404 crisis_review_not_found before it is drafted). */
export async function getReview(ctx: Ctx, crisisId: string): Promise<CrisisReview> {
  authorize(ctx.actor, "crisis.read");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisInWorkspace(tx, crisisId);
    return presentReview(tx, crisis, await loadReview(tx, crisisId));
  });
}

/**
 * Drafts the review now (a crisis still running gets its figures so far; a closed one has it already and gets its
 * figures recomputed). For the crisis team and people who manage crises.
 */
export async function draftReviewNow(ctx: Ctx, crisisId: string): Promise<CrisisReview> {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisInWorkspace(tx, crisisId, { forUpdate: true });
    await requireReviewWriter(tx, crisisId);
    const review = await draftReview(tx, crisisId);
    return presentReview(tx, crisis, review);
  });
}

/** Writes sections, names the owner, or recomputes the figures of a draft review. */
export async function updateReview(ctx: Ctx, crisisId: string, input: z.infer<typeof UpdateReviewBody>): Promise<CrisisReview> {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisInWorkspace(tx, crisisId);
    await requireReviewWriter(tx, crisisId);
    const review = await loadReview(tx, crisisId, { forUpdate: true });
    editable(review);
    const fields: string[] = [];
    const changes: Partial<typeof crisisReviews.$inferInsert> = { updatedAt: tx.now() };
    if (input.content) {
      changes.content = { ...(review.content as object), ...input.content };
      fields.push(...Object.keys(input.content));
    }
    if (input.ownerId !== undefined) {
      if (input.ownerId) await requireMember(tx, input.ownerId);
      changes.ownerId = input.ownerId;
      fields.push("owner");
    }
    await tx.db.update(crisisReviews).set(changes).where(eq(crisisReviews.crisisId, crisisId));
    if (input.recompute) {
      await draftReview(tx, crisisId);
      fields.push("figures");
    }
    await tx.audit({ type: "crisis.review_updated", data: { crisisId, fields } }, { type: "crisis", id: crisisId });
    return presentReview(tx, crisis, await loadReview(tx, crisisId));
  });
}

/** Adds an action item (a task with source "review"), with an owner and a due date; `updatesPlan` when it should change the plan. */
export async function addActionItem(ctx: Ctx, crisisId: string, input: z.infer<typeof AddActionItemBody>): Promise<CrisisReview> {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisInWorkspace(tx, crisisId);
    await requireReviewWriter(tx, crisisId);
    editable(await loadReview(tx, crisisId, { forUpdate: true }));
    if (input.ownerId) await requireMember(tx, input.ownerId);
    const [{ last }] = await tx.db.select({ last: max(crisisTasks.position) }).from(crisisTasks).where(and(eq(crisisTasks.crisisId, crisisId), eq(crisisTasks.source, "review")));
    const [task] = await tx.db
      .insert(crisisTasks)
      .values({
        crisisId,
        source: "review",
        kind: "other",
        title: input.title,
        description: input.description ?? "",
        ownerId: input.ownerId ?? null,
        dueAt: input.dueAt ? new Date(input.dueAt) : null,
        updatesPlan: input.updatesPlan ?? false,
        position: (last ?? -1) + 1,
        createdAt: tx.now(),
      })
      .returning();
    await tx.db.update(crisisReviews).set({ updatedAt: tx.now() }).where(eq(crisisReviews.crisisId, crisisId));
    await tx.audit(
      { type: "crisis.action_item_added", data: { crisisId, taskId: task.id, title: task.title, ownerId: task.ownerId, updatesPlan: task.updatesPlan } },
      { type: "crisis", id: crisisId },
    );
    return presentReview(tx, crisis, await loadReview(tx, crisisId));
  });
}

/**
 * Changes an action item: title, owner, due date, whether it updates the plan, done or skipped. Marking it done or
 * skipped works after the review is published too (that is when the follow-up happens); the rest only on a draft.
 */
export async function updateActionItem(ctx: Ctx, crisisId: string, taskId: string, input: z.infer<typeof UpdateActionItemBody>): Promise<CrisisReview> {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisInWorkspace(tx, crisisId);
    await requireReviewWriter(tx, crisisId);
    const review = await loadReview(tx, crisisId, { forUpdate: true });
    const [task] = await tx.db
      .select()
      .from(crisisTasks)
      .where(and(eq(crisisTasks.id, taskId), eq(crisisTasks.crisisId, crisisId), eq(crisisTasks.source, "review")))
      .for("update");
    if (!task) throw actionItemNotFound();
    const onlyStatus = Object.keys(input).every((k) => k === "status");
    if (!onlyStatus) editable(review);
    if (input.ownerId) await requireMember(tx, input.ownerId);
    const changes: Partial<typeof crisisTasks.$inferInsert> = {};
    if (input.title !== undefined) changes.title = input.title;
    if (input.description !== undefined) changes.description = input.description;
    if (input.ownerId !== undefined) changes.ownerId = input.ownerId;
    if (input.dueAt !== undefined) changes.dueAt = input.dueAt ? new Date(input.dueAt) : null;
    if (input.updatesPlan !== undefined) changes.updatesPlan = input.updatesPlan;
    if (input.status !== undefined && input.status !== task.status) {
      changes.status = input.status;
      changes.doneAt = input.status === "open" ? null : tx.now();
      changes.doneBy = input.status === "open" || tx.actor.type !== "user" ? null : tx.actor.userId;
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(changes)) {
      if (key === "doneAt" || key === "doneBy") continue;
      const old = task[key as keyof typeof task];
      before[key] = old instanceof Date ? old.toISOString() : old;
      after[key] = value instanceof Date ? value.toISOString() : value;
    }
    if (Object.keys(changes).length > 0) await tx.db.update(crisisTasks).set(changes).where(eq(crisisTasks.id, taskId));
    await tx.audit({ type: "crisis.action_item_changed", data: { crisisId, taskId, before, after } }, { type: "crisis", id: crisisId });
    return presentReview(tx, crisis, await loadReview(tx, crisisId));
  });
}

/** Publishes the review: only when every action item has an owner. The figures are recomputed one last time. */
export async function publishReview(ctx: Ctx, crisisId: string): Promise<CrisisReview> {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisInWorkspace(tx, crisisId);
    await requireReviewWriter(tx, crisisId);
    editable(await loadReview(tx, crisisId, { forUpdate: true }));
    const [{ count }] = await tx.db
      .select({ count: sql<number>`count(*)::int` })
      .from(crisisTasks)
      .where(and(eq(crisisTasks.crisisId, crisisId), eq(crisisTasks.source, "review"), isNull(crisisTasks.ownerId), eq(crisisTasks.status, "open")));
    if (Number(count) > 0) throw actionItemsWithoutOwner(Number(count));
    await draftReview(tx, crisisId);
    await tx.db.update(crisisReviews).set({ status: "published", publishedAt: tx.now(), updatedAt: tx.now() }).where(eq(crisisReviews.crisisId, crisisId));
    const [{ items }] = await tx.db
      .select({ items: sql<number>`count(*)::int` })
      .from(crisisTasks)
      .where(and(eq(crisisTasks.crisisId, crisisId), eq(crisisTasks.source, "review")));
    await tx.audit({ type: "crisis.review_published", data: { crisisId, actionItems: Number(items) } }, { type: "crisis", id: crisisId });
    return presentReview(tx, crisis, await loadReview(tx, crisisId));
  });
}

/** Skips the review with a reason, kept in the audit log (a minor crisis or a drill that needs none); people who manage crises only. */
export async function skipReview(ctx: Ctx, crisisId: string, input: z.infer<typeof SkipReviewBody>): Promise<CrisisReview> {
  authorize(ctx.actor, "crisis.manage");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisInWorkspace(tx, crisisId);
    const review = await loadReview(tx, crisisId, { forUpdate: true });
    editable(review);
    await tx.db
      .update(crisisReviews)
      .set({ status: "skipped", updatedAt: tx.now() })
      .where(eq(crisisReviews.crisisId, crisisId));
    await tx.audit({ type: "crisis.review_skipped", data: { crisisId, reason: input.reason } }, { type: "crisis", id: crisisId });
    return presentReview(tx, crisis, await loadReview(tx, crisisId));
  });
}
