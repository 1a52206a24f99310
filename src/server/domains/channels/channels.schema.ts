import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";

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
