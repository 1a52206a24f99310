import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { requireUser } from "../../identity";
import { accessReviewSignOffs } from "../access-review.schema";
import { accessReviewChanged } from "../access-review.errors";
import { quarterOf } from "../quarters";
import { unsafeAccessReviewContent } from "../queries/build-access-review";
import { presentSignOff, type SignOff } from "../queries/list-sign-offs";

export type SignOffInput = { contentHash: string; note?: string };

/**
 * Records that an admin reviewed the workspace's access: the review is computed again in the transaction and must be
 * the one they saw (same content hash), so a sign-off always names exactly what was signed. Stores who, when, the
 * summary counts and the hash; audited as `access_review.signed_off`.
 */
export async function signOffAccessReview(ctx: Ctx, input: SignOffInput): Promise<SignOff> {
  authorize(ctx.actor, "access_review.sign_off");
  const actor = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const review = await unsafeAccessReviewContent(tx);
    if (review.contentHash !== input.contentHash) throw accessReviewChanged();
    const now = tx.now();
    const note = input.note?.trim() ? input.note.trim() : null;
    const [row] = await tx.db
      .insert(accessReviewSignOffs)
      .values({
        workspaceId: review.workspace.id,
        signedBy: actor.userId,
        signedByName: actor.name,
        signedByEmail: actor.email,
        signedAt: now,
        quarter: quarterOf(now),
        note,
        contentHash: review.contentHash,
        summary: review.summary,
      })
      .returning();
    await tx.audit(
      { type: "access_review.signed_off", data: { signOffId: row.id, quarter: row.quarter, contentHash: row.contentHash, note, summary: review.summary } },
      { type: "workspace", id: review.workspace.id },
    );
    return presentSignOff(row);
  });
}
