import type { ChannelAction, ChannelLevel, Locale, Role, TokenScope, WorkspaceAction } from "../../contracts/roles";

/** Shapes of the API's answers, as the web app reads them (see docs/api or /api/v1/docs). */

export type SessionState = "active" | "mfa_challenge" | "mfa_enrolment_required";

export type User = {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  mfaEnabled: boolean;
  /** An admin removed their second factors after a lost device: they set up a new one before anything else. */
  mfaReenrolmentRequired: boolean;
  createdAt: string;
};

export type Workspace = {
  id: string;
  name: string;
  slug: string;
  requireMfa: boolean;
  isDemo: boolean;
  createdAt: string;
};

export type Me = {
  user: User;
  state: SessionState;
  workspace: Workspace | null;
  role: Role | null;
  can: Partial<Record<WorkspaceAction, boolean>>;
  workspaces: { id: string; name: string; role: Role }[];
};

export type SignInResult = { status: "signed_in" | "mfa_required" };

export type InvitationPreview = {
  email: string;
  role: Role;
  workspaceName: string;
  expiresAt: string;
  existingUser: boolean;
};

export type Session = {
  id: string;
  current: boolean;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  expiresAt: string;
};

export type MfaSetup = { secret: string; otpauthUrl: string; qrCodeDataUrl: string };

export type ApiToken = {
  id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  active: boolean;
};

export type Member = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  mfaEnabled: boolean;
  teamIds: string[];
  joinedAt: string;
  lastSeenAt: string | null;
  /** A partner (agency): their organisation and when their access ends by itself. */
  partner: { organization: string; accessEndsAt: string | null } | null;
};

export type Invitation = {
  id: string;
  email: string;
  role: Role;
  teamIds: string[];
  status: "pending" | "accepted" | "revoked" | "expired";
  createdAt: string;
  expiresAt: string;
};

export type Team = {
  id: string;
  name: string;
  description: string | null;
  memberIds: string[];
  createdAt: string;
};

export type OutboxMail = {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
};

export type AuditEvent = {
  seq: number;
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
};

export type AuditPage = { events: AuditEvent[]; nextCursor: number | null; actions: string[] };

export type AuditVerification = { ok: boolean; rows: number; firstBadSeq?: number; message?: string };

export type ChannelStatus = "active" | "needs_reconnect" | "disconnected";

/** A connected account with its health; credentials never reach the browser. */
export type Channel = {
  id: string;
  network: string;
  networkAccountId: string;
  handle: string;
  displayName: string;
  avatarUrl: string | null;
  profileUrl: string | null;
  /** The account's server on networks of many servers (a Mastodon instance); null: the network's only one. */
  serviceUrl: string | null;
  status: ChannelStatus;
  health: {
    tokenValid: boolean;
    expiresAt: string | null;
    expiresInSeconds: number | null;
    lastVerifiedAt: string | null;
    lastSuccessAt: string | null;
    lastErrorAt: string | null;
    lastError: string | null;
  };
  /** What the reader may do on this channel: their level and the actions it allows. */
  access: { level: ChannelLevel; can: Record<ChannelAction, boolean> };
  connectedBy: string | null;
  createdAt: string;
  disconnectedAt: string | null;
};

/** Where the account lives, for networks of many servers (required for Mastodon, optional for Bluesky). */
export type ServiceUrlField = { required: boolean; defaultUrl: string | null };

export type ConnectMethod =
  | { kind: "oauth2_pkce"; scopes: string[]; serviceUrl?: ServiceUrlField }
  | { kind: "app_password"; identifierLabel: string; passwordLabel: string; serviceUrl?: ServiceUrlField }
  | { kind: "sandbox" };

/** A network this server can connect channels to. */
export type NetworkInfo = {
  network: string;
  displayName: string;
  connectMethod: ConnectMethod;
  capabilities: Record<string, boolean>;
  limits: { textLength: number; media: { maxCount: number; types: string[]; maxBytes: number; altTextLength: number }; linkLength: number | null };
};

export type ReconnectLink = {
  id: string;
  channelId: string;
  sentTo: string | null;
  status: "open" | "used" | "revoked" | "expired";
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
};

/** What a reconnect link's holder sees. */
export type ReconnectLinkView = {
  workspaceName: string;
  network: Pick<NetworkInfo, "network" | "displayName" | "connectMethod">;
  channel: { handle: string; displayName: string; status: ChannelStatus; serviceUrl: string | null };
  expiresAt: string;
};


/** Who may do what on each channel (GET /channel-access). */
export type ChannelAccessMatrix = {
  channels: Array<{ id: string; network: string; handle: string; displayName: string }>;
  people: Array<{
    userId: string;
    name: string;
    email: string;
    role: Role;
    teamIds: string[];
    levels: Record<string, { level: ChannelLevel; sources: { role: ChannelLevel; direct: ChannelLevel; teams: Array<{ teamId: string; level: ChannelLevel }> } }>;
  }>;
  teams: Array<{ id: string; name: string; levels: Record<string, ChannelLevel> }>;
};
