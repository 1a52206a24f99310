import { z } from "zod";
import { AlertKind } from "./listening-alerts";

/**
 * The shapes every part of the crisis module shares: scenarios, crisis roles, and a plan's content (one versioned
 * document). Plan, severity and readiness request/response shapes are added below by the plans part.
 */

/** The eight scenarios the articles behind Parapet name, each with a ready template; `custom` for the brand's own. */
export const CRISIS_SCENARIOS = [
  "hacked_account",
  "viral_complaint",
  "offensive_post",
  "employee_misconduct",
  "product_recall",
  "impostor_scam",
  "insensitive_scheduled",
  "data_leak",
  "custom",
] as const;
export const CrisisScenario = z.enum(CRISIS_SCENARIOS);
export type CrisisScenario = z.infer<typeof CrisisScenario>;

/** Roles a plan names, each with a holder and a backup. A crisis adds `scribe` and plain `member`s ad hoc. */
export const PLAN_ROLES = ["lead", "pr", "legal", "customer_care", "social", "security", "executive"] as const;
export const PlanRoleKey = z.enum(PLAN_ROLES);
export type PlanRoleKey = z.infer<typeof PlanRoleKey>;
export const CRISIS_ROLES = [...PLAN_ROLES, "scribe", "member"] as const;
export const CrisisRoleKey = z.enum(CRISIS_ROLES);
export type CrisisRoleKey = z.infer<typeof CrisisRoleKey>;

export const TASK_KINDS = ["research", "publishing", "engagement", "security", "communication", "other"] as const;
export const TaskKind = z.enum(TASK_KINDS);

/** Languages a holding statement can be written in (the brand's languages, wider than the UI's five). */
export const STATEMENT_LOCALES = ["en", "de", "it", "nl", "fa", "fr", "es", "pt", "ar"] as const;
export const StatementLocale = z.enum(STATEMENT_LOCALES);

export const PlanRole = z.object({
  role: PlanRoleKey,
  holderId: z.uuid().nullable(),
  backupId: z.uuid().nullable(),
});

/** A first-hour checklist step: done by `role` within `dueMinutes` of the crisis becoming active. */
export const PlanStep = z.object({
  id: z.string().trim().min(1).max(40),
  title: z.string().trim().min(1).max(200),
  role: PlanRoleKey,
  dueMinutes: z.number().int().min(0).max(10_080),
  kind: TaskKind,
});

/**
 * A pre-approved holding statement: acknowledge → empathize → what we are doing → what people should do → when the
 * next update comes. Placeholders in [brackets] are filled in the crisis. Editing the body clears its approval.
 */
export const HoldingStatement = z.object({
  id: z.string().trim().min(1).max(40),
  title: z.string().trim().min(1).max(120),
  locale: StatementLocale,
  body: z.string().trim().min(1).max(2000),
  approvedBy: z.uuid().nullable(),
  approvedAt: z.string().nullable(),
});

/** Who hears of a crisis outside the team: by email or through one of the workspace's alert destinations. */
export const Stakeholder = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.email().nullable(),
  destinationId: z.uuid().nullable(),
  /** Notified when a crisis of this plan is declared at this severity level or more urgent (1 is most urgent). */
  fromSeverity: z.number().int().min(1).max(9),
});

/** What crisis mode does when this plan's crisis starts it (each part can still be switched in the crisis). */
export const PlanCrisisMode = z.object({
  pause: z.enum(["all", "none"]),
  lockdown: z.boolean(),
  secure: z.boolean(),
  notify: z.boolean(),
});

export const CrisisPlanContent = z.object({
  description: z.string().max(2000),
  defaultSeverity: z.number().int().min(1).max(9),
  roles: z.array(PlanRole).max(PLAN_ROLES.length),
  checklist: z.array(PlanStep).max(50),
  statements: z.array(HoldingStatement).max(50),
  stakeholders: z.array(Stakeholder).max(50),
  /** Listening streams and alert kinds whose alerts propose this plan when declaring. */
  triggers: z.object({ streamIds: z.array(z.uuid()).max(50), alertKinds: z.array(AlertKind) }),
  crisisMode: PlanCrisisMode,
});
export type CrisisPlanContent = z.infer<typeof CrisisPlanContent>;

// ——— Request and response shapes of the plans API (/api/v1/crisis/severities, /api/v1/crisis/plans) ———

/** Plan roles whose holder may approve statements at a severity level. */
export const APPROVER_ROLES = ["lead", "pr", "legal", "executive"] as const;
export const ApproverRole = z.enum(APPROVER_ROLES);

/**
 * The default levels' names and meanings as first written for a workspace (in English). The web app shows a level
 * whose name and meaning are still these in the reader's language; once an admin edits them, their text is shown.
 */
