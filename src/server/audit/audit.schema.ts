import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Append-only, hash-chained audit log. `seq` orders the chain; each row's `hash` covers its content and the
 * previous row's hash, so an edited, removed or reordered row breaks the chain. A trigger (migration) refuses
 * UPDATE and DELETE; verification does not rely on it.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    id: uuid("id").notNull().defaultRandom().unique(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "string" }).notNull(),
    workspaceId: uuid("workspace_id"),
    actorType: text("actor_type").notNull(), // user | api_token | system | external
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    data: jsonb("data").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_events_workspace_seq").on(t.workspaceId, t.seq), index("audit_events_action").on(t.action)],
);

/** The newest link of the chain, updated with every append: lets `audit verify` notice a truncated tail. */
export const auditChainHead = pgTable("audit_chain_head", {
  id: text("id").primaryKey(), // always 'head'
  lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
  lastHash: text("last_hash").notNull(),
});
