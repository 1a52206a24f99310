import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";
import { alertDestinations, listeningAlerts } from "../listening/listening.schema";
import { posts, postTargets, publishingPauses } from "../publishing/publishing.schema";

/**
 * The crisis module's tables. The shapes follow how incident tools model a response (see docs/crisis.md and
 * ../shared/notes/crisis-domain.md): configuration (severities, versioned plans), the crisis itself with a
 * lifecycle, crisis mode, and the room (timeline, tasks, status updates, statements), then review and drills.
 * Content that is edited and versioned as one whole (a plan's roles, checklist, statements) is one jsonb document
 * validated by its zod contract; everything that is queried, counted or changed on its own is a row.
 */

/**
 * Severity levels of a workspace: SEV1 (most urgent) … SEV4 by default, editable. What each means, who approves
 * statements, whether crisis mode starts on its own, and how often internal and public updates are due.
 */
export const crisisSeverities = pgTable(
  "crisis_severities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    /** 1 is the most urgent. */
    level: integer("level").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** The plan role whose holder approves statements at this level: lead | pr | legal | executive. */
    approverRole: text("approver_role").notNull().default("lead"),
    /** Crisis mode (pause, lock down) starts when a crisis of this level becomes active. */
    autoCrisisMode: boolean("auto_crisis_mode").notNull().default(false),
    internalUpdateMinutes: integer("internal_update_minutes").notNull(),
    /** Null: no public update cadence at this level. */
    publicUpdateMinutes: integer("public_update_minutes"),
    /** Minutes a fast-track statement waits for its approver before it goes to the backup. */
    approvalDeadlineMinutes: integer("approval_deadline_minutes").notNull().default(15),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("crisis_severities_level").on(t.workspaceId, t.level)],
);

/**
 * A plan (playbook) for one scenario. Its content lives in versions: editing a plan writes a new version, and a
 * crisis keeps the version it was declared with.
 */
