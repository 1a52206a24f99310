import { z } from "zod";

/** Workspace roles, strongest first. */
export const ROLES = ["owner", "admin", "manager", "member"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** What a person may do in a workspace; the server sends these as the `can` block, the web app shows buttons from it. */
export const WORKSPACE_ACTIONS = [
  "workspace.read",
  "workspace.update",
  "members.read",
  "members.invite",
  "members.change_role",
  "members.remove",
  "teams.read",
  "teams.manage",
  "audit.read",
  "audit.export",
  "audit.verify",
  "outbox.read",
  "channels.read",
  "channels.manage",
  "sandbox.manage",
  "posts.read",
  "posts.write",
  "publishing.pause",
  "approvals.manage",
  "access_review.read",
  "access_review.sign_off",
  "listening.read",
  "listening.correct",
  "listening.manage",
  "alerts.handle",
  "alerts.destinations",
  "crisis.read",
  "crisis.respond",
  "crisis.declare",
  "crisis.manage",
  "crisis.plans",
  "crisis.severities",
  "crisis.secure",
] as const;
export const WorkspaceAction = z.enum(WORKSPACE_ACTIONS);
export type WorkspaceAction = z.infer<typeof WorkspaceAction>;

/** Scopes of personal API tokens: one read and one write scope per area. */
export const TOKEN_SCOPES = ["workspace:read", "workspace:write", "members:read", "members:write", "teams:read", "teams:write", "audit:read", "channels:read", "channels:write", "posts:read", "posts:write", "listening:read", "listening:write", "crisis:read", "crisis:write"] as const;
export const TokenScope = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof TokenScope>;

/**
 * What a person may do on one channel, weakest first: No access, Read only, Approval required (drafts go through
 * approval), Can reply, Full publishing. A person's level is the highest of their own grant and their teams' grants.
 */
export const CHANNEL_LEVELS = ["none", "read", "approval_required", "reply", "publish"] as const;
export const ChannelLevel = z.enum(CHANNEL_LEVELS);
export type ChannelLevel = z.infer<typeof ChannelLevel>;

/** Actions on one channel; each level allows some (see CHANNEL_LEVEL_ALLOWS in src/server/authz). */
export const CHANNEL_ACTIONS = ["read", "draft", "reply", "publish"] as const;
export const ChannelAction = z.enum(CHANNEL_ACTIONS);
export type ChannelAction = z.infer<typeof ChannelAction>;

/**
 * What each channel level allows on that channel (interns draft and their drafts need approval; managers publish).
 * Shared with the web app, whose access page shows it as a legend.
 */
export const CHANNEL_LEVEL_ALLOWS = {
  none: [],
  read: ["read"],
  approval_required: ["read", "draft"],
  reply: ["read", "draft", "reply"],
  publish: ["read", "draft", "reply", "publish"],
} as const satisfies Record<ChannelLevel, readonly ChannelAction[]>;

export const LOCALES = ["en", "de", "it", "nl", "fa"] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;
export const RTL_LOCALES: readonly Locale[] = ["fa"];
