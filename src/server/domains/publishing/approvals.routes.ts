import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/publishing";
import { PUBLIC, defineRoute, may } from "../../http/access";
import { ERRORS, idParam, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import * as publishing from "./index";

const tags = ["Approvals"];
export const approvalRoutes = newRouter();

approvalRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/approval-workflows", tags, summary: "The workspace's approval workflows, each with the channels that use it",
    responses: { 200: ok(z.object({ workflows: z.array(api.Workflow) })) },
  }),
  async (c) => c.json({ workflows: await publishing.listWorkflows(c.var.ctx) }, 200),
);

const workflowRules =
  "Each step names approvers (`user`, `team`: any one member fills it, `role`: anyone with the role fills it, `external`: someone without an account, by email and name, who decides through a link mailed when the step becomes current), each one slot, and needs `any` one of them or `all` of them. `channelIds` are the channels whose posts go through it (a channel has at most one workflow: naming it here moves it). Errors: `invalid_input` (the fields say which step or approver).";

approvalRoutes.openapi(
  defineRoute(may("approvals.manage"), {
    method: "post", path: "/approval-workflows", tags, summary: "Define an approval workflow and the channels it applies to",
    description: workflowRules,
    request: jsonBody(api.WorkflowBody),
    responses: { 200: ok(api.Workflow), 400: ERRORS[400] },
  }),
  async (c) => c.json(await publishing.createWorkflow(c.var.ctx, c.req.valid("json")), 200),
);

approvalRoutes.openapi(
  defineRoute(may("approvals.manage"), {
    method: "put", path: "/approval-workflows/{workflowId}", tags, summary: "Change a workflow's name, steps and channels",
    description: `${workflowRules} Posts already in review keep the steps they were submitted with.`,
    request: { params: idParam("workflowId"), ...jsonBody(api.WorkflowBody) },
    responses: { 200: ok(api.Workflow), 400: ERRORS[400], 404: ERRORS[404] },
  }),
  async (c) => c.json(await publishing.updateWorkflow(c.var.ctx, { workflowId: c.req.valid("param").workflowId, ...c.req.valid("json") }), 200),
);

approvalRoutes.openapi(
  defineRoute(may("approvals.manage"), {
    method: "delete", path: "/approval-workflows/{workflowId}", tags, summary: "Delete a workflow (its channels have none any more)",
    request: { params: idParam("workflowId") },
    responses: { 200: ok(z.object({ deleted: z.literal(true) })), 404: ERRORS[404] },
  }),
  async (c) => c.json(await publishing.deleteWorkflow(c.var.ctx, { workflowId: c.req.valid("param").workflowId }), 200),
);

approvalRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/approvals/waiting", tags, summary: "Waiting for me: posts whose current approval step names me and that I have not decided on",
    description: "Soonest scheduled time first. Your own posts are never in it.",
    responses: { 200: ok(api.ApprovalQueue) },
  }),
  async (c) => c.json({ items: await publishing.approvalQueue(c.var.ctx) }, 200),
);

approvalRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/approvals/waiting/count", tags, summary: "How many posts wait for my approval",
    responses: { 200: ok(z.object({ count: z.number() })) },
  }),
  async (c) => c.json({ count: (await publishing.approvalsWaiting(c.var.ctx)).count }, 200),
);

approvalRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/posts/{postId}/approvals", tags, summary: "A post's approval runs: steps, who approved or rejected which version (content hash)",
    request: { params: idParam("postId") },
    responses: { 200: ok(api.PostApprovals), 404: ERRORS[404] },
  }),
  async (c) => c.json(await publishing.approvalsOfPost(c.var.ctx, { postId: c.req.valid("param").postId }), 200),
);

const decisionErrors =
  "Send the `contentHash` of the version you looked at: `post_changed` (409) when it changed since. Errors: `cannot_approve_own_post` (403), `not_an_approver` (403, the current step does not name you or its slots that do are filled), `already_decided` (409), `approval_too_late` (409, the scheduled time passed), `post_not_in_review` (409).";

approvalRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posts/{postId}/approve", tags, summary: "Approve the current step of a post in review",
    description: `Fills one slot of the step that names you. When the last step completes, the post is scheduled (it had a time) or \`approved\`. ${decisionErrors}`,
    request: { params: idParam("postId"), ...jsonBody(api.DecisionBody) },
    responses: { 200: ok(api.DecisionResult), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.decideApproval(c.var.ctx, { postId: c.req.valid("param").postId, decision: "approve", ...c.req.valid("json") }), 200),
);

approvalRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posts/{postId}/reject", tags, summary: "Reject a post in review, with a comment: it goes back to draft",
    description: `A \`comment\` is required (\`invalid_input\`). ${decisionErrors}`,
    request: { params: idParam("postId"), ...jsonBody(api.DecisionBody) },
    responses: { 200: ok(api.DecisionResult), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.decideApproval(c.var.ctx, { postId: c.req.valid("param").postId, decision: "reject", ...c.req.valid("json") }), 200),
);

approvalRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posts/{postId}/approvals/external-links/revoke", tags, summary: "Revoke an external approver's link (the post's author, or who manages workflows)",
    description: "`step` and `slot` say which approver (see GET /posts/{postId}/approvals). The link stops working at once (`approval_link_invalid` for its holder).",
    request: { params: idParam("postId"), ...jsonBody(api.RevokeLinkBody) },
    responses: { 200: ok(api.PostApprovals), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await publishing.revokeExternalLink(c.var.ctx, { postId: c.req.valid("param").postId, ...c.req.valid("json") }), 200),
);

const tokenParam = z.object({ token: z.string().max(200) });
const linkErrors = "`approval_link_invalid` (410) when the link was used, revoked or expired, or the post changed or is no longer in review. Every use is audited.";

approvalRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get", path: "/external-approvals/{token}", tags, summary: "External approver: the post as it will appear on each channel (no account needed)",
    description: linkErrors,
    request: { params: tokenParam },
    responses: { 200: ok(api.ExternalApprovalView), 410: ERRORS[410] },
  }),
  async (c) => c.json(await publishing.viewExternalApproval(c.var.ctx, { token: c.req.valid("param").token }), 200),
);

approvalRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/external-approvals/{token}/approve", tags, summary: "External approver: approve (the link then stops working)",
    description: `Send the \`contentHash\` you were shown. ${linkErrors}`,
    request: { params: tokenParam, ...jsonBody(api.DecisionBody) },
    responses: { 200: ok(api.ExternalDecisionResult), 400: ERRORS[400], 410: ERRORS[410] },
  }),
  async (c) => c.json(await publishing.decideExternalApproval(c.var.ctx, { token: c.req.valid("param").token, decision: "approve", ...c.req.valid("json") }), 200),
);

approvalRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/external-approvals/{token}/reject", tags, summary: "External approver: reject with a comment (the post goes back to draft)",
    description: `A \`comment\` is required (\`invalid_input\`). ${linkErrors}`,
    request: { params: tokenParam, ...jsonBody(api.DecisionBody) },
    responses: { 200: ok(api.ExternalDecisionResult), 400: ERRORS[400], 410: ERRORS[410] },
  }),
  async (c) => c.json(await publishing.decideExternalApproval(c.var.ctx, { token: c.req.valid("param").token, decision: "reject", ...c.req.valid("json") }), 200),
);