export const crisisPlans = pgTable(
  "crisis_plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    /** hacked_account | viral_complaint | offensive_post | employee_misconduct | product_recall | impostor_scam | insensitive_scheduled | data_leak | custom */
    scenario: text("scenario").notNull(),
    name: text("name").notNull(),
    /** The newest version's number. */
    currentVersion: integer("current_version").notNull().default(1),
    /** Set when a drill of this plan finishes. */
    lastDrilledAt: timestamp("last_drilled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [index("crisis_plans_workspace").on(t.workspaceId, t.archivedAt)],
);

/**
 * One version of a plan: the whole content as one document (contracts: CrisisPlanContent) — roles with a holder
 * and a backup each, the first-hour checklist with timed steps, holding statements per language (each with its
 * approval), stakeholders to notify, the streams and alert kinds that propose this plan, the default severity.
 */
export const crisisPlanVersions = pgTable(
  "crisis_plan_versions",
  {
    planId: uuid("plan_id").notNull().references(() => crisisPlans.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    content: jsonb("content").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** What changed, in the editor's words. */
    note: text("note"),
  },
  (t) => [primaryKey({ columns: [t.planId, t.version] })],
);

/**
 * A crisis (or a drill's). status: triage → active ⇄ stable → closed, plus cancelled and merged; the transition
 * table is in crises/transitions.ts. Every milestone keeps its own timestamp so the review can compute its times.
 */
export const crises = pgTable(
  "crises",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    /** Per workspace, shown as CR-<number>. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    planId: uuid("plan_id").references(() => crisisPlans.id, { onDelete: "set null" }),
    planVersion: integer("plan_version"),
    scenario: text("scenario").notNull(),
    severityLevel: integer("severity_level").notNull(),
    status: text("status").notNull(),
    /** A drill never touches real channels or real metrics (crisis mode acts on Sandbox channels only). */
    isDrill: boolean("is_drill").notNull().default(false),
    /** alert | inbox | manual | drill */
    originKind: text("origin_kind").notNull(),
    originAlertId: uuid("origin_alert_id").references(() => listeningAlerts.id, { onDelete: "set null" }),
    /** The inbox conversation (or other outside reference) it was declared from. */
    originRef: text("origin_ref"),
    declaredBy: uuid("declared_by").references(() => users.id, { onDelete: "set null" }),
    /** When the first signal was seen (the alert's time), when declared, and each later milestone. */
    detectedAt: timestamp("detected_at", { withTimezone: true }),
    declaredAt: timestamp("declared_at", { withTimezone: true }).notNull(),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
    stableAt: timestamp("stable_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    mergedIntoId: uuid("merged_into_id"),
    firstPublicResponseAt: timestamp("first_public_response_at", { withTimezone: true }),
    resolution: text("resolution"),
    nextInternalUpdateDueAt: timestamp("next_internal_update_due_at", { withTimezone: true }),
    nextPublicUpdateDueAt: timestamp("next_public_update_due_at", { withTimezone: true }),
    /** Optimistic concurrency: changes send the version they read. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("crises_number").on(t.workspaceId, t.number), index("crises_workspace_status").on(t.workspaceId, t.status)],
);

/**
 * Who holds which crisis role, append-only: a hand-over renounces the old row and adds a new one, so the current
 * holder is the row without `renouncedAt`. The crisis team is everyone holding a current role (backups included).
 * role: lead | pr | legal | customer_care | social | security | executive | scribe | member
 */
export const crisisRoles = pgTable(
  "crisis_roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    crisisId: uuid("crisis_id").notNull().references(() => crises.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    isBackup: boolean("is_backup").notNull().default(false),
    assumedAt: timestamp("assumed_at", { withTimezone: true }).notNull(),
    renouncedAt: timestamp("renounced_at", { withTimezone: true }),
  },
  (t) => [index("crisis_roles_crisis").on(t.crisisId, t.renouncedAt)],
);

/**
 * Crisis mode: one activation of its parts (pause, lock down, secure, notify), each switchable. `pauseId` is the
 * publishing pause it started; the secure and notify parts record what they did (contracts: CrisisModeRecord).
 */
export const crisisModes = pgTable(
  "crisis_modes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    crisisId: uuid("crisis_id").notNull().references(() => crises.id, { onDelete: "cascade" }),
    pause: boolean("pause").notNull(),
    /** Null with pause on: every channel. */
    pauseChannelIds: uuid("pause_channel_ids").array(),
    pauseId: uuid("pause_id").references(() => publishingPauses.id, { onDelete: "set null" }),
    lockdown: boolean("lockdown").notNull(),
    /** What "secure" did: sessions ended (user ids), channels whose credentials were revoked, re-authentication forced. */
    secured: jsonb("secured"),
    /** Who was notified, where, and whether delivery worked. */
    notified: jsonb("notified"),
    /** Why, as a person wrote it: the one who started crisis mode, or (started automatically) the crisis's declared summary or title. */
    reason: text("reason").notNull(),
    /** Started by itself because this severity level starts crisis mode (automatic crisis mode); null: a person started it. */
    automaticSeverity: integer("automatic_severity"),
    activatedBy: uuid("activated_by").references(() => users.id, { onDelete: "set null" }),
    activatedAt: timestamp("activated_at", { withTimezone: true }).notNull(),
    endedBy: uuid("ended_by").references(() => users.id, { onDelete: "set null" }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** Crisis mode explicitly kept on when its crisis closed. */
    keptOnClose: boolean("kept_on_close").notNull().default(false),
  },
  (t) => [index("crisis_modes_active").on(t.workspaceId, t.endedAt), index("crisis_modes_crisis").on(t.crisisId)],
);

/**
 * A crisis mode's message to one of the workspace's alert destinations (a stakeholder's Slack, Teams, webhook or
 * mail): an outbox row, claimed by the `crisis.deliver-notices` job and retried with backoff the way alert
 * deliveries are (listening/alerts/deliver-alerts.ts sends it). `message` is the text as written when crisis mode
 * started, in the destination's language. A mail destination's notice is not sent from here: its mails go into the
 * mail outbox with crisis mode, and the notice keeps their ids (status `mailed`); so does a mail to a plain address
 * (a plan's stakeholder, a crisis team member: no destination, `recipient_*` say who).
 */
export const crisisNotices = pgTable(
  "crisis_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    crisisId: uuid("crisis_id").notNull().references(() => crises.id, { onDelete: "cascade" }),
    modeId: uuid("mode_id").notNull().references(() => crisisModes.id, { onDelete: "cascade" }),
    /** The alert destination; null for a mail to a plain address (a plan's stakeholder or a crisis team member). */
    destinationId: uuid("destination_id").references(() => alertDestinations.id, { onDelete: "cascade" }),
    /** destination | stakeholder (a plan's stakeholder by plain address) | team (a crisis team member). */
    recipientKind: text("recipient_kind").notNull().default("destination"),
    /** A stakeholder's name in the plan, or the team member's name, as when the notice went out. */
    recipientName: text("recipient_name"),
    /** A team member's crisis role(s), e.g. "lead, legal". */
    recipientRole: text("recipient_role"),
    /** A stakeholder's plain address (the plan shows it to the same readers); never a team member's. */
    recipientAddress: text("recipient_address"),
    message: jsonb("message").notNull(),
    /** pending | delivered | failed (sent from here); mailed (a mail destination's: its delivery is its mails'). */
    status: text("status").notNull().default("pending"),
    /** A mail destination's notice: its mails in the mail outbox (one per address), whose delivery is the notice's. */
    mailIds: uuid("mail_ids").array(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("crisis_notices_mode_destination").on(t.modeId, t.destinationId), index("crisis_notices_due").on(t.status, t.nextAttemptAt)],
);

/**
 * Every post held by a crisis's pause, and the decision on it: pending | resume | reschedule | edit | discard.
 * Closing the crisis needs a decision on each (never all at once by default).
 */
export const crisisHeldPosts = pgTable(
  "crisis_held_posts",
  {
    crisisId: uuid("crisis_id").notNull().references(() => crises.id, { onDelete: "cascade" }),
    postTargetId: uuid("post_target_id").notNull().references(() => postTargets.id, { onDelete: "cascade" }),
    /** When it was due before the pause. */
    previousDueAt: timestamp("previous_due_at", { withTimezone: true }),
    decision: text("decision").notNull().default("pending"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.crisisId, t.postTargetId] })],
);

/**
 * The timeline: automatic events (declared, status and severity changes, crisis mode, statements, alerts, volume
 * changes, role changes) and people's notes; `pinned` marks the key moments the review is built from. Written only
 * through timeline.ts `recordCrisisEvent`. Types: CRISIS_EVENT_TYPES in src/contracts/crisis-timeline.ts.
 */
export const crisisEvents = pgTable(
  "crisis_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    crisisId: uuid("crisis_id").notNull().references(() => crises.id, { onDelete: "cascade" }),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    /** Order of writing: events at the same moment (declared, then crisis mode on) read in the order they happened. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    type: text("type").notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    actorLabel: text("actor_label").notNull(),
    /** A note's text; empty for automatic events (the web app words them from type + data). */
    text: text("text").notNull().default(""),
    data: jsonb("data").notNull().default({}),
    pinned: boolean("pinned").notNull().default(false),
  },
  (t) => [index("crisis_events_crisis").on(t.crisisId, t.occurredAt)],
);

