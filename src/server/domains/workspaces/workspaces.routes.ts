import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/api";
import { ACCOUNT_SESSION_ONLY, PUBLIC, defineRoute, may } from "../../http/access";
import { setSessionCookie } from "../../http/session-cookie";
import { ERRORS, idParam, jsonBody, newRouter, noContent, ok } from "../../http/openapi-kit";
import { currentWorkspace } from "./workspace-actor";
import * as workspaces from "./index";

const tags = ["Workspace, members and teams"];
export const workspaceRoutes = newRouter();

workspaceRoutes.openapi(
  defineRoute(may("workspace.read"), { method: "get", path: "/workspace", tags, summary: "The current workspace (brand)", responses: { 200: ok(api.Workspace) } }),
  async (c) => {
    const ctx = c.var.ctx;
    const membership = await workspaces.membershipOf(ctx.db, (ctx.actor as { userId: string }).userId, currentWorkspace(ctx).workspaceId);
    return c.json(workspaces.presentWorkspace(membership!.workspace), 200);
  },
);

workspaceRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "patch", path: "/workspace", tags, summary: "Rename the workspace or change its security settings",
    description: "`requireMfa: true` makes every member without MFA enrol at their next request before doing anything else.",
    request: jsonBody(api.UpdateWorkspaceBody), responses: { 200: ok(api.Workspace), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json(await workspaces.updateWorkspace(c.var.ctx, c.req.valid("json")), 200),
);

workspaceRoutes.openapi(
  defineRoute(ACCOUNT_SESSION_ONLY, {
    method: "post", path: "/workspaces", tags, summary: "Create a new workspace (brand); you become its owner",
    request: jsonBody(api.CreateWorkspaceBody), responses: { 200: ok(api.Workspace), 400: ERRORS[400], 409: ERRORS[409] },
  }),
  async (c) => c.json(await workspaces.createWorkspace(c.var.ctx, c.req.valid("json")), 200),
);

// ── Members ──────────────────────────────────────────────────────────────────────────────────────────────

workspaceRoutes.openapi(
  defineRoute(may("members.read"), { method: "get", path: "/workspace/members", tags, summary: "Members with role, teams, MFA and last activity", responses: { 200: ok(z.object({ members: z.array(api.Member) })) } }),
  async (c) => c.json({ members: await workspaces.listMembers(c.var.ctx) }, 200),
);

