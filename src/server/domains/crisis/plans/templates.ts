import type { CrisisPlanContent, CrisisScenario, PlanRoleKey } from "../../../../contracts/crisis-plans";

/**
 * Ready templates for the eight scenarios (../shared/notes/crisis-domain.md §5): who does what in the first hour,
 * with timed steps, and a holding statement that follows acknowledge → empathize → what we are doing → what people
 * should do → when the next update comes. Placeholders in [brackets] are filled in during the crisis. A plan made
 * from a template starts with no role holders and unapproved statements: the brand names its people and approves.
 */
export type ScenarioTemplate = {
  scenario: CrisisScenario;
  name: string;
  content: CrisisPlanContent;
};

type Step = [id: string, title: string, role: PlanRoleKey, dueMinutes: number, kind: CrisisPlanContent["checklist"][number]["kind"]];

/** The common first 15 minutes every scenario starts with (§5). */
const COMMON_STEPS: Step[] = [
  ["assign", "Name the lead, scribe and statement approver (with backup)", "lead", 5, "communication"],
  ["mode", "Decide on crisis mode: pause or hold the queue", "lead", 5, "publishing"],
  ["snapshot", "Take a listening snapshot: baseline against now", "social", 10, "research"],
  ["link", "Link the triggering alerts and messages to the crisis", "social", 10, "research"],
  ["holding", "Pick the holding statement and start its approval", "pr", 15, "communication"],
  ["timers", "Set the next-update times (internal and public)", "lead", 15, "communication"],
];

function plan(
  scenario: CrisisScenario,
  name: string,
  description: string,
  defaultSeverity: number,
  roles: PlanRoleKey[],
  steps: Step[],
  holding: { title: string; body: string },
  crisisMode: CrisisPlanContent["crisisMode"],
  alertKinds: CrisisPlanContent["triggers"]["alertKinds"],
): ScenarioTemplate {
  return {
    scenario,
    name,
    content: {
      description,
      defaultSeverity,
      roles: roles.map((role) => ({ role, holderId: null, backupId: null })),
      checklist: [...COMMON_STEPS, ...steps].map(([id, title, role, dueMinutes, kind]) => ({ id, title, role, dueMinutes, kind })),
      statements: [{ id: "holding-en", title: holding.title, locale: "en", body: holding.body, approvedBy: null, approvedAt: null }],
      stakeholders: [],
      triggers: { streamIds: [], alertKinds },
      crisisMode,
    },
  };
}

const PAUSE_ALL_LOCK = { pause: "all", lockdown: true, secure: false, notify: true } as const;