/**
 * Tasks: from the plan's checklist (source plan, due at declaration + offset), ad hoc ones, and the review's action
 * items (source review; `updatesPlan` when done should change the plan). status: open | done | skipped.
 * kind: research | publishing | engagement | security | communication | other
 */
export const crisisTasks = pgTable(
  "crisis_tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    crisisId: uuid("crisis_id").notNull().references(() => crises.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    planStepId: text("plan_step_id"),
    kind: text("kind").notNull().default("other"),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    /** The plan role that owns it, until a person is named. */
    ownerRole: text("owner_role"),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
    dueAt: timestamp("due_at", { withTimezone: true }),
    status: text("status").notNull().default("open"),
    doneBy: uuid("done_by").references(() => users.id, { onDelete: "set null" }),
    doneAt: timestamp("done_at", { withTimezone: true }),
    lastRemindedAt: timestamp("last_reminded_at", { withTimezone: true }),
    updatesPlan: boolean("updates_plan").notNull().default(false),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("crisis_tasks_crisis").on(t.crisisId, t.status), index("crisis_tasks_due").on(t.status, t.dueAt)],
);

/** Internal status updates. kind tactical: {conditions, actions, needs}; executive: {status, overview, nextSteps}. */
export const crisisStatusUpdates = pgTable(
  "crisis_status_updates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    crisisId: uuid("crisis_id").notNull().references(() => crises.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    body: jsonb("body").notNull(),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("crisis_status_updates_crisis").on(t.crisisId, t.createdAt)],
);

