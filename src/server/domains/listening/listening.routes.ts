import { z } from "@hono/zod-openapi";
import { ErrorBody } from "../../../contracts/errors";
import * as api from "../../../contracts/listening";
import { defineRoute, may } from "../../http/access";
import { ERRORS, jsonBody, newRouter, noContent, ok } from "../../http/openapi-kit";
import * as listening from "./index";
import * as sources from "./sources";

const tags = ["Listening"];
const streamParam = z.object({ streamId: z.uuid() });
const FILTERS =
  "Filters (each a comma-separated list): `stream`, `sentiment` (negative, neutral, positive), `lang`, `network`; `q`: words the text contains; near-duplicates (copy-paste spam) are left out unless `duplicates=true`. Newest first; pass `next` as `cursor` for the following page.";

/** Streams (saved queries), their mentions, the editor's live preview, and corrections of a mention's language or sentiment. */
export const listeningRoutes = newRouter();

listeningRoutes.openapi(
  defineRoute(may("listening.read"), {
    method: "get", path: "/listening/streams", tags, summary: "The workspace's streams in board order, with their recent volume",
    description: "Each stream: its query (and the query in plain English), alert settings, and volume: mentions in the last 24 hours and the last hour, the negative share, and 24 hourly totals for a sparkline. `archived=true` lists archived streams instead.",
    request: { query: api.ListStreamsQuery },
    responses: { 200: ok(z.object({ streams: z.array(api.Stream) })), 403: ERRORS[403] },
  }),
  async (c) => c.json({ streams: await listening.listStreams(c.var.ctx, { archived: c.req.valid("query").archived === "true" }) }, 200),
);

