import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/crisis-room";
import { defineRoute, may } from "../../http/access";
import { ERRORS, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import * as room from "./room";

const tags = ["Crisis room"];
const crisisParam = z.object({ crisisId: z.uuid() });
const eventParam = z.object({ crisisId: z.uuid(), eventId: z.uuid() });
const taskParam = z.object({ crisisId: z.uuid(), taskId: z.uuid() });
const statementParam = z.object({ crisisId: z.uuid(), statementId: z.uuid() });
const versionBody = z.object({ version: z.number().int() });
const READ = { 403: ERRORS[403], 404: ERRORS[404] };
const WRITE = { 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] };
const ACT =
  "Acting is for the crisis team (anyone holding a current role in it) and holders of crisis.manage (`crisis_not_on_team`, 403); a closed, cancelled or merged crisis is read-only (`crisis_not_open`, 409).";

/** The crisis room: timeline and notes, tasks, internal status updates, statements with fast-track approval, live figures. */
export const roomRoutes = newRouter();

roomRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/crises/{crisisId}/timeline", tags, summary: "The crisis's timeline, oldest first",
    description: "Automatic events (declared, status and severity changes, crisis mode, statements, tasks, reminders…) and notes; `pinned` marks the key moments the review is built from. `access.act`: whether the reader may act in this room. Errors: `crisis_not_found` (404).",
    request: { params: crisisParam },
    responses: { 200: ok(api.Timeline), ...READ },
  }),
  async (c) => c.json(await room.listTimeline(c.var.ctx, c.req.valid("param").crisisId), 200),
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/notes", tags, summary: "Add a note to the timeline",
    description: `A note, optionally pinned as a key moment. Audited \`crisis.note_added\`. ${ACT}`,
    request: { params: crisisParam, ...jsonBody(api.NoteBody) },
    responses: { 200: ok(api.CrisisEvent), ...WRITE },
  }),
  async (c) => c.json(await room.addNote(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("json")), 200),
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/timeline/{eventId}/pin", tags, summary: "Pin or unpin a timeline entry",
    description: `Pinned entries are the key moments of the review. Audited \`crisis.event_pinned\`. Errors: \`crisis_event_not_found\` (404). ${ACT}`,
    request: { params: eventParam, ...jsonBody(api.PinBody) },
    responses: { 200: ok(api.CrisisEvent), ...WRITE },
  }),
  async (c) => {
    const { crisisId, eventId } = c.req.valid("param");
    return c.json(await room.pinEvent(c.var.ctx, crisisId, eventId, c.req.valid("json").pinned), 200);
  },
);

roomRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/crises/{crisisId}/tasks", tags, summary: "The crisis's tasks",
    description: "From the plan's checklist (source `plan`), ad hoc (`adhoc`) and the review's action items (`review`); open ones first by due time. `overdue`: open and past due.",
    request: { params: crisisParam },
    responses: { 200: ok(api.TaskList), ...READ },
  }),
  async (c) => c.json(await room.listTasks(c.var.ctx, c.req.valid("param").crisisId), 200),
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/tasks", tags, summary: "Add an ad hoc task",
    description: `With a kind, an owner (someone in the workspace) or owning role, and a due time; the owner is reminded once it is overdue. Timeline \`task_created\`, audited \`crisis.task_created\`. ${ACT}`,
    request: { params: crisisParam, ...jsonBody(api.CreateTaskBody) },
    responses: { 200: ok(api.CrisisTask), ...WRITE },
  }),
  async (c) => c.json(await room.createTask(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("json")), 200),
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "patch", path: "/crisis/crises/{crisisId}/tasks/{taskId}", tags, summary: "Mark a task done or skipped, reassign it, move its due time",
    description: `Done or skipped records \`task_done\` on the timeline (with whether it was late). Audited \`crisis.task_updated\`. Errors: \`crisis_task_not_found\` (404). ${ACT}`,
    request: { params: taskParam, ...jsonBody(api.UpdateTaskBody) },
    responses: { 200: ok(api.CrisisTask), ...WRITE },
  }),
  async (c) => {
    const { crisisId, taskId } = c.req.valid("param");
    return c.json(await room.updateTask(c.var.ctx, crisisId, taskId, c.req.valid("json")), 200);
  },
);

roomRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/crises/{crisisId}/updates", tags, summary: "Internal status updates and when the next is due",
    description: "Newest first. `nextDueAt` follows the severity's internal cadence (`cadenceMinutes`); `due` is true once it has passed (the lead is reminded by mail).",
    request: { params: crisisParam },
    responses: { 200: ok(api.StatusUpdateList), ...READ },
  }),
  async (c) => c.json(await room.listStatusUpdates(c.var.ctx, c.req.valid("param").crisisId), 200),
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/updates", tags, summary: "Post an internal status update",
    description: `Tactical (conditions, actions, needs) or executive (status, overview, next steps). The next is due one cadence later. Timeline \`status_update\` (with whether it was late), audited \`crisis.status_update_posted\`. ${ACT}`,
    request: { params: crisisParam, ...jsonBody(api.StatusUpdateBody) },
    responses: { 200: ok(api.StatusUpdate), ...WRITE },
  }),
  async (c) => c.json(await room.postStatusUpdate(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("json")), 200),
);

roomRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/crises/{crisisId}/statements", tags, summary: "Statements, the plan's holding templates, the first public response",
    description: "Each statement with what the reader may do with it now (`can`).",
    request: { params: crisisParam },
    responses: { 200: ok(api.StatementList), ...READ },
  }),
  async (c) => c.json(await room.listStatements(c.var.ctx, c.req.valid("param").crisisId), 200),
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/statements", tags, summary: "Start a statement",
    description: `From one of the plan's holding statements (\`templateId\`: its text and language) or blank. Kinds: holding, update, resolution, thread (a dedicated thread for many affected customers), reply (a saved reply for individual answers, e.g. moving the conversation to private). Errors: \`statement_template_not_found\` (404). ${ACT}`,
    request: { params: crisisParam, ...jsonBody(api.CreateStatementBody) },
    responses: { 200: ok(api.Statement), ...WRITE },
  }),
  async (c) => c.json(await room.createStatement(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("json")), 200),
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "patch", path: "/crisis/crises/{crisisId}/statements/{statementId}", tags, summary: "Edit a draft statement",
    description: `Text, language, channels and a channel's own text. A rejected statement becomes a draft again. Send the \`version\` you read. Errors: \`statement_not_found\` (404), \`statement_version_conflict\`, \`statement_wrong_status\` (409). ${ACT}`,
    request: { params: statementParam, ...jsonBody(api.UpdateStatementBody) },
    responses: { 200: ok(api.Statement), ...WRITE },
  }),
  async (c) => {
    const { crisisId, statementId } = c.req.valid("param");
    return c.json(await room.updateStatement(c.var.ctx, crisisId, statementId, c.req.valid("json")), 200);
  },
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/statements/{statementId}/submit", tags, summary: "Ask for fast-track approval",
    description: `The holder of the severity's approver role (the crisis lead when nobody holds it) is mailed and decides before the severity's approval deadline; once it passes, the backup of that role (or the lead) is asked too. Timeline \`statement_submitted\`. Errors: \`statement_no_approver\`, \`statement_wrong_status\`, \`statement_version_conflict\` (409). ${ACT}`,
    request: { params: statementParam, ...jsonBody(versionBody) },
    responses: { 200: ok(api.Statement), ...WRITE },
  }),
  async (c) => {
    const { crisisId, statementId } = c.req.valid("param");
    return c.json(await room.submitStatement(c.var.ctx, crisisId, statementId, c.req.valid("json")), 200);
  },
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/statements/{statementId}/decision", tags, summary: "Approve or reject a statement",
    description: `Only its approver, or its backup once the deadline has passed (\`statement_not_approver\`, 403). Rejecting needs a comment. Timeline \`statement_approved\` / \`statement_rejected\` with the minutes it took and whether the backup decided. ${ACT}`,
    request: { params: statementParam, ...jsonBody(api.DecideStatementBody) },
    responses: { 200: ok(api.Statement), ...WRITE },
  }),
  async (c) => {
    const { crisisId, statementId } = c.req.valid("param");
    return c.json(await room.decideStatement(c.var.ctx, crisisId, statementId, c.req.valid("json")), 200);
  },
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/statements/{statementId}/publish", tags, summary: "Publish an approved statement to its channels at once",
    description: `Through publishing, as a post exempt from crisis mode's pause; the publisher needs Full publishing on each channel (\`statement_channel_needs_approval\`, 409). The first is the crisis's first public response (pinned). Errors: \`statement_is_reply\`, \`statement_wrong_status\` (409), \`statement_needs_channels\` (400). ${ACT}`,
    request: { params: statementParam, ...jsonBody(versionBody) },
    responses: { 200: ok(api.Statement), ...WRITE },
  }),
  async (c) => {
    const { crisisId, statementId } = c.req.valid("param");
    return c.json(await room.publishStatement(c.var.ctx, crisisId, statementId, c.req.valid("json")), 200);
  },
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/statements/{statementId}/use", tags, summary: "Record the use of an approved saved reply",
    description: `There is no inbox yet: the reply is copied into a conversation on the network and its use recorded here (\`ref\`: the conversation or post answered). Timeline \`reply_sent\`. Errors: \`statement_not_reply\`, \`statement_wrong_status\` (409). ${ACT}`,
    request: { params: statementParam, ...jsonBody(api.UseReplyBody) },
    responses: { 200: ok(z.object({ eventId: z.uuid(), occurredAt: z.string() })), ...WRITE },
  }),
  async (c) => {
    const { crisisId, statementId } = c.req.valid("param");
    return c.json(await room.useReply(c.var.ctx, crisisId, statementId, c.req.valid("json")), 200);
  },
);

roomRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/statements/{statementId}/withdraw", tags, summary: "Withdraw an unpublished statement",
    description: `Audited \`crisis.statement_withdrawn\`. Errors: \`statement_wrong_status\` (409). ${ACT}`,
    request: { params: statementParam },
    responses: { 200: ok(api.Statement), ...WRITE },
  }),
  async (c) => {
    const { crisisId, statementId } = c.req.valid("param");
    return c.json(await room.withdrawStatement(c.var.ctx, crisisId, statementId), 200);
  },
);

roomRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/crises/{crisisId}/figures", tags, summary: "Live figures",
    description: "Mentions in the last hour on the plan's trigger streams and the origin alert's stream against the hourly mean of the week before, negative share of each, the last 12 hours, time since the last public update. Inbox backlog and median reply time: not available until the inbox exists.",
    request: { params: crisisParam },
    responses: { 200: ok(api.Figures), ...READ },
  }),
  async (c) => c.json(await room.crisisFigures(c.var.ctx, c.req.valid("param").crisisId), 200),
);
