import type { ChannelAction, ChannelLevel, Role, TokenScope, WorkspaceAction } from "../../contracts/roles";
import { CHANNEL_LEVEL_ALLOWS, CHANNEL_LEVELS, WORKSPACE_ACTIONS } from "../../contracts/roles";

export { CHANNEL_LEVEL_ALLOWS };
import { forbidden } from "../errors";

/** What each role may do in its workspace. Data, so it can be read, reviewed and tested as a table. */
// Everyone may compose and read posts: which channels, and whether they publish or need approval, is their channel level.
// Everyone hears what is said about the brand and may correct a mention's language or sentiment.
// Everyone sees a crisis and may work in its room (notes, tasks, drafts); the room itself limits acting to its team.
const MEMBER: WorkspaceAction[] = ["workspace.read", "members.read", "teams.read", "channels.read", "posts.read", "posts.write", "listening.read", "listening.correct", "crisis.read", "crisis.respond"];
// Managers run the listening: streams, sources, and acting on alerts.
// Managers run the listening: streams, sources, and acting on alerts; they declare and lead crises and keep the plans.
const MANAGER: WorkspaceAction[] = [...MEMBER, "audit.read", "listening.manage", "alerts.handle", "crisis.declare", "crisis.manage", "crisis.plans"];
const ADMIN: WorkspaceAction[] = [
  ...MANAGER,
  "workspace.update",
  "members.invite",
  "members.change_role",
  "members.remove",
  "teams.manage",
  "audit.export",
  "audit.verify",
  "outbox.read",
  "channels.manage",
  "sandbox.manage",
  "publishing.pause",
  "approvals.manage",
  "access_review.read",
  "access_review.sign_off",
  "alerts.destinations",
  // Severity levels are workspace policy; securing ends other people's sessions and revokes channel credentials.
  "crisis.severities",
  "crisis.secure",
];
export const ROLE_ALLOWS = {
  owner: [...WORKSPACE_ACTIONS],
  admin: ADMIN,
  manager: MANAGER,
  member: MEMBER,
} as const satisfies Record<Role, readonly WorkspaceAction[]>;

/** The token scope an action needs when the request comes with a personal API token. */
export const ACTION_SCOPE = {
  "workspace.read": "workspace:read",
  "workspace.update": "workspace:write",
  "members.read": "members:read",
  "members.invite": "members:write",
  "members.change_role": "members:write",
  "members.remove": "members:write",
  "teams.read": "teams:read",
  "teams.manage": "teams:write",
  "audit.read": "audit:read",
  "audit.export": "audit:read",
  "audit.verify": "audit:read",
  "outbox.read": "workspace:read",
  "channels.read": "channels:read",
  "channels.manage": "channels:write",
  // The Sandbox is the server's simulated network: playing its scenarios is workspace administration, not a channel.
  "sandbox.manage": "workspace:write",
  "posts.read": "posts:read",
  "posts.write": "posts:write",
  // An automation that stops everything (say, a crisis tool) acts with a posts:write token.
  "publishing.pause": "posts:write",
  // Approval workflows are workspace administration (who must approve what), like the Sandbox.
  "approvals.manage": "workspace:write",
  // The access review is about who may do what: reading it (and its exports) is reading members; signing it off writes.
  "access_review.read": "members:read",
  "access_review.sign_off": "members:write",
  "listening.read": "listening:read",
  "listening.correct": "listening:write",
  "listening.manage": "listening:write",
  "alerts.handle": "listening:write",
  // Where alerts go holds webhook secrets and sends data out of the workspace: administration, like approvals.
  "alerts.destinations": "workspace:write",
  "crisis.read": "crisis:read",
  "crisis.respond": "crisis:write",
  "crisis.declare": "crisis:write",
  "crisis.manage": "crisis:write",
  "crisis.plans": "crisis:write",
  "crisis.severities": "crisis:write",
  "crisis.secure": "crisis:write",
} as const satisfies Record<WorkspaceAction, TokenScope>;

/** Who is acting. A user acts through a session or a personal API token (then limited to its scopes). */
export type Actor =
  | {
      type: "user";
      userId: string;
      email: string;
      name: string;
      role: Role | null;
      via: "session" | "api_token";
      sessionId?: string;
      tokenId?: string;
      scopes?: readonly TokenScope[];
    }
  | { type: "system"; label: string }
  | { type: "anonymous" };