listeningRoutes.openapi(
  defineRoute(may("listening.manage"), {
    method: "post", path: "/listening/streams", tags, summary: "Create a stream: a saved query the brand listens for",
    description: "For managers. A query that does not parse is refused with 400 `query_invalid`; `error.errors` lists each error's `code`, `message` and span (`start`, `end`: character offsets into the query as sent) for an editor to underline. Audited `listening.stream_created`.",
    request: jsonBody(api.CreateStreamBody),
    responses: { 200: ok(api.Stream), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json(await listening.createStream(c.var.ctx, c.req.valid("json")), 200),
);

listeningRoutes.openapi(
  defineRoute(may("listening.manage"), {
    method: "post", path: "/listening/streams/preview", tags, summary: "What a query would find: its errors, or recent matching posts",
    description: `For the stream editor, as someone types. A query with errors answers 200 with \`ok: false\` and each error's code, message and span. Otherwise the posts it matches among the workspace's stored mentions of the last ${listening.PREVIEW_DAYS} days (the newest ${listening.PREVIEW_SCAN_LIMIT}), and from a search of the query's plain terms on one channel per network that can search, each checked against the whole query; every post says where it came from (\`stored\` or \`search\`), and \`searches\` what each search found or why it failed.`,
    request: jsonBody(api.PreviewBody),
    responses: { 200: ok(api.PreviewResult), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json(await listening.previewQuery(c.var.ctx, c.req.valid("json")), 200),
);

listeningRoutes.openapi(
  defineRoute(may("listening.manage"), {
    method: "put", path: "/listening/streams/order", tags, summary: "Put the streams board's columns in this order",
    description: "Name every active stream once; `stream_order_mismatch` (409) when one was added or archived meanwhile.",
    request: jsonBody(api.ReorderStreamsBody),
    responses: { 200: ok(z.object({ streams: z.array(api.Stream) })), 400: ERRORS[400], 403: ERRORS[403], 409: ERRORS[409] },
  }),
  async (c) => {
    await listening.reorderStreams(c.var.ctx, c.req.valid("json"));
    return c.json({ streams: await listening.listStreams(c.var.ctx) }, 200);
  },
);

listeningRoutes.openapi(
  defineRoute(may("listening.read"), {
    method: "get", path: "/listening/streams/{streamId}", tags, summary: "One stream with its recent volume",
    request: { params: streamParam },
    responses: { 200: ok(api.Stream), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await listening.getStream(c.var.ctx, c.req.valid("param").streamId), 200),
);

listeningRoutes.openapi(
  defineRoute(may("listening.manage"), {
    method: "patch", path: "/listening/streams/{streamId}", tags, summary: "Change a stream's name, query or alert settings",
    description: "Send the `version` you read: if someone changed the stream since, 409 `stream_version_conflict` (with `currentVersion`). A bad query: 400 `query_invalid` with each error's span. Audited `listening.stream_updated` with before and after.",
    request: { params: streamParam, ...jsonBody(api.UpdateStreamBody) },
    responses: { 200: ok(api.Stream), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await listening.updateStream(c.var.ctx, { streamId: c.req.valid("param").streamId, ...c.req.valid("json") }), 200),
);

listeningRoutes.openapi(
  defineRoute(may("listening.manage"), {
    method: "post", path: "/listening/streams/{streamId}/archive", tags, summary: "Archive a stream: it stops matching; its mentions are kept",
    description: "Audited `listening.stream_archived`.",
    request: { params: streamParam },
    responses: { 200: ok(api.Stream), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await listening.archiveStream(c.var.ctx, c.req.valid("param")), 200),
);

listeningRoutes.openapi(
  defineRoute(may("listening.read"), {
    method: "get", path: "/listening/streams/{streamId}/mentions", tags, summary: "A stream's mentions, newest first",
    description: FILTERS.replace("`stream`, ", ""),
    request: { params: streamParam, query: api.ListMentionsQuery.omit({ stream: true }) },
    responses: { 200: ok(api.MentionPage), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => {
    const stream = await listening.getStream(c.var.ctx, c.req.valid("param").streamId);
    return c.json(await listening.listMentions(c.var.ctx, { ...c.req.valid("query"), stream: stream.id }), 200);
  },
);

listeningRoutes.openapi(
  defineRoute(may("listening.read"), {
    method: "get", path: "/listening/mentions", tags, summary: "Mentions across the workspace's streams, newest first",
    description: FILTERS,
    request: { query: api.ListMentionsQuery },
    responses: { 200: ok(api.MentionPage), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json(await listening.listMentions(c.var.ctx, c.req.valid("query")), 200),
);

listeningRoutes.openapi(
  defineRoute(may("listening.correct"), {
    method: "patch", path: "/listening/mentions/{mentionId}", tags, summary: "Correct a mention's language and/or sentiment",
    description: "Everyone in the workspace may. The correction is kept (the pipeline never stores a post twice), the streams' per-minute counts follow it, and it is audited `listening.mention_corrected` with before and after.",
    request: { params: z.object({ mentionId: z.string().max(20) }), ...jsonBody(api.CorrectMentionBody) },
    responses: { 200: ok(api.Mention), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await listening.correctMention(c.var.ctx, { mentionId: c.req.valid("param").mentionId, ...c.req.valid("json") }), 200),
);

const sourceParam = z.object({ sourceId: z.uuid() });
const unprocessable = { content: { "application/json": { schema: ErrorBody } }, description: "Understood, but cannot be done: `error.code` says why" };

listeningRoutes.openapi(
  defineRoute(may("listening.read"), {
    method: "get", path: "/listening/sources", tags, summary: "Where mentions come from: each source's state, last error and lag",
    description: "Channels' live streams and RSS/Atom feeds, oldest first. `lagSeconds`: how far behind the newest handled post was when it was handled; `behind` when more than a minute; `shedCount`: posts dropped under load since the source started. A failing source says why as `lastErrorCode` with `lastErrorParams` (`retryInSeconds`, …) for the reader's language; `lastError`, the network's or feed's own words (untranslated; null when it gave none), only to those who may manage sources.",
    responses: { 200: ok(z.object({ sources: z.array(api.Source) })), 403: ERRORS[403] },
  }),
  async (c) => c.json({ sources: await sources.listSources(c.var.ctx) }, 200),
);

listeningRoutes.openapi(
  defineRoute(may("listening.manage"), {
    method: "post", path: "/listening/sources", tags, summary: "Listen to a channel's live stream or an RSS/Atom feed",
    description: "`{kind: \"network_stream\", channelId}` for a channel whose network has a live stream, or `{kind: \"feed\", url}` (http or https). Errors: `listening_source_channel_invalid`, `listening_source_feed_invalid` (422), `listening_source_exists` (409). Audited `listening.source_added`.",
    request: jsonBody(api.AddSourceBody),
    responses: { 200: ok(api.Source), 400: ERRORS[400], 403: ERRORS[403], 409: ERRORS[409], 422: unprocessable },
  }),
  async (c) => c.json(await sources.addSource(c.var.ctx, c.req.valid("json")), 200),
);

listeningRoutes.openapi(
  defineRoute(may("listening.manage"), {
    method: "delete", path: "/listening/sources/{sourceId}", tags, summary: "Stop listening to a source; its mentions are kept",
    description: "Audited `listening.source_removed`.",
    request: { params: sourceParam },
    responses: { 204: noContent, 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => {
    await sources.removeSource(c.var.ctx, c.req.valid("param"));
    return c.body(null, 204);
  },
);

listeningRoutes.openapi(
  defineRoute(may("listening.manage"), {
    method: "post", path: "/listening/sources/{sourceId}/restart", tags, summary: "Restart a source now (after reconnecting its channel, say)",
    description: "It resumes from its stored cursor, without waiting out a backoff; a stopped source runs again. Audited `listening.source_restarted`.",
    request: { params: sourceParam },
    responses: { 200: ok(api.Source), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await sources.restartSource(c.var.ctx, c.req.valid("param")), 200),
);
