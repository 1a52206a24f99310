import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/crises";
import type { Ctx } from "../../context";
import { defineRoute, may } from "../../http/access";
import { ERRORS, idParam, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import * as crises from "./crises";

const tags = ["Crisis: lifecycle and crisis mode"];
export const crisisRoutes = newRouter();
const crisisParam = idParam("crisisId");

crisisRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/crises", tags, summary: "The workspace's crises, newest first (`status=open`: triage, active and stable only)",
    request: { query: api.CrisisListQuery }, responses: { 200: ok(z.object({ crises: z.array(api.CrisisListItem) })) },
  }),
  async (c) => c.json({ crises: await crises.listCrises(c.var.ctx, c.req.valid("query")) }, 200),
);

crisisRoutes.openapi(
  defineRoute(may("crisis.declare"), {
    method: "post", path: "/crisis/crises", tags, summary: "Declare a crisis: from a listening alert, an inbox reference or by hand; optionally in quiet triage first",
    description:
      "From an alert, scenario, severity and plan are proposed from it unless given; the alert is linked on the timeline. The plan's role holders and backups form the crisis team (the declarer leads when the plan names no lead). Without `triage` the crisis is active at once: the plan's checklist becomes tasks, and a severity with automatic crisis mode starts it with the plan's defaults.",
    request: jsonBody(api.DeclareCrisisBody), responses: { 200: ok(api.Crisis), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await crises.declareCrisis(c.var.ctx, c.req.valid("json")), 200),
);

crisisRoutes.openapi(
  defineRoute(may("crisis.declare"), {
    method: "get", path: "/crisis/proposal", tags, summary: "What declaring from a listening alert would propose: scenario, severity, plan",
    request: { query: api.ProposalQuery }, responses: { 200: ok(api.CrisisProposal), 404: ERRORS[404] },
  }),
  async (c) => c.json(await crises.proposeForAlert(c.var.ctx, c.req.valid("query").alertId), 200),
);

crisisRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/banner", tags, summary: "Crises the banner on every page shows: active or stable ones (triage is quiet) and any crisis mode kept on",
    responses: { 200: ok(api.CrisisBanner) },
  }),
  async (c) => c.json(await crises.crisisBanner(c.var.ctx), 200),
);

crisisRoutes.openapi(
  defineRoute(may("crisis.read"), {
    method: "get", path: "/crisis/crises/{crisisId}", tags, summary: "A crisis: state, severity, team, crisis mode, held posts, allowed transitions",
    request: { params: crisisParam }, responses: { 200: ok(api.Crisis), 404: ERRORS[404] },
  }),
  async (c) => c.json(await crises.getCrisis(c.var.ctx, c.req.valid("param").crisisId), 200),
);

/**
 * `<method> /crisis/crises/{crisisId}/<path>`: a change to one crisis, for whoever manages crises, answered with the
 * crisis as it is after the change. The command loads the crisis, checks, changes and audits in one transaction; the
 * route only validates the `body` (when there is one: 400) and presents its answer (403, 404 for a crisis not in the
 * workspace, 409 when the crisis's state does not allow the change).
 */