export const DEFAULT_SEVERITY_TEXTS: Record<number, { name: string; description: string }> = {
  1: {
    name: "SEV1 Critical",
    description: "A threat to people's safety, security or legal standing, or a story already in mainstream media (account takeover, data leak, safety defect, mentions over 10× the usual with media pick-up).",
  },
  2: {
    name: "SEV2 Major",
    description: "A fast-spreading negative story where the brand is at fault, without a safety issue (a viral complaint picked up by influencers, an offensive brand post).",
  },
  3: { name: "SEV3 Moderate", description: "Rising but contained: mentions 3× the usual or more, no media." },
  4: { name: "SEV4 Watch", description: "An emergent issue to watch, such as a single author's complaint with reach." },
};

export const Severity = z.object({
  level: z.number().int().min(1).max(9),
  name: z.string(),
  description: z.string(),
  approverRole: ApproverRole,
  autoCrisisMode: z.boolean(),
  internalUpdateMinutes: z.number().int(),
  publicUpdateMinutes: z.number().int().nullable(),
  approvalDeadlineMinutes: z.number().int(),
  updatedAt: z.string(),
});
export type Severity = z.infer<typeof Severity>;

const SeverityFields = {
  name: z.string().trim().min(1).max(60),
  description: z.string().trim().max(1000),
  approverRole: ApproverRole,
  autoCrisisMode: z.boolean(),
  internalUpdateMinutes: z.number().int().min(5).max(10_080),
  publicUpdateMinutes: z.number().int().min(5).max(10_080).nullable(),
  approvalDeadlineMinutes: z.number().int().min(1).max(1_440),
};
export const CreateSeverityBody = z.object({ level: z.number().int().min(1).max(9), ...SeverityFields });
export const UpdateSeverityBody = z.object(SeverityFields).partial();

/** A plan's readiness: each check, and whether all of them pass. */
export const PlanReadiness = z.object({
  ready: z.boolean(),
  /** Roles with a holder who is a current member of the workspace, of all roles the plan names. */
  rolesFilled: z.number().int(),
  rolesTotal: z.number().int(),
  /** Roles that name a backup (a current member, not the holder). */
  backupsSet: z.number().int(),
  /** Approved holding statements of all. */
  statementsApproved: z.number().int(),
  statementsTotal: z.number().int(),
  /** Days since the last drill finished; null: never drilled. */
  lastDrilledDaysAgo: z.number().int().nullable(),
  /** Roles whose holder or backup is no longer a member. */
  staleRoles: z.array(PlanRoleKey),
  /** Ready also needs a drill within this many days. */
  drillDueDays: z.number().int(),
});
export type PlanReadiness = z.infer<typeof PlanReadiness>;

export const PlanSummary = z.object({
  id: z.uuid(),
  scenario: CrisisScenario,
  name: z.string(),
  currentVersion: z.number().int(),
  defaultSeverity: z.number().int(),
  lastDrilledAt: z.string().nullable(),
  updatedAt: z.string(),
  archived: z.boolean(),
  readiness: PlanReadiness,
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const Plan = PlanSummary.extend({
  content: CrisisPlanContent,
  versionNote: z.string().nullable(),
  versionCreatedAt: z.string(),
  versionCreatedBy: z.uuid().nullable(),
});
export type Plan = z.infer<typeof Plan>;

export const PlanVersionSummary = z.object({
  version: z.number().int(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.uuid().nullable(),
});

export const CreatePlanBody = z.object({
  scenario: CrisisScenario,
  /** Defaults to the scenario template's name. */
  name: z.string().trim().min(1).max(120).optional(),
  /** Defaults to the scenario's ready template. */
  content: CrisisPlanContent.optional(),
});

export const UpdatePlanBody = z.object({
  /** The version the editor read; a newer one means someone else saved first (409 `plan_version_conflict`). */
  expectedVersion: z.number().int().min(1),
  name: z.string().trim().min(1).max(120).optional(),
  content: CrisisPlanContent,
  note: z.string().trim().max(300).optional(),
});

export const ApproveStatementBody = z.object({ expectedVersion: z.number().int().min(1) });

/** The plan a listening alert proposes when declaring a crisis from it. */
export const PlanProposal = z.object({
  planId: z.uuid(),
  planVersion: z.number().int(),
  name: z.string(),
  scenario: CrisisScenario,
  severityLevel: z.number().int(),
  /** trigger: the plan lists the alert's stream and/or kind; scenario: no trigger matched, the alert kind's usual scenario. */
  reason: z.enum(["trigger", "scenario"]),
});
export type PlanProposal = z.infer<typeof PlanProposal>;

export const ScenarioTemplateOut = z.object({ scenario: CrisisScenario, name: z.string(), content: CrisisPlanContent });

/** An alert destination a plan's stakeholder can be reached through (for plan editors, who may not manage destinations: no address). */
export const StakeholderDestination = z.object({ id: z.uuid(), kind: z.enum(["email", "slack", "teams", "webhook"]), name: z.string(), enabled: z.boolean() });
export type StakeholderDestination = z.infer<typeof StakeholderDestination>;
