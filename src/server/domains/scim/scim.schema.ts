import { sql } from "drizzle-orm";
import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema";
import { teams, workspaces } from "../workspaces/workspaces.schema";

/**
 * A workspace's SCIM bearer token, for its identity provider (Okta, Entra ID…). Shown once when made; only its
 * SHA-256 is kept, like personal API tokens. A revoked token stays listed with when it was revoked.
 */
export const scimTokens = pgTable(
  "scim_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** First characters of the token, so admins can tell their tokens apart. */
    prefix: text("prefix").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("scim_tokens_workspace").on(t.workspaceId)],
);

/**
 * A person as the workspace's identity provider knows them: the provider's userName and externalId, and the parts
 * of their name it sent. It outlives the membership: a deprovisioned person (`active: false`) stays here, so the
 * provider can still read them and bring them back; DELETE removes the row.
 */
export const scimUsers = pgTable(
  "scim_users",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    userName: text("user_name").notNull(),
    externalId: text("external_id"),
    givenName: text("given_name"),
    familyName: text("family_name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), uniqueIndex("scim_users_workspace_user_name").on(t.workspaceId, sql`lower(${t.userName})`)],
);

/** The identity provider's id (externalId) of a group, which is one of the workspace's teams. */
export const scimGroups = pgTable("scim_groups", {
  teamId: uuid("team_id").primaryKey().references(() => teams.id, { onDelete: "cascade" }),
  workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  externalId: text("external_id"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
