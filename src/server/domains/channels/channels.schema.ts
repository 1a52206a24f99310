import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { ChannelLevel } from "../../../contracts/roles";
import { users } from "../identity/identity.schema";
import { teams, workspaces } from "../workspaces/workspaces.schema";

/**
 * A channel is one of the brand's social accounts connected to a workspace. Its credentials are sealed with the
 * server key (AES-256-GCM) and never leave the server.
 */
export const channels = pgTable(
  "channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    network: text("network").notNull(),
    networkAccountId: text("network_account_id").notNull(),
    handle: text("handle").notNull(),
    displayName: text("display_name").notNull(),
    avatarUrl: text("avatar_url"),
    profileUrl: text("profile_url"),
    /** The account's server on networks of many servers (a Mastodon instance, a Bluesky PDS); null: the network's only one. */
    serviceUrl: text("service_url"),
    /** Sealed JSON of the connector's Credentials. */
    credentials: text("credentials").notNull(),
    /** active | needs_reconnect | disconnected */
    status: text("status").notNull().default("active"),
    credentialsExpireAt: timestamp("credentials_expire_at", { withTimezone: true }),
    lastVerifiedAt: timestamp("last_verified_at", { withTimezone: true }),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
    lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
    lastError: text("last_error"),
    connectedBy: uuid("connected_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    disconnectedAt: timestamp("disconnected_at", { withTimezone: true }),
  },
  (t) => [
    index("channels_workspace").on(t.workspaceId),
    // One live connection of an account per workspace; a disconnected one may be connected again.
    uniqueIndex("channels_live_account").on(t.workspaceId, t.network, t.networkAccountId).where(sql`${t.disconnectedAt} is null`),
  ],
);

/**
 * A connect through the network's OAuth 2 flow (PKCE) between leaving for the network and coming back: the state
 * (stored as its SHA-256), the sealed code verifier and whatever the connector needs back (its `pending`). Used once;
 * expires after 15 minutes. `channelId` is set when this reconnects an existing channel (then the account must be the
 * same one); `reconnectLinkId` when a reconnect link started it.
 */
export const channelAuthorizations = pgTable(
  "channel_authorizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    network: text("network").notNull(),
    stateHash: text("state_hash").notNull(),
    /** Sealed JSON: { codeVerifier, pending }. */
    secrets: text("secrets").notNull(),
    redirectUri: text("redirect_uri").notNull(),
    serviceUrl: text("service_url"),
    channelId: uuid("channel_id").references(() => channels.id, { onDelete: "cascade" }),
    reconnectLinkId: uuid("reconnect_link_id").references(() => channelReconnectLinks.id, { onDelete: "cascade" }),
    startedBy: uuid("started_by").references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("channel_authorizations_state").on(t.stateHash)],
);

/**
 * A link that lets the account's owner (who may have no seat in Parapet) reconnect one channel, and nothing else:
 * stored as its SHA-256, expires (7 days), used once, revocable.
 */
export const channelReconnectLinks = pgTable(
  "channel_reconnect_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    /** Whom it was sent to, when Parapet mailed it. */
    sentTo: text("sent_to"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("channel_reconnect_links_token").on(t.tokenHash), index("channel_reconnect_links_channel").on(t.channelId)],
);

/**
 * Who may do what on a channel: a level for one person or for a team. A person's level on a channel is the highest of
 * their own grant and the grants of their teams; no grant is No access. ("none" is never stored: it is the absence
 * of a grant.) Owners and admins manage every channel and need no grant.
 */
export const channelGrants = pgTable(
  "channel_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    level: text("level").$type<Exclude<ChannelLevel, "none">>().notNull(),
    grantedBy: uuid("granted_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("channel_grants_person").on(t.channelId, t.userId).where(sql`${t.userId} is not null`),
    uniqueIndex("channel_grants_team").on(t.channelId, t.teamId).where(sql`${t.teamId} is not null`),
    index("channel_grants_workspace").on(t.workspaceId),
    check("channel_grants_one_subject", sql`(${t.userId} is null) <> (${t.teamId} is null)`),
    check("channel_grants_level", sql`${t.level} in ('read', 'approval_required', 'reply', 'publish')`),
  ],
);
