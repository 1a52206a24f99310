import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/post-comments";
import { defineRoute, may } from "../../http/access";
import { ERRORS, idParam, jsonBody, newRouter, noContent, ok } from "../../http/openapi-kit";
import * as publishing from "./index";

const tags = ["Post comments"];
export const commentRoutes = newRouter();
const commentParams = z.object({ postId: z.uuid(), commentId: z.uuid() });
const readers =
  "Internal comments are never published. Whoever can see the post (a level above No access on one of its channels) reads them and may comment; only a comment's author edits or deletes it. A post the reader cannot see is `not_found`.";
const mentionRule =
  "`mentions` are the people the comment @mentions: each is mailed, and each must be able to see the post — otherwise the comment is refused with `mention_not_allowed` (422, `fields.mentions` names them).";

commentRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/posts/{postId}/comments", tags, summary: "A post's internal comments, oldest first",
    description: readers,
    request: { params: idParam("postId") },
    responses: { 200: ok(api.PostComments), 404: ERRORS[404] },
  }),
  async (c) => c.json(await publishing.listComments(c.var.ctx, { postId: c.req.valid("param").postId }), 200),
);

commentRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/posts/{postId}/comments/mentionable", tags, summary: "The people a comment on this post may @mention (those who can see it)",
    request: { params: idParam("postId") },
    responses: { 200: ok(api.MentionablePeople), 404: ERRORS[404] },
  }),
  async (c) => c.json(await publishing.mentionablePeople(c.var.ctx, { postId: c.req.valid("param").postId }), 200),
);

commentRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posts/{postId}/comments", tags, summary: "Add an internal comment to a post (on its current version)",
    description: `${readers} ${mentionRule} Errors: \`invalid_input\` (an empty comment).`,
    request: { params: idParam("postId"), ...jsonBody(api.CommentBody) },
    responses: { 200: ok(api.PostComment), 400: ERRORS[400], 404: ERRORS[404], 422: { ...ERRORS[400], description: "`mention_not_allowed`: a mentioned person cannot see the post" } },
  }),
  async (c) => c.json(await publishing.addComment(c.var.ctx, { postId: c.req.valid("param").postId, ...c.req.valid("json") }), 200),
);

commentRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "put", path: "/posts/{postId}/comments/{commentId}", tags, summary: "Change your own comment",
    description: `Only its author: \`not_comment_author\` (403) otherwise. ${mentionRule} Only people mentioned for the first time are mailed.`,
    request: { params: commentParams, ...jsonBody(api.CommentBody) },
    responses: { 200: ok(api.PostComment), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await publishing.editComment(c.var.ctx, { ...c.req.valid("param"), ...c.req.valid("json") }), 200),
);

commentRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "delete", path: "/posts/{postId}/comments/{commentId}", tags, summary: "Delete your own comment",
    description: "Only its author: `not_comment_author` (403) otherwise.",
    request: { params: commentParams },
    responses: { 204: noContent, 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => {
    await publishing.deleteComment(c.var.ctx, c.req.valid("param"));
    return c.body(null, 204);
  },
);
