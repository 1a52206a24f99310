import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, bigserial } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";
import { channels } from "../channels/channels.schema";
import { posts } from "./publishing.schema";

/**
 * Who a step names. A person, a team (any one of its members fills it), a role (anyone with it fills it) or, only in
 * a run, "anyone with Full publishing on this channel" (the default workflow of a channel without one).
 */
export type ApproverRef =
  | { kind: "user"; userId: string }
  | { kind: "team"; teamId: string }
  | { kind: "role"; role: "owner" | "admin" | "manager" | "member" }
  /** Someone without an account (a client, an influencer): they decide through a link mailed to them. */
  | { kind: "external"; email: string; name: string }
  | { kind: "channel_publishers"; channelId: string }
  /** Only in a run submitted during a crisis lock down: that crisis's team decides (see lockdown-policy.ts). */
  | { kind: "crisis_team"; crisisId: string; ref: string };
/** A step: its approvers (each one a slot) and whether any one of them or all of them must approve. */
export type ApprovalStep = { mode: "any" | "all"; approvers: ApproverRef[] };

/** An approval workflow an admin defined for the workspace: ordered steps. Channels point at it (below). */
export const approvalWorkflows = pgTable(
  "approval_workflows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    steps: jsonb("steps").$type<ApprovalStep[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("approval_workflows_workspace").on(t.workspaceId)],
);

/** Which workflow a channel's posts go through (at most one per channel; none: only "Approval required" writers, by the default). */
export const channelApprovalWorkflows = pgTable("channel_approval_workflows", {
  channelId: uuid("channel_id").primaryKey().references(() => channels.id, { onDelete: "cascade" }),
  workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  workflowId: uuid("workflow_id").notNull().references(() => approvalWorkflows.id, { onDelete: "cascade" }),
});

/**
 * One submission of a post for approval, bound to the exact content submitted (`contentHash`, `version`). Its steps
 * are resolved when it is submitted (the workflows of all the post's channels, one after the other).
 * status: pending → approved | rejected | invalidated (the content changed) | expired (not approved in time).
 */
export const approvalRuns = pgTable(
  "approval_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    postId: uuid("post_id").notNull().references(() => posts.id, { onDelete: "cascade" }),
    contentHash: text("content_hash").notNull(),
    version: integer("version").notNull(),
    status: text("status").notNull(),
    steps: jsonb("steps").$type<Array<ApprovalStep & { label: string }>>().notNull(),
    /** The index of the step waiting for decisions (= steps.length once approved). */
    currentStep: integer("current_step").notNull().default(0),
    submittedBy: uuid("submitted_by").references(() => users.id, { onDelete: "set null" }),
    /** Reminders already mailed for this run ("24h", "1h"): each once. */
    remindersSent: text("reminders_sent").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [index("approval_runs_post").on(t.postId), index("approval_runs_workspace_status").on(t.workspaceId, t.status)],
);

/** A decision on one step of a run: who, which slot of the step it filled, on which version, and why. */
export const approvalDecisions = pgTable(
  "approval_decisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    runId: uuid("run_id").notNull().references(() => approvalRuns.id, { onDelete: "cascade" }),
    step: integer("step").notNull(),
    /** The index of the slot (approver) in the step it filled; null for a rejection. */
    slot: integer("slot"),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    actorLabel: text("actor_label").notNull(),
    decision: text("decision").notNull(),
    comment: text("comment"),
    contentHash: text("content_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("approval_decisions_one_per_person").on(t.runId, t.step, t.userId), index("approval_decisions_run").on(t.runId)],
);