workspaceRoutes.openapi(
  defineRoute(may("members.change_role"), {
    method: "patch", path: "/workspace/members/{userId}", tags, summary: "Change a member's role",
    description: "Only owners give or take the owner role; the last owner cannot be demoted (`last_owner`).",
    request: { params: idParam("userId"), ...jsonBody(api.ChangeRoleBody) },
    responses: { 200: ok(z.object({ userId: z.uuid(), role: api.ChangeRoleBody.shape.role })), 403: ERRORS[403], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await workspaces.changeMemberRole(c.var.ctx, { userId: c.req.valid("param").userId, role: c.req.valid("json").role }), 200),
);

workspaceRoutes.openapi(
  defineRoute(may("members.remove"), {
    method: "delete", path: "/workspace/members/{userId}", tags, summary: "Remove a member's access (offboarding): sessions and API tokens end at once, channel grants and team places go, scheduled posts are held",
    description:
      "Their scheduled posts are held for review instead of going out under their name (`postsHeld`), and their drafts and held posts go to `transferTo` (a member who stays; default: you), counted as `postsHandedOver`. Their pending approval slots go to `transferTo` too, or are dropped when that person cannot approve the post (`approvalsReassigned`, `approvalsDropped`, present when there were any).",
    request: { params: idParam("userId"), query: z.object({ transferTo: z.uuid().optional() }) },
    responses: {
      200: ok(z.object({ sessionsEnded: z.number(), tokensRevoked: z.number(), channelGrantsRemoved: z.number(), teamsLeft: z.number(), postsHeld: z.number(), postsHandedOver: z.number(), approvalsReassigned: z.number().optional(), approvalsDropped: z.number().optional() })),
      400: ERRORS[400],
      403: ERRORS[403],
      404: ERRORS[404],
      409: ERRORS[409],
    },
  }),
  async (c) => c.json(await workspaces.removeMember(c.var.ctx, { userId: c.req.valid("param").userId, transferTo: c.req.valid("query").transferTo }), 200),
);

workspaceRoutes.openapi(
  defineRoute(may("members.remove"), {
    method: "get", path: "/workspace/members/{userId}/sessions", tags, summary: "A member's live sessions (device, IP, last seen), to choose which to end after a lost device",
    request: { params: idParam("userId") },
    responses: { 200: ok(z.object({ sessions: z.array(api.Session) })), 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json({ sessions: await workspaces.listMemberSessions(c.var.ctx, { userId: c.req.valid("param").userId }) }, 200),
);

workspaceRoutes.openapi(
  defineRoute(may("members.remove"), {
    method: "post", path: "/workspace/members/{userId}/lost-device", tags, summary: "Lost device: end the chosen sessions of a member, optionally require a new second factor and revoke their API tokens here",
    description:
      "The person stays a member. `requireMfaReenrolment` removes their authenticator app, recovery codes and passkeys; every session of theirs then stops at setting up a new second factor (except sessions from the workspace's SSO provider, which vouches for the sign-in). Audited as `member.device_secured` with the counts. The same rule as removal decides who may act on whom (`role_not_allowed`).",
    request: { params: idParam("userId"), ...jsonBody(api.SecureLostDeviceBody) },
    responses: { 200: ok(api.SecuredDevice), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => c.json(await workspaces.secureLostDevice(c.var.ctx, { userId: c.req.valid("param").userId, ...c.req.valid("json") }), 200),
);

// ── Invitations ──────────────────────────────────────────────────────────────────────────────────────────

workspaceRoutes.openapi(
  defineRoute(may("members.change_role"), {
    method: "put", path: "/workspace/members/{userId}/partner", tags, summary: "Make a member a partner with an access end date, or one of the brand's own again",
    description:
      "A partner (an agency, a freelancer) sees only the channels granted to them; owners and admins are mailed 7 days before the end, and at the end their access ends by itself, the same way as a removal (audited as `member.removed` with `reason: partner_access_ended`). `organization: null` and `endsAt: null` make them one of the brand's own people. Errors: `partner_role_not_allowed` (422) for owners and admins, `invalid_input` for an end in the past or a missing organisation or date.",
    request: { params: idParam("userId"), ...jsonBody(api.PartnerAccessBody) },
    responses: { 200: ok(z.object({ userId: z.uuid(), partner: z.object({ organization: z.string(), accessEndsAt: z.string() }).nullable() })), 400: ERRORS[400], 404: ERRORS[404] },
  }),
  async (c) => c.json(await workspaces.setPartnerAccess(c.var.ctx, { userId: c.req.valid("param").userId, ...c.req.valid("json") }), 200),
);

workspaceRoutes.openapi(
  defineRoute(may("members.invite"), { method: "get", path: "/workspace/invitations", tags, summary: "Invitations, newest first", responses: { 200: ok(z.object({ invitations: z.array(api.Invitation) })) } }),
  async (c) => c.json({ invitations: await workspaces.listInvitations(c.var.ctx) }, 200),
);

workspaceRoutes.openapi(
  defineRoute(may("members.invite"), {
    method: "post", path: "/workspace/invitations", tags, summary: "Invite someone by email (single-use link, valid 7 days)",
    request: jsonBody(api.InviteBody), responses: { 200: ok(z.object({ invitation: api.Invitation, link: z.string() })), 400: ERRORS[400], 409: ERRORS[409] },
  }),
  async (c) => c.json(await workspaces.inviteMember(c.var.ctx, c.req.valid("json")), 200),
);

workspaceRoutes.openapi(
  defineRoute(may("members.invite"), {
    method: "delete", path: "/workspace/invitations/{invitationId}", tags, summary: "Revoke an open invitation",
    request: { params: idParam("invitationId") }, responses: { 204: noContent, 404: ERRORS[404] },
  }),
  async (c) => {
    await workspaces.revokeInvitation(c.var.ctx, { invitationId: c.req.valid("param").invitationId });
    return c.body(null, 204);
  },
);

// ── Teams ────────────────────────────────────────────────────────────────────────────────────────────────

workspaceRoutes.openapi(
  defineRoute(may("teams.read"), { method: "get", path: "/workspace/teams", tags, summary: "Teams and their members", responses: { 200: ok(z.object({ teams: z.array(api.Team) })) } }),
  async (c) => c.json({ teams: await workspaces.listTeams(c.var.ctx) }, 200),
);

workspaceRoutes.openapi(
  defineRoute(may("teams.manage"), { method: "post", path: "/workspace/teams", tags, summary: "Create a team", request: jsonBody(api.CreateTeamBody), responses: { 200: ok(api.Team), 400: ERRORS[400], 409: ERRORS[409] } }),
  async (c) => c.json(workspaces.presentTeam(await workspaces.createTeam(c.var.ctx, c.req.valid("json"))), 200),
);

workspaceRoutes.openapi(
  defineRoute(may("teams.manage"), {
    method: "patch", path: "/workspace/teams/{teamId}", tags, summary: "Rename a team or change its description",
    request: { params: idParam("teamId"), ...jsonBody(api.UpdateTeamBody) }, responses: { 200: ok(api.Team), 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => {
    await workspaces.updateTeam(c.var.ctx, { teamId: c.req.valid("param").teamId, ...c.req.valid("json") });
    const team = (await workspaces.listTeams(c.var.ctx)).find((t) => t.id === c.req.valid("param").teamId)!;
    return c.json(team, 200);
  },
);

workspaceRoutes.openapi(
  defineRoute(may("teams.manage"), {
    method: "delete", path: "/workspace/teams/{teamId}", tags, summary: "Delete a team (its people stay members)",
    request: { params: idParam("teamId") }, responses: { 204: noContent, 404: ERRORS[404] },
  }),
  async (c) => {
    await workspaces.deleteTeam(c.var.ctx, { teamId: c.req.valid("param").teamId });
    return c.body(null, 204);
  },
);

const teamMemberParams = z.object({ teamId: z.uuid(), userId: z.uuid() });
workspaceRoutes.openapi(
  defineRoute(may("teams.manage"), {
    method: "put", path: "/workspace/teams/{teamId}/members/{userId}", tags, summary: "Add a member to a team",
    request: { params: teamMemberParams }, responses: { 200: ok(z.object({ changed: z.boolean() })), 404: ERRORS[404] },
  }),
  async (c) => c.json(await workspaces.setTeamMembership(c.var.ctx, { ...c.req.valid("param"), member: true }), 200),
);

workspaceRoutes.openapi(
  defineRoute(may("teams.manage"), {
    method: "delete", path: "/workspace/teams/{teamId}/members/{userId}", tags, summary: "Take a member out of a team",
    request: { params: teamMemberParams }, responses: { 200: ok(z.object({ changed: z.boolean() })), 404: ERRORS[404] },
  }),
  async (c) => c.json(await workspaces.setTeamMembership(c.var.ctx, { ...c.req.valid("param"), member: false }), 200),
);

// ── Outbox ───────────────────────────────────────────────────────────────────────────────────────────────

workspaceRoutes.openapi(
  defineRoute(may("outbox.read"), {
    method: "get", path: "/workspace/outbox", tags, summary: "Mail sent to this workspace's members and invitees",
    description: "Without `SMTP_URL`, mail is not delivered: it stays here for an admin to read and pass on.",
    responses: { 200: ok(z.object({ mails: z.array(api.OutboxMail), delivering: z.boolean() })) },
  }),
  async (c) => c.json(await workspaces.listOutbox(c.var.ctx), 200),
);

// ── Invitation links (public: the invited person has no account yet) ────────────────────────────────────

// Only length-capped: a wrong or truncated link answers 410 invitation_invalid from the query, not 400.
const tokenParam = z.object({ token: z.string().min(1).max(200) });
workspaceRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get", path: "/invitations/{token}", tags, summary: "What an invitation link is for (workspace, role, email)",
    description: "Errors: `invitation_invalid` (410) when used, revoked or expired.",
    request: { params: tokenParam }, responses: { 200: ok(api.InvitationView), 400: ERRORS[400] },
  }),
  async (c) => c.json((await workspaces.findOpenInvitation(c.var.ctx.db, c.req.valid("param").token, c.var.ctx.now())).view, 200),
);

workspaceRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/invitations/{token}/accept", tags, summary: "Accept an invitation and sign in",
    description: "A new person sends `name` and a new `password`; someone who already has an account sends their password.",
    request: { params: tokenParam, ...jsonBody(api.AcceptInvitationBody) }, responses: { 200: ok(api.SignInResult), 400: ERRORS[400] },
  }),
  async (c) => {
    const result = await workspaces.acceptInvitation(c.var.ctx, { token: c.req.valid("param").token, ...c.req.valid("json") });
    setSessionCookie(c, result.sessionToken);
    return c.json({ status: result.mfaRequired ? ("mfa_required" as const) : ("signed_in" as const) }, 200);
  },
);
