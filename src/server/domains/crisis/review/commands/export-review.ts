import { eq } from "drizzle-orm";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { users } from "../../../identity/identity.schema";
import { crisisInWorkspace, loadReview } from "../access";
import { reviewDocument } from "../export/document";
import { reviewMarkdown } from "../export/markdown";
import { reviewPdf } from "../export/pdf";
import { EXPORT_LOCALES, exportTexts, type ExportLocale } from "../export/texts";
import { presentReview } from "../present";

export type ExportedReview = { body: string | Buffer; contentType: string; filename: string };

/**
 * The review as a file in the caller's language (or `locale`): Markdown or a PDF. The file is made first, then the
 * export is audited (`crisis.review_exported`) before it is handed out.
 */
export async function exportReview(ctx: Ctx, crisisId: string, input: { format: "markdown" | "pdf"; locale?: ExportLocale }): Promise<ExportedReview> {
  authorize(ctx.actor, "crisis.read");
  const { review, locale } = await inTransaction(ctx, async (tx) => {
    const crisis = await crisisInWorkspace(tx, crisisId);
    const presented = await presentReview(tx, crisis, await loadReview(tx, crisisId));
    let chosen = input.locale;
    if (!chosen && tx.actor.type === "user") {
      const [me] = await tx.db.select({ locale: users.locale }).from(users).where(eq(users.id, tx.actor.userId));
      if (me && (EXPORT_LOCALES as readonly string[]).includes(me.locale)) chosen = me.locale as ExportLocale;
    }
    return { review: presented, locale: chosen ?? "en" };
  });
  const blocks = reviewDocument(review, locale);
  const base = `parapet-review-CR-${review.crisisNumber}`;
  const file: ExportedReview =
    input.format === "markdown"
      ? { body: reviewMarkdown(blocks), contentType: "text/markdown; charset=utf-8", filename: `${base}.md` }
      : {
          body: await reviewPdf(blocks, { title: `${exportTexts(locale).title} CR-${review.crisisNumber}`, createdAt: new Date(review.figures.computedAt), rtl: locale === "fa" }),
          contentType: "application/pdf",
          filename: `${base}.pdf`,
        };
  await inTransaction(ctx, (tx) => tx.audit({ type: "crisis.review_exported", data: { crisisId, format: input.format } }, { type: "crisis", id: crisisId }));
  return file;
}