export type UserActor = Extract<Actor, { type: "user" }>;

export function roleAllows(role: Role | null, action: WorkspaceAction): boolean {
  return role !== null && (ROLE_ALLOWS[role] as readonly WorkspaceAction[]).includes(action);
}

/** True when the actor may perform the action in its current workspace. The system actor may do anything. */
export function can(actor: Actor, action: WorkspaceAction): boolean {
  if (actor.type === "system") return true;
  if (actor.type !== "user") return false;
  if (!roleAllows(actor.role, action)) return false;
  if (actor.via === "api_token") return (actor.scopes ?? []).includes(ACTION_SCOPE[action]);
  return true;
}

/** Throws `forbidden` unless the actor may perform the action. */
export function authorize(actor: Actor, action: WorkspaceAction): void {
  if (!can(actor, action)) throw forbidden();
}

/** The `can` block sent to the web app: every action with a yes or no. */
export function permissionsOf(actor: Actor): Record<WorkspaceAction, boolean> {
  return Object.fromEntries(WORKSPACE_ACTIONS.map((a) => [a, can(actor, a)])) as Record<WorkspaceAction, boolean>;
}

/**
 * Whether `actorRole` may move a member from `currentRole` to `newRole`: only owners touch the owner role;
 * admins manage roles below owner. (The last-owner rule needs data and lives in the command.)
 */
export function mayAssignRole(actorRole: Role | null, currentRole: Role, newRole: Role): boolean {
  if (!actorRole || !roleAllows(actorRole, "members.change_role")) return false;
  if (actorRole === "owner") return true;
  return currentRole !== "owner" && newRole !== "owner";
}

/** Whether `actorRole` may remove a member who has `targetRole`. */
export function mayRemoveMember(actorRole: Role | null, targetRole: Role): boolean {
  if (!actorRole || !roleAllows(actorRole, "members.remove")) return false;
  return actorRole === "owner" || targetRole !== "owner";
}

/** Whether `actorRole` may invite someone with `role`. */
export function mayInviteAs(actorRole: Role | null, role: Role): boolean {
  if (!actorRole || !roleAllows(actorRole, "members.invite")) return false;
  return actorRole === "owner" || role !== "owner";
}

// ── Channel levels ─────────────────────────────────────────────────────────────────────────────────────────

/** Whether `level` allows `action` on the channel. */
export function levelAllows(level: ChannelLevel, action: ChannelAction): boolean {
  return (CHANNEL_LEVEL_ALLOWS[level] as readonly ChannelAction[]).includes(action);
}

/** The highest of several levels (a person's own grant and their teams'); none when there are none. */
export function highestLevel(levels: Iterable<ChannelLevel>): ChannelLevel {
  let best = 0;
  for (const level of levels) best = Math.max(best, CHANNEL_LEVELS.indexOf(level));
  return CHANNEL_LEVELS[best];
}

/**
 * The level a role has on every channel without any grant: owners and admins manage the channels, so they may do
 * everything on each; the others have what their grants give them.
 */
export function levelByRole(role: Role | null): ChannelLevel {
  return role !== null && roleAllows(role, "channels.manage") ? "publish" : "none";
}

/** The API token scope a channel action needs: reading needs channels:read; drafting, replying and publishing channels:write. */
export const CHANNEL_ACTION_SCOPE = {
  read: "channels:read",
  draft: "channels:write",
  reply: "channels:write",
  publish: "channels:write",
} as const satisfies Record<ChannelAction, TokenScope>;

/**
 * True when the actor, whose level on the channel is `level`, may do `action` there: the level allows it, and an API
 * token has the action's scope. The system actor may do anything.
 */
export function canOnChannel(actor: Actor, level: ChannelLevel, action: ChannelAction): boolean {
  if (actor.type === "system") return true;
  if (actor.type !== "user" || !roleAllows(actor.role, "channels.read")) return false;
  if (!levelAllows(level, action)) return false;
  if (actor.via === "api_token") return (actor.scopes ?? []).includes(CHANNEL_ACTION_SCOPE[action]);
  return true;
}
