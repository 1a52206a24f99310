import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/publishing";
import { defineRoute, may } from "../../http/access";
import { ERRORS, idParam, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import * as publishing from "./index";

const tags = ["Publishing"];
export const publishingRoutes = newRouter();

publishingRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/posts", tags, summary: "Posts on the channels you can read (newest time first)",
    description: "`from`/`to` bound the scheduled time (a calendar's range). Each post lists only the channels you can read.",
    request: { query: api.ListPostsQuery },
    responses: { 200: ok(z.object({ posts: z.array(api.Post) })) },
  }),
  async (c) => c.json({ posts: await publishing.listPosts(c.var.ctx, c.req.valid("query")) }, 200),
);

publishingRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posts", tags, summary: "Compose a post for one or several channels (a draft, or scheduled with a time)",
    description:
      "Each channel may have its own text (`channels[].text`). A time schedules it, or submits it for approval (state `in_review`) when one of its channels has an approval workflow or you do not have Full publishing on all of them (see the Approvals routes). Errors: `post_too_long` (422, the fields say which text and the limit), `publishing_paused` (409: send again with `acknowledgePause: true` and the post is held when due), `channel_disconnected` (409), `invalid_input`.",
    request: jsonBody(api.PostContentBody),
    responses: { 200: ok(api.Post), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.createPost(c.var.ctx, c.req.valid("json")), 200),
);

publishingRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/posts/{postId}", tags, summary: "A post with its delivery per channel and its history",
    request: { params: idParam("postId") },
    responses: { 200: ok(api.Post), 404: ERRORS[404] },
  }),
  async (c) => c.json(await publishing.getPost(c.var.ctx, { postId: c.req.valid("param").postId }), 200),
);

publishingRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "put", path: "/posts/{postId}", tags, summary: "Change a post that has not gone out (text, channels, time)",
    description: "Send the `version` you edited: `post_changed` (409) when someone changed it meanwhile; `post_not_editable` (409) once it started publishing anywhere. No time makes it a draft again (and takes it out of review). An edit that changes the content invalidates its approvals: with a time, it is submitted again. A save that changes nothing (the same text, channels, images, time and resulting state) makes no new version and records nothing: the answer is the post as it was, with `unchanged: true`.",
    request: { params: idParam("postId"), ...jsonBody(api.UpdatePostBody) },
    responses: { 200: ok(api.Post), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.updatePost(c.var.ctx, { postId: c.req.valid("param").postId, ...c.req.valid("json") }), 200),
);

publishingRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posts/{postId}/reschedule", tags, summary: "Move a post to another time (the calendar's drag); its content and approvals stay",
    description:
      "Needs Full publishing on every channel of the post, or being its author (Approval required: it keeps going through approval). Only the time changes: the content hash stays, so an approval stays valid; a post in review keeps its approvals and its deadline (reminders, external links) moves with it; a post not approved in time is sent for approval again. Send the `version` you saw: `post_changed` (409). Errors: `post_not_editable` (409: it started publishing, was published, failed or cancelled), `invalid_input` (a time in the past), `publishing_paused` (409: send again with `acknowledgePause: true`; it is held when due), `channel_disconnected` (409), `forbidden` (403).",
    request: { params: idParam("postId"), ...jsonBody(api.RescheduleBody) },
    responses: { 200: ok(api.Post), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.reschedulePost(c.var.ctx, { postId: c.req.valid("param").postId, ...c.req.valid("json") }), 200),
);

publishingRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posts/{postId}/cancel", tags, summary: "Cancel a post on every channel where it has not gone out",
    request: { params: idParam("postId") },
    responses: { 200: ok(api.Post), 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.cancelPost(c.var.ctx, { postId: c.req.valid("param").postId }), 200),
);

publishingRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posts/{postId}/targets/{targetId}/take-down", tags, summary: "Take a published post down from one channel's network",
    description: "Needs Full publishing on the channel. The network is asked first; `take_down_not_possible` (409) when it cannot or did not remove it.",
    request: { params: z.object({ postId: z.uuid(), targetId: z.uuid() }), ...jsonBody(api.TakeDownBody) },
    responses: { 200: ok(api.Post), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.takeDownPost(c.var.ctx, { ...c.req.valid("param"), reason: c.req.valid("json").reason }), 200),
);

publishingRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posts/held/release", tags, summary: "Decide on held posts: publish now, reschedule, or keep held",
    description: "Needs Full publishing on each channel. Refused with `publishing_paused` (409) while a pause still covers the channel; `target_not_held` (409).",
    request: jsonBody(api.ReleaseHeldBody),
    responses: { 200: ok(api.ReleaseHeldResult), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.releaseHeldTargets(c.var.ctx, c.req.valid("json")), 200),
);

publishingRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/publishing/status", tags, summary: "Whether publishing is paused, by whom and why, and how many posts are held",
    responses: { 200: ok(api.PublishingStatus) },
  }),
  async (c) => c.json(await publishing.publishingStatus(c.var.ctx), 200),
);

publishingRoutes.openapi(
  defineRoute(may("publishing.pause"), {
    method: "post", path: "/publishing/pauses", tags, summary: "Pause publishing for the workspace or chosen channels",
    description:
      "From the moment this returns, no post of its scope starts publishing; scheduled posts are held for review at resume. `channelIds` absent or null: the whole workspace. Errors: `already_paused` (409), `invalid_input` (a reason is required).",
    request: jsonBody(api.PauseBody),
    responses: { 200: ok(api.PauseResult), 400: ERRORS[400], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.pausePublishing(c.var.ctx, c.req.valid("json")), 200),
);

publishingRoutes.openapi(
  defineRoute(may("publishing.pause"), {
    method: "post", path: "/publishing/pauses/{pauseId}/resume", tags, summary: "Resume publishing; lists the posts the pause held, for a decision on each",
    request: { params: idParam("pauseId") },
    responses: { 200: ok(api.ResumeResult), 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.resumePublishing(c.var.ctx, { pauseId: c.req.valid("param").pauseId }), 200),
);
