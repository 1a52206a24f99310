import { z } from "@hono/zod-openapi";
import { ErrorBody } from "../../../contracts/errors";
import * as api from "../../../contracts/queues";
import { defineRoute, may } from "../../http/access";
import { ERRORS, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import * as publishing from "./index";

const tags = ["Publishing"];
const unprocessable = { content: { "application/json": { schema: ErrorBody } }, description: "Understood, but cannot be done: `error.code` says why" };
/** Posting queues (weekly time slots per channel) and link previews for the composer. */
export const queueRoutes = newRouter();

queueRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/posting-queues", tags, summary: "The posting queues of the channels you can read",
    description: "Each queue: its time zone, weekly slots (ISO weekday 1 Monday … 7 Sunday, HH:MM) and its next few slot times. A channel without slots is not listed.",
    responses: { 200: ok(z.object({ queues: z.array(api.ChannelQueue) })) },
  }),
  async (c) => c.json({ queues: await publishing.listQueues(c.var.ctx) }, 200),
);

queueRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "put", path: "/channels/{channelId}/queue", tags, summary: "Set a channel's posting queue: weekly time slots in a named time zone",
    description: "For those who manage channels. No slots removes the queue. Posts already scheduled keep their time. Errors: `invalid_input` (an unknown time zone, a slot given twice or malformed), `channel_disconnected` (409).",
    request: { params: z.object({ channelId: z.uuid() }), ...jsonBody(api.SetQueueBody) },
    responses: { 200: ok(api.ChannelQueue), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await publishing.setChannelQueue(c.var.ctx, { channelId: c.req.valid("param").channelId, ...c.req.valid("json") }), 200),
);

queueRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/posting-queues/next-slot", tags, summary: "When \"Add to queue\" would schedule a post for these channels",
    description:
      "The next time slot shared by all the channels' queues that no other post on any of them is scheduled at, after now and within 12 weeks; daylight-saving changes follow each queue's time zone. Saving the post with `queue: true` computes it again. Errors: `queue_empty` (422: a channel has no slots), `queue_no_shared_slot` (422), `queue_full` (409).",
    request: jsonBody(api.NextSlotBody),
    responses: { 200: ok(api.NextSlot), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409], 422: unprocessable },
  }),
  async (c) => c.json(await publishing.previewQueueSlot(c.var.ctx, c.req.valid("json")), 200),
);

queueRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: "/link-previews", tags, summary: "A link's preview card (title, description, site, image), read by the server",
    description:
      "Reads the page's OpenGraph, Twitter card or <title> metadata (5 s, 1 MB, 5 redirects, http(s) only; pages on loopback, private or link-local addresses are refused unless the operator allowed the host) and caches it for 6 hours. The image is returned as a data: URL. Errors: `invalid_input` (not an http(s) address), `link_preview_blocked`, `link_preview_unreachable`, `link_preview_not_a_page`, `link_preview_empty` (all 422).",
    request: jsonBody(api.LinkPreviewBody),
    responses: { 200: ok(api.LinkPreview), 400: ERRORS[400], 403: ERRORS[403], 422: unprocessable },
  }),
  async (c) => c.json(await publishing.previewLink(c.var.ctx, c.req.valid("json")), 200),
);
