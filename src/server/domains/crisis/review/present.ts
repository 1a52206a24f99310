import { and, asc, eq, inArray } from "drizzle-orm";
import { ReviewContent, ReviewFigures, type ActionItem, type CrisisReview } from "../../../../contracts/crisis-review";
import type { Ctx } from "../../../context";
import { users } from "../../identity/identity.schema";
import { crisisPlans, crisisReviews, crisisTasks } from "../crisis.schema";
import { mayWriteReview, type CrisisRow } from "./access";
import { emptyReviewContent } from "./draft-review";

type ReviewRow = typeof crisisReviews.$inferSelect;

async function namesOf(tx: Ctx, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name || r.email]));
}

export async function actionItemsOf(tx: Ctx, crisisId: string): Promise<ActionItem[]> {
  const rows = await tx.db
    .select()
    .from(crisisTasks)
    .where(and(eq(crisisTasks.crisisId, crisisId), eq(crisisTasks.source, "review")))
    .orderBy(asc(crisisTasks.position), asc(crisisTasks.createdAt));
  const names = await namesOf(tx, rows.map((r) => r.ownerId));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    ownerId: r.ownerId,
    ownerName: r.ownerId ? (names.get(r.ownerId) ?? null) : null,
    dueAt: r.dueAt?.toISOString() ?? null,
    status: r.status as ActionItem["status"],
    updatesPlan: r.updatesPlan,
    doneAt: r.doneAt?.toISOString() ?? null,
  }));
}

/** The review as the API answers it: figures, sections, action items, and what the caller may do. */
export async function presentReview(tx: Ctx, crisis: CrisisRow, review: ReviewRow): Promise<CrisisReview> {
  const [plan] = crisis.planId ? await tx.db.select({ name: crisisPlans.name }).from(crisisPlans).where(eq(crisisPlans.id, crisis.planId)) : [];
  const names = await namesOf(tx, [review.ownerId]);
  const writer = await mayWriteReview(tx, crisis.id);
  const content = { ...emptyReviewContent(), ...(ReviewContent.partial().safeParse(review.content).data ?? {}) };
  return {
    crisisId: crisis.id,
    crisisNumber: crisis.number,
    crisisTitle: crisis.title,
    scenario: crisis.scenario,
    severityLevel: crisis.severityLevel,
    isDrill: crisis.isDrill,
    planId: crisis.planId,
    planName: plan?.name ?? null,
    status: review.status as CrisisReview["status"],
    ownerId: review.ownerId,
    ownerName: review.ownerId ? (names.get(review.ownerId) ?? null) : null,
    figures: review.figures as ReviewFigures,
    content,
    actionItems: await actionItemsOf(tx, crisis.id),
    createdAt: review.createdAt.toISOString(),
    updatedAt: review.updatedAt.toISOString(),
    publishedAt: review.publishedAt?.toISOString() ?? null,
    can: { edit: writer && review.status === "draft", publish: writer && review.status === "draft" },
  };
}
