import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/api";
import { defineRoute, may } from "../../http/access";
import { ERRORS, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import * as review from "./index";

const tags = ["Access review"];
export const accessReviewRoutes = newRouter();

accessReviewRoutes.openapi(
  defineRoute(may("access_review.read"), {
    method: "get", path: "/access-review", tags, summary: "Who can do what on each channel, through which grant; MFA, last activity, partners; the sign-offs",
    description:
      "Owners and admins (API token: `members:read`). One entry per member with their role, partner organisation and end date, second factors, sign-in, last activity (latest of session, API token and audited action in this workspace), the 90-day unused flag, and per channel the effective level with the grants it comes from. `contentHash` names this content; a sign-off must send it back.",
    responses: { 200: ok(api.AccessReview), 403: ERRORS[403] },
  }),
  async (c) => c.json(await review.buildAccessReview(c.var.ctx), 200),
);

accessReviewRoutes.openapi(
  defineRoute(may("access_review.read"), {
    method: "get", path: "/access-review/export.csv", tags, summary: "The review as CSV: one row per person × channel (the export is audited)",
    description:
      "A header row, then one row per person and channel (a person with no channel listed gets one row with empty channel columns). Cells a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) are prefixed with `'`. Audited as `access_review.exported`.",
    responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, 403: ERRORS[403] },
  }),
  async (c) => {
    const file = await review.exportAccessReview(c.var.ctx, { format: "csv" });
    c.header("Content-Disposition", `attachment; filename="${file.filename}"`);
    return c.body(file.body as string, 200, { "Content-Type": file.contentType });
  },
);

accessReviewRoutes.openapi(
  defineRoute(may("access_review.read"), {
    method: "get", path: "/access-review/export.pdf", tags, summary: "The review as a PDF report in the caller's language (the export is audited)",
    description:
      "A4 landscape: workspace, generation time, summary, last sign-off and one row per person. The font is embedded (Latin with accents and umlauts, Persian). `locale` picks the labels' language (default: the caller's). Audited as `access_review.exported`.",
    request: { query: api.AccessReviewExportQuery },
    responses: { 200: { description: "PDF", content: { "application/pdf": { schema: z.string() } } }, 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => {
    const file = await review.exportAccessReview(c.var.ctx, { format: "pdf", locale: c.req.valid("query").locale });
    c.header("Content-Disposition", `attachment; filename="${file.filename}"`);
    return c.body(new Uint8Array(file.body as Buffer), 200, { "Content-Type": file.contentType });
  },
);

accessReviewRoutes.openapi(
  defineRoute(may("access_review.sign_off"), {
    method: "post", path: "/access-review/sign-offs", tags, summary: "Sign the access review off (owners and admins; API token: `members:write`)",
    description:
      "Send the `contentHash` of the review you checked: if access changed since, the answer is `access_review_changed` (409) and nothing is stored. Stores who, when, the summary counts and the hash, with an optional note; audited as `access_review.signed_off`.",
    request: jsonBody(api.SignOffAccessReviewBody),
    responses: { 201: ok(api.AccessReviewSignOff, "Signed off"), 400: ERRORS[400], 403: ERRORS[403], 409: ERRORS[409] },
  }),
  async (c) => c.json(await review.signOffAccessReview(c.var.ctx, c.req.valid("json")), 201),
);
