import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/crisis-review";
import { defineRoute, may } from "../../http/access";
import { ERRORS, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import * as review from "./review";

const tags = ["Crisis review"];
export const reviewRoutes = newRouter();

reviewRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/reviews", tags, summary: "Post-crisis reviews of the workspace (crises and drills), newest first",
    responses: { 200: ok(z.object({ reviews: z.array(api.ReviewSummary) })), 403: ERRORS[403] },
  }),
  async (c) => c.json({ reviews: await review.listReviews(c.var.ctx) }, 200),
);

reviewRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/crises/{crisisId}/review", tags, summary: "A crisis's review: figures from its timeline, sections, action items",
    description:
      "Figures are computed from the recorded timeline (times to detect, declare, pause and first public response; time in each state; approval time per statement; held posts and their decisions; volume and negative share before, at the peak and after; update cadence kept). 404 `crisis_review_not_found` until it is drafted (when the crisis closes, or by POST).",
    request: { params: api.CrisisIdParam },
    responses: { 200: ok(api.CrisisReview), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await review.getReview(c.var.ctx, c.req.valid("param").crisisId), 200),
);

reviewRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/review", tags, summary: "Draft the review now (or recompute a draft's figures)",
    description: "For the crisis team and people who manage crises. A crisis still running gets its figures so far. A published review is returned as it is.",
    request: { params: api.CrisisIdParam },
    responses: { 200: ok(api.CrisisReview), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await review.draftReviewNow(c.var.ctx, c.req.valid("param").crisisId), 200),
);

reviewRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "patch", path: "/crisis/crises/{crisisId}/review", tags, summary: "Write sections, name the owner, or recompute the figures of a draft review",
    description: "Only on a draft (409 `crisis_review_not_editable` otherwise). The owner must be a member (400 `crisis_review_owner_not_member`).",
    request: { params: api.CrisisIdParam, ...jsonBody(api.UpdateReviewBody) },
    responses: { 200: ok(api.CrisisReview), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await review.updateReview(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("json")), 200),
);

reviewRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/review/action-items", tags, summary: "Add an action item (owner, due date, whether it updates the plan)",
    request: { params: api.CrisisIdParam, ...jsonBody(api.AddActionItemBody) },
    responses: { 201: ok(api.CrisisReview), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await review.addActionItem(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("json")), 201),
);

reviewRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "patch", path: "/crisis/crises/{crisisId}/review/action-items/{taskId}", tags, summary: "Change an action item, or mark it done or skipped",
    description: "Marking done, skipped or open again works after publishing too; other changes only on a draft.",
    request: { params: api.ActionItemParam, ...jsonBody(api.UpdateActionItemBody) },
    responses: { 200: ok(api.CrisisReview), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => {
    const { crisisId, taskId } = c.req.valid("param");
    return c.json(await review.updateActionItem(c.var.ctx, crisisId, taskId, c.req.valid("json")), 200);
  },
);

reviewRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/review/publish", tags, summary: "Publish the review (every open action item needs an owner)",
    description: "409 `crisis_review_items_without_owner` names how many lack one. The figures are recomputed one last time.",
    request: { params: api.CrisisIdParam },
    responses: { 200: ok(api.CrisisReview), 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await review.publishReview(c.var.ctx, c.req.valid("param").crisisId), 200),
);

reviewRoutes.openapi(
  defineRoute(may("crisis.manage"), {
    method: "post", path: "/crisis/crises/{crisisId}/review/skip", tags, summary: "Skip the review, with a reason (kept in the audit log)",
    request: { params: api.CrisisIdParam, ...jsonBody(api.SkipReviewBody) },
    responses: { 200: ok(api.CrisisReview), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await review.skipReview(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("json")), 200),
);

for (const format of ["markdown", "pdf"] as const) {
  reviewRoutes.openapi(
    defineRoute(may("crisis.read"), {
      method: "get", path: `/crisis/crises/{crisisId}/review/export.${format === "markdown" ? "md" : "pdf"}`, tags,
      summary: format === "markdown" ? "The review as Markdown (the export is audited)" : "The review as a PDF (the export is audited)",
      description: "In the caller's language, or `locale`. Audited as `crisis.review_exported`.",
      request: { params: api.CrisisIdParam, query: api.ReviewExportQuery },
      responses: {
        200: format === "markdown" ? { description: "Markdown", content: { "text/markdown": { schema: z.string() } } } : { description: "PDF", content: { "application/pdf": { schema: z.string() } } },
        400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404],
      },
    }),
    async (c) => {
      const file = await review.exportReview(c.var.ctx, c.req.valid("param").crisisId, { format, locale: c.req.valid("query").locale });
      c.header("Content-Disposition", `attachment; filename="${file.filename}"`);
      return c.body(typeof file.body === "string" ? file.body : new Uint8Array(file.body), 200, { "Content-Type": file.contentType });
    },
  );
}