/**
 * Public statements: started from a holding template (or blank), a text per channel and language, fast-track
 * approval by the plan's approver with a deadline that escalates to the backup, then published to the chosen
 * channels at once (through publishing: `postId`). kind: holding | update | resolution | reply | thread.
 * status: draft → in_review → approved → published, or rejected / withdrawn.
 */
export const crisisStatements = pgTable(
  "crisis_statements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    crisisId: uuid("crisis_id").notNull().references(() => crises.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** The plan's holding statement it started from. */
    templateId: text("template_id"),
    locale: text("locale").notNull(),
    body: text("body").notNull(),
    /** [{channelId, body}]: a channel's own text where it differs from `body`. */
    variants: jsonb("variants").notNull().default([]),
    channelIds: uuid("channel_ids").array().notNull().default([]),
    status: text("status").notNull().default("draft"),
    approverId: uuid("approver_id").references(() => users.id, { onDelete: "set null" }),
    backupApproverId: uuid("backup_approver_id").references(() => users.id, { onDelete: "set null" }),
    submittedBy: uuid("submitted_by").references(() => users.id, { onDelete: "set null" }),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    deadlineAt: timestamp("deadline_at", { withTimezone: true }),
    /** When the deadline passed and the backup was asked. */
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionComment: text("decision_comment"),
    postId: uuid("post_id").references(() => posts.id, { onDelete: "set null" }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("crisis_statements_crisis").on(t.crisisId, t.status), index("crisis_statements_deadline").on(t.status, t.deadlineAt)],
);

/**
 * The post-crisis review (blameless), one per crisis: drafted from the timeline when the crisis closes. `figures`
 * are computed (times to detect, declare, respond; approval times; held posts; volume before/peak/after), `content`
 * is what people write (summary, what happened, went well, to change). status: draft | published | skipped.
 */
export const crisisReviews = pgTable("crisis_reviews", {
  crisisId: uuid("crisis_id")
    .primaryKey()
    .references(() => crises.id, { onDelete: "cascade" }),
  status: text("status").notNull().default("draft"),
  ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
  figures: jsonb("figures").notNull(),
  content: jsonb("content").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  publishedAt: timestamp("published_at", { withTimezone: true }),
});

/**
 * A drill: a plan's scenario played on the Sandbox network as a crisis with isDrill, with timed injects
 * ([{atMinute, kind, payload, deliveredAt}]) and a score from the timeline when it ends.
 * status: running | finished | abandoned
 */
export const crisisDrills = pgTable(
  "crisis_drills",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    planId: uuid("plan_id").references(() => crisisPlans.id, { onDelete: "set null" }),
    crisisId: uuid("crisis_id").references(() => crises.id, { onDelete: "set null" }),
    /** The Sandbox scenario played. */
    sandboxScenario: text("sandbox_scenario").notNull(),
    /**
     * The Sandbox scenario run (sandbox_scenario_runs.id; the network's table, so no foreign key) this drill plays
     * and stops when it finishes: the run it started, or another running drill's run it joined. Null when it joined
     * a run someone started on the Sandbox page (that run is theirs and keeps playing), and on drills from before.
     */
    sandboxRunId: uuid("sandbox_run_id"),
    status: text("status").notNull().default("running"),
    injects: jsonb("injects").notNull().default([]),
    score: jsonb("score"),
    debrief: text("debrief").notNull().default(""),
    startedBy: uuid("started_by").references(() => users.id, { onDelete: "set null" }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("crisis_drills_workspace").on(t.workspaceId, t.startedAt)],
);
