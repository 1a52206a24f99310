import { eq } from "drizzle-orm";
import type { Locale } from "../../../../contracts/roles";
import { LOCALES } from "../../../../contracts/roles";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { requireUser } from "../../identity";
import { users } from "../../identity/identity.schema";
import { accessReviewCsv } from "../export/csv";
import { accessReviewPdf } from "../export/pdf";
import { buildAccessReview } from "../queries/build-access-review";

export type ExportInput = { format: "csv" | "pdf"; locale?: Locale };
export type ExportedReview = { body: Buffer | string; contentType: string; filename: string };

/**
 * The access review as a file (CSV, or a PDF report in the caller's language), audited as `access_review.exported`.
 * The file is made first and the audit event committed before it is handed out: no export leaves unrecorded, and the
 * audit chain is not held while a PDF is drawn.
 */
export async function exportAccessReview(ctx: Ctx, input: ExportInput): Promise<ExportedReview> {
  authorize(ctx.actor, "access_review.read");
  const actor = requireUser(ctx);
  const review = await buildAccessReview(ctx);
  const filename = `parapet-access-review-${review.generatedAt.slice(0, 10)}.${input.format}`;
  let file: ExportedReview;
  if (input.format === "csv") file = { body: accessReviewCsv(review), contentType: "text/csv; charset=utf-8", filename };
  else {
    const [me] = await ctx.db.select({ locale: users.locale }).from(users).where(eq(users.id, actor.userId));
    const locale = input.locale ?? ((LOCALES as readonly string[]).includes(me?.locale ?? "") ? (me.locale as Locale) : "en");
    file = { body: await accessReviewPdf(review, { locale }), contentType: "application/pdf", filename };
  }
  await inTransaction(ctx, (tx) =>
    tx.audit({ type: "access_review.exported", data: { format: input.format, people: review.people.length } }, { type: "workspace", id: review.workspace.id }),
  );
  return file;
}