export const SCENARIO_TEMPLATES: Record<Exclude<CrisisScenario, "custom">, ScenarioTemplate> = {
  hacked_account: plan(
    "hacked_account",
    "Hacked brand account",
    "Someone outside the team controls one of our accounts. Secure every account first, pause everything, warn followers from channels we still control.",
    1,
    ["lead", "security", "pr", "legal", "social", "customer_care", "executive"],
    [
      ["secure", "Secure: end tool sessions and revoke tokens for the account; lock every other connected account", "security", 10, "security"],
      ["pause-all", "Pause the queue on all accounts (shared credentials may be known)", "social", 10, "publishing"],
      ["recovery", "Start the network's account recovery (password reset, 2FA)", "security", 20, "security"],
      ["evidence", "Screenshot and archive the attacker's posts and messages before removing them", "social", 20, "research"],
      ["notice", "Post the holding notice from channels we still control", "pr", 30, "publishing"],
      ["warn", "Warn followers not to click links or send payments", "customer_care", 30, "engagement"],
      ["audit", "Review the audit log for the time of first access", "security", 45, "security"],
      ["stakeholders", "Notify internal stakeholders", "lead", 60, "communication"],
    ],
    {
      title: "Account accessed by someone outside our team",
      body: "Our [network] account @[handle] was accessed by someone outside our team at about [time]. We're sorry for the worry this causes. Posts or messages since then did not come from us, and we are working with [network] to restore access. Please don't click links or share personal or payment details with that account. We'll update here by [time].",
    },
    { pause: "all", lockdown: true, secure: true, notify: true },
    [],
  ),
  viral_complaint: plan(
    "viral_complaint",
    "Viral customer complaint",
    "A customer's complaint is spreading fast. Fix the individual case privately, hold promotions, answer the pile-on with one reply, never delete criticism.",
    2,
    ["lead", "customer_care", "pr", "social", "executive"],
    [
      ["verify", "Verify the facts with customer care and operations", "customer_care", 20, "research"],
      ["contact", "Contact the customer privately, with empathy and no scripted deflection", "customer_care", 30, "engagement"],
      ["hold-promo", "Hold promotional posts in the affected markets", "social", 20, "publishing"],
      ["macro", "Publish one reply for the pile-on (don't reply to everyone)", "pr", 45, "engagement"],
      ["watch", "Watch velocity and influencer amplification", "social", 60, "research"],
      ["resolution", "Decide: public or private resolution", "lead", 60, "communication"],
    ],
    {
      title: "We've seen the post and we're on it",
      body: "We've seen [customer]'s post about [issue]. That isn't the experience we want for anyone, and we're sorry. We've contacted them directly and are looking into what happened at [location/process]. If this happened to you too, please message us at [channel]. We'll share what we find and what we're changing by [time].",
    },
    { pause: "none", lockdown: true, secure: false, notify: true },
    ["spike", "negative_turn"],
  ),
  offensive_post: plan(
    "offensive_post",
    "Offensive post by the brand",
    "We published something hurtful or wrong. Archive it, remove it openly, pause the brand-wide queue, apologise by naming what was wrong.",
    2,
    ["lead", "pr", "social", "executive", "legal"],
    [
      ["archive", "Archive a screenshot, then decide: remove, or keep and annotate", "social", 10, "publishing"],
      ["pause-brand", "Pause the queue brand-wide", "social", 10, "publishing"],
      ["campaign", "Check other posts from the same campaign or agency", "social", 30, "research"],
      ["apology", "Draft an apology that names what was wrong", "pr", 30, "communication"],
      ["brief", "Brief community responders", "customer_care", 45, "engagement"],
      ["review", "Start a blameless review of the approval path", "lead", 60, "other"],
    ],
    {
      title: "We removed a post and we apologise",
      body: "Earlier today we posted [content]. It was [hurtful/wrong] because [plain reason], and we've removed it. We apologize to [affected group]. We're reviewing how it was approved. If you'd like to talk to us about it, write to [channel]. We'll share what we're changing by [time].",
    },
    PAUSE_ALL_LOCK,
    ["negative_turn"],
  ),
  employee_misconduct: plan(
    "employee_misconduct",
    "Employee misconduct video",
    "A video shows an employee behaving badly. Verify it, protect everyone's privacy, pause upbeat content, name no one before HR and Legal clear it.",
    2,
    ["lead", "legal", "pr", "customer_care", "social", "executive"],
    [
      ["verify", "Verify authenticity, time and location", "lead", 20, "research"],
      ["privacy", "Protect the privacy of the person filmed, the employee and any minors", "legal", 20, "other"],
      ["pause-people", "Pause upbeat and people-focused content", "social", 15, "publishing"],
      ["route", "Route direct messages and tags to the crisis team", "customer_care", 30, "engagement"],
      ["facts", "Collect the internal facts (HR, site manager)", "legal", 45, "research"],
      ["guidance", "Send employees guidance: don't respond personally", "pr", 60, "communication"],
    ],
    {
      title: "We've seen the video and are investigating",
      body: "We've seen a video showing [behaviour] at our [location]. This does not reflect how we expect anyone to be treated, and we're sorry to everyone it affected. We're investigating urgently and [have taken immediate step]. If you saw what happened, please contact us at [channel]. We'll share an update by [time].",
    },
    { pause: "all", lockdown: true, secure: false, notify: true },
    ["spike"],
  ),
  product_recall: plan(
    "product_recall",
    "Defective product or recall",
    "A product may be unsafe. Agree the action for customers with quality and the regulator, stop promotion, publish the statement with a FAQ, pin it.",
    1,
    ["lead", "legal", "pr", "customer_care", "social", "executive"],
    [
      ["batches", "Confirm the affected batches or models", "lead", 20, "research"],
      ["action", "Agree the action for customers with quality and the regulator", "legal", 30, "communication"],
      ["pause-promo", "Pause promotional content for the product line and flag any ads", "social", 15, "publishing"],
      ["publish", "Publish the holding statement together with the FAQ page", "pr", 45, "publishing"],
      ["pin", "Pin the post", "social", 50, "publishing"],
      ["macros", "Load customer care replies", "customer_care", 45, "engagement"],
      ["snapshots", "Take a listening snapshot every 15 minutes", "social", 60, "research"],
    ],
    {
      title: "Please stop using [product] for now",
      body: "We're looking into reports that [product] may [hazard], and we understand how worrying this is. As a precaution, please stop using [product, lot/model] until we share more. If you have concerns, contact [channel]. Your safety comes first, and we'll update by [time].",
    },
    PAUSE_ALL_LOCK,
    ["keyword", "spike"],
  ),
  impostor_scam: plan(
    "impostor_scam",
    "Impostor or scam account",
    "Accounts pretend to be us and approach people. Record and report them, warn with our official handles, give care a reply for victims.",
    3,
    ["lead", "security", "pr", "customer_care", "social"],
    [
      ["record", "Record the impostor's handles, links and screenshots", "social", 15, "research"],
      ["report", "Report them through each network's impersonation channel", "security", 30, "security"],
      ["warning", "Post a warning listing our official handles and how we contact people", "pr", 30, "publishing"],
      ["pin", "Pin the warning", "social", 35, "publishing"],
      ["listen", "Add the impostor handles to listening", "social", 45, "research"],
      ["victims", "Give customer care a reply for people who were contacted", "customer_care", 45, "engagement"],
    ],
    {
      title: "Accounts pretending to be us",
      body: "Heads up: accounts pretending to be us ([@fake]) are contacting people about [giveaway/support]. We're sorry to anyone who was approached, and we've reported them to [network]. Our only official accounts are [list]. We will never ask for passwords or payment by DM. If you were contacted, please report it to [network] and tell us at [channel]. We'll update here by [time].",
    },
    { pause: "none", lockdown: false, secure: false, notify: true },
    ["impostor"],
  ),
  insensitive_scheduled: plan(
    "insensitive_scheduled",
    "Insensitive scheduled post during a disaster",
    "A tragedy or disaster is unfolding while our queue is full of cheerful posts. Pause first (it costs nothing to undo), review the next 72 hours, often say nothing.",
    3,
    ["lead", "pr", "social"],
    [
      ["pause-first", "Pause the queue for the affected regions, or everywhere, before any decision", "social", 5, "publishing"],
      ["review-72h", "Review the next 72 hours of scheduled and evergreen content", "social", 30, "research"],
      ["say-anything", "Decide whether to say anything at all (often: silence)", "lead", 45, "communication"],
      ["resume", "Resume held posts one by one", "social", 60, "publishing"],
    ],
    {
      title: "Our thoughts are with everyone affected",
      body: "Our thoughts are with everyone affected by [event]. We've paused our regular posts. If you need [service-specific help], [how to get it]. We'll be back with an update by [time].",
    },
    { pause: "all", lockdown: false, secure: false, notify: true },
    [],
  ),
  data_leak: plan(
    "data_leak",
    "Data or privacy leak",
    "Customer data may have been exposed. Align every public word with the security record and the legal notice plan; say what we know and what we don't.",
    1,
    ["lead", "security", "legal", "pr", "customer_care", "social", "executive"],
    [
      ["align", "Align every public word with the incident record and the legal notification plan", "legal", 20, "communication"],
      ["pause", "Pause the queue", "social", 10, "publishing"],
      ["restrict", "Restrict replies to approved texts", "customer_care", 15, "engagement"],
      ["verify", "Confirm nothing about scope or cause before it is verified", "security", 30, "research"],
      ["protect", "Prepare protective steps for users (reset password, watch for phishing)", "security", 45, "security"],
      ["faq", "Prepare a FAQ or dark-site page", "pr", 60, "publishing"],
      ["log", "Log every external statement with its time (regulators may ask)", "lead", 60, "other"],
    ],
    {
      title: "We're investigating a security issue",
      body: "We're investigating a security issue that may involve [type of data], and we know this is worrying. Here's what we know now: [facts]. What we don't know yet: [scope]. As a precaution, we recommend [action]. We'll contact affected people directly and update by [time].",
    },
    { pause: "all", lockdown: true, secure: true, notify: true },
    [],
  ),
};

/** A blank plan for the brand's own scenario. */
export function customTemplate(): ScenarioTemplate {
  return {
    scenario: "custom",
    name: "Custom plan",
    content: {
      description: "",
      defaultSeverity: 3,
      roles: [{ role: "lead", holderId: null, backupId: null }],
      checklist: COMMON_STEPS.map(([id, title, role, dueMinutes, kind]) => ({ id, title, role, dueMinutes, kind })),
      statements: [],
      stakeholders: [],
      triggers: { streamIds: [], alertKinds: [] },
      crisisMode: { pause: "none", lockdown: false, secure: false, notify: true },
    },
  };
}

/** The template for a scenario, as a fresh copy the caller may change. */
export function scenarioTemplate(scenario: CrisisScenario): ScenarioTemplate {
  const template = scenario === "custom" ? customTemplate() : SCENARIO_TEMPLATES[scenario];
  return structuredClone(template);
}