function crisisChange<Body extends z.ZodType>(
  method: "post" | "patch",
  path: string,
  body: Body | null,
  doc: { summary: string; description?: string },
  change: (ctx: Ctx, crisisId: string, input: z.output<Body>) => Promise<z.output<typeof api.Crisis>>,
) {
  crisisRoutes.openapi(
    defineRoute(may("crisis.manage"), {
      method, path: `/crisis/crises/{crisisId}/${path}`, tags, ...doc,
      // Typed as params only (the route types cannot follow an optional body); the body is still validated and documented.
      request: { params: crisisParam, ...((body ? jsonBody(body) : {}) as object) },
      responses: { 200: ok(api.Crisis), ...(body ? { 400: ERRORS[400] } : {}), 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
    }),
    async (c) => c.json(await change(c.var.ctx, c.req.valid("param").crisisId, (body ? c.req.valid("json" as never) : undefined) as z.output<Body>), 200),
  );
}

crisisChange("post", "transition", api.TransitionBody, {
  summary: "Move a crisis along its lifecycle (triage → active ⇄ stable → closed; cancelled; merged)",
  description:
    "Send the `version` you read (409 `crisis_version_conflict` otherwise). Closing needs a `resolution`; closing, cancelling and merging need crisis mode off (`crisis_mode_still_on`; closing may keep it with `keepCrisisMode`) and a decision on every held post (`crisis_held_posts_undecided`). A move the table does not allow is `crisis_transition_not_allowed`.",
}, crises.changeCrisisStatus);

crisisChange("post", "severity", api.SeverityBody, { summary: "Change the severity at any time while the crisis is open (when unsure, choose the higher)" }, crises.changeCrisisSeverity);

crisisChange("post", "roles", api.AssignRoleBody, { summary: "Give a crisis role to a member (hands it over when someone holds it)" }, crises.assignCrisisRole);

crisisRoutes.openapi(
  defineRoute(may("crisis.manage"), {
    method: "delete", path: "/crisis/crises/{crisisId}/roles/{roleId}", tags, summary: "Take a person off a crisis role",
    request: { params: api.RenounceRoleParams }, responses: { 200: ok(api.Crisis), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await crises.renounceCrisisRole(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("param").roleId), 200),
);

crisisChange("post", "mode", api.StartCrisisModeBody, {
  summary: "Start crisis mode: pause, lock down, secure, notify — each part chosen",
  description:
    "`pause`: all channels, chosen ones, or none; every post it holds is listed for a decision. `lockdown`: only the crisis team may publish or reply (`crisis_lockdown` for everyone else; their posts go to the crisis team for approval, and their posts falling due are held for the crisis team). `secure` (needs crisis.secure): ends the chosen people's sessions and disconnects the chosen channels, revoking their credentials at the network where it can. `notify`: emails the crisis team and the plan's stakeholders. A drill acts on Sandbox channels only and never ends sessions.",
}, crises.startCrisisMode);

crisisChange("patch", "mode", api.SwitchCrisisModeBody, { summary: "Switch a part of crisis mode: the pause on or off, lock down on or off" }, crises.switchCrisisMode);

crisisChange("post", "mode/end", null, { summary: "End crisis mode (held posts stay held until each is decided)" }, crises.endCrisisMode);

/**
 * `GET /crisis/crises/{crisisId}/<path>`: one of a crisis's lists, for whoever reads crises, answered as
 * `{ <key>: [...] }` (404 for a crisis not in the workspace).
 */
function crisisList<K extends string, Item extends z.ZodType>(
  path: string,
  key: K,
  item: Item,
  doc: { summary: string; description?: string },
  list: (ctx: Ctx, crisisId: string) => Promise<Array<z.output<Item>>>,
) {
  crisisRoutes.openapi(
    defineRoute(may("crisis.read"), {
      method: "get", path: `/crisis/crises/{crisisId}/${path}`, tags, ...doc,
      request: { params: crisisParam }, responses: { 200: ok(z.object({ [key]: z.array(item) })), 404: ERRORS[404] },
    }),
    async (c) => c.json({ [key]: await list(c.var.ctx, c.req.valid("param").crisisId) }, 200),
  );
}

crisisList("held-posts", "heldPosts", api.HeldPost, { summary: "Posts the crisis held (its pause, or its lock down when they fell due), with the decision on each" }, crises.listHeldPosts);

crisisList(
  "awaiting-approval",
  "posts",
  api.AwaitingCrisisApproval,
  {
    summary: "Posts waiting for the crisis team's approval (sent there by the lock down)",
    description:
      "Posts in review whose approval has this crisis's \"crisis team\" step, soonest first; `atCrisisTeamStep` is false while a channel's workflow decides first, `mayDecide` says whether the reader may approve or reject it now (on the post's page: `POST /posts/{id}/approve`, `/reject`). The crisis team and crisis managers see every one; others see those on channels they can read.",
  },
  crises.listAwaitingApproval,
);

crisisList(
  "notices",
  "notices",
  api.CrisisNotice,
  {
    summary: "Who crisis mode told: the crisis team, stakeholders by email and through their destinations (Slack, Teams, webhook, mail), with each delivery's status",
    description:
      "Every notice crisis mode's notify queued (oldest first; in one crisis mode the team, then stakeholders by email, then destinations): `recipient` says who — `team` (a crisis team member's name and `roles`, never their address), `stakeholder` (the plan's stakeholder by plain email: name and the `address` the plan shows) or `destination` (with `destination`: the alert destination's kind and name, never its address) —, and the delivery: `queued`, `sent` (`deliveredAt`), `retrying` (the receiver was busy or silent; `nextAttemptAt`, `lastError`) or `failed` (given up; `lastError`). A mail destination's notice goes through the mail outbox: its delivery is its mails' (all sent: `sent`; one given up: `failed`), with a `reason` code instead of the mail server's words (`mail_not_accepted`; `mail_not_configured` while this server sends no mail; `no_address`: a mail list without an address, `failed`, nothing sent).",
  },
  crises.listCrisisNotices,
);

crisisRoutes.openapi(
  defineRoute(may("crisis.manage"), {
    method: "post", path: "/crisis/crises/{crisisId}/notices/{noticeId}/retry", tags, summary: "Send a failed stakeholder notice again now",
    description:
      "For crisis managers. Its attempts start over: the same message (a webhook: the same `webhook-id`), a mail's given-up mails back into the mail outbox, a mail list that had no address mailed to the addresses it has now (409 `crisis_notice_no_address` while it still has none). Only a `failed` notice (409 `crisis_notice_not_failed`: one queued or retrying is retried by itself); a notice of another crisis is 404 `not_found`. Audited as `crisis.notice_retried`.",
    request: { params: z.object({ crisisId: z.uuid(), noticeId: z.uuid() }) },
    responses: { 200: ok(api.CrisisNotice), 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await crises.retryCrisisNotice(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("param").noticeId), 200),
);

crisisRoutes.openapi(
  defineRoute(may("crisis.respond"), {
    method: "post", path: "/crisis/crises/{crisisId}/held-posts/{postTargetId}", tags, summary: "Decide on one held post: resume, reschedule, edit or discard",
    description: "For the crisis team and crisis managers. Resume and reschedule need the pause off for the post's channel (`crisis_held_post_still_paused`).",
    request: { params: z.object({ crisisId: z.uuid(), postTargetId: z.uuid() }), ...jsonBody(api.DecideHeldPostBody) },
    responses: { 200: ok(z.object({ postTargetId: z.uuid(), decision: api.HeldPostDecision, at: z.string().nullable() })), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await crises.decideHeldPost(c.var.ctx, c.req.valid("param").crisisId, c.req.valid("param").postTargetId, c.req.valid("json")), 200),
);
