import { and, eq, isNull } from "drizzle-orm";
import { REVIEW_SECTIONS, type ReviewContent, type ReviewFigures } from "../../../../contracts/crisis-review";
import type { Ctx } from "../../../context";
import { notFound } from "../../../errors";
import { crises, crisisReviews, crisisRoles } from "../crisis.schema";
import { computeReviewFigures } from "./figures";
import { loadCrisisRecord } from "./load-record";

export type ReviewRow = typeof crisisReviews.$inferSelect;

export const emptyReviewContent = (): ReviewContent => Object.fromEntries(REVIEW_SECTIONS.map((s) => [s, ""])) as ReviewContent;

/** The figures of a crisis's review as its timeline stands now (read in the caller's transaction). */
export async function computeFiguresFor(tx: Ctx, crisisId: string): Promise<ReviewFigures> {
  const [crisis] = await tx.db.select().from(crises).where(eq(crises.id, crisisId));
  if (!crisis) throw notFound("Crisis");
  return computeReviewFigures(await loadCrisisRecord(tx, crisis), tx.now());
}

/**
 * Drafts the blameless post-crisis review of a crisis (called by the lifecycle when a crisis closes, in its
 * transaction; authorization is the caller's): the figures computed from the recorded timeline, empty sections for
 * people to write, and the crisis lead as its owner. Called again on a draft, it recomputes the figures and keeps
 * what people wrote; a published or skipped review is left as it is.
 */
export async function draftReview(tx: Ctx, crisisId: string): Promise<ReviewRow> {
  const [crisis] = await tx.db.select().from(crises).where(eq(crises.id, crisisId));
  if (!crisis) throw notFound("Crisis");
  const figures = computeReviewFigures(await loadCrisisRecord(tx, crisis), tx.now());
  const [existing] = await tx.db.select().from(crisisReviews).where(eq(crisisReviews.crisisId, crisisId)).for("update");
  if (existing && existing.status !== "draft") return existing;
  let row: ReviewRow;
  if (existing) {
    [row] = await tx.db.update(crisisReviews).set({ figures, updatedAt: tx.now() }).where(eq(crisisReviews.crisisId, crisisId)).returning();
  } else {
    const [lead] = await tx.db
      .select({ userId: crisisRoles.userId })
      .from(crisisRoles)
      .where(and(eq(crisisRoles.crisisId, crisisId), eq(crisisRoles.role, "lead"), eq(crisisRoles.isBackup, false), isNull(crisisRoles.renouncedAt)))
      .limit(1);
    [row] = await tx.db
      .insert(crisisReviews)
      .values({ crisisId, status: "draft", ownerId: lead?.userId ?? crisis.declaredBy, figures, content: emptyReviewContent(), createdAt: tx.now(), updatedAt: tx.now() })
      .returning();
  }
  await tx.audit({ type: "crisis.review_drafted", data: { crisisId, recomputed: Boolean(existing) } }, { type: "crisis", id: crisisId });
  return row;
}
