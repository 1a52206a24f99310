import { and, eq, inArray, isNull } from "drizzle-orm";
import type { CrisisPlanContent } from "../../../../../contracts/crisis-plans";
import type { Crisis } from "../../../../../contracts/crises";
import { authorize } from "../../../../authz";
import { inTransaction, withActor, type Ctx } from "../../../../context";
import { invalidInput, notFound } from "../../../../errors";
import { disconnectChannel } from "../../../channels";
import { channels } from "../../../channels/channels.schema";
import { endSessionsOf } from "../../../identity/commands/end-sessions";
import { apiTokens } from "../../../identity/identity.schema";

import { pausePublishing, resumePublishing, targetsHeldByPause } from "../../../publishing";
import { memberships } from "../../../workspaces/workspaces.schema";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { crisisHeldPosts, crisisModes } from "../../crisis.schema";
import { recordCrisisEvent } from "../../timeline";
import { planContentOf } from "../activation";
import { crisisModeMail, mailNotice, queueCrisisNotices, stakeholderDestinations } from "./crisis-notices";
import { crisisModeAlreadyOn, crisisModeNeedsActive, crisisModeOff, crisisNotOpen } from "../crises.errors";
import { activeModeOf, crisisRef, crisisTeam, loadCrisis, presentCrisis, type CrisisModeRow, type CrisisRow } from "../records";
import { OPEN_STATUSES } from "../transitions";
import type { CrisisStatus } from "../../../../../contracts/crises";

export type PauseChoice = "all" | "none" | string[];
export type StartModeInput = { reason: string; pause: PauseChoice; lockdown: boolean; secure?: { userIds: string[]; channelIds: string[] }; notify: boolean };

type Secured = NonNullable<Crisis["mode"]>["secured"];
type Notified = NonNullable<Crisis["mode"]>["notified"];

/**
 * Starts crisis mode for a crisis: each part on its own — pause (publishing's pause for every channel or the chosen
 * ones; each post it holds is recorded for a decision), lock down (only the crisis team may publish or reply: see
 * lockdown.ts), secure (end chosen people's sessions and revoke their API tokens, disconnect chosen channels with
 * their credentials revoked at the network where it can; needs crisis.secure), notify (the crisis team by email, the
 * plan's stakeholders at this severity by email or through their alert destination: Slack, Teams, webhook, mail).
 * A drill acts on Sandbox channels only, never ends anyone's sessions or revokes tokens, and notifies the team only.
 */
export async function startCrisisMode(ctx: Ctx, crisisId: string, input: StartModeInput) {
  authorize(ctx.actor, "crisis.manage");
  if (input.secure && (input.secure.userIds.length || input.secure.channelIds.length)) authorize(ctx.actor, "crisis.secure");
  currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId, { forUpdate: true });
    await applyStart(tx, crisis, input, await planContentOf(tx, crisis));
    return presentCrisis(tx, await loadCrisis(tx, crisisId));
  });
}

/**
 * Crisis mode started by the severity (automatic crisis mode) with the plan's defaults (pause all and lock down without
 * a plan). Its reason is what the declarer wrote (the summary, else the title); the web app says it started by itself.
 */
export async function startModeFromPlan(tx: Ctx, crisis: CrisisRow, plan: CrisisPlanContent | null) {
  const defaults = plan?.crisisMode ?? { pause: "all" as const, lockdown: true, secure: false, notify: true };
  const reason = crisis.summary.trim() || crisis.title;
  await applyStart(tx, crisis, { reason, pause: defaults.pause, lockdown: defaults.lockdown, notify: defaults.notify }, plan, crisis.severityLevel);
}

/** `automaticSeverity`: the severity level that started it by itself; absent when a person starts it. */
async function applyStart(tx: Ctx, crisis: CrisisRow, input: StartModeInput, plan: CrisisPlanContent | null, automaticSeverity: number | null = null) {
  const automatic = automaticSeverity !== null;
  if (!OPEN_STATUSES.includes(crisis.status as CrisisStatus)) throw crisisNotOpen();
  if (crisis.status === "triage") throw crisisModeNeedsActive();
  if (await activeModeOf(tx, crisis.id)) throw crisisModeAlreadyOn();
  const reason = input.reason.trim();
  if (!reason) throw invalidInput({ reason: ["Say why, for those who see the banner"] });
  const now = tx.now();
  const [mode] = await tx.db
    .insert(crisisModes)
    .values({ workspaceId: crisis.workspaceId, crisisId: crisis.id, pause: false, lockdown: input.lockdown, reason, automaticSeverity, activatedBy: tx.actor.type === "user" ? tx.actor.userId : null, activatedAt: now })
    .returning();
  await recordCrisisEvent(tx, crisis.id, "crisis_mode_on", { modeId: mode.id, automatic, pause: input.pause === "none" ? "none" : input.pause === "all" ? "all" : input.pause.length, lockdown: input.lockdown, secure: Boolean(input.secure), notify: input.notify, reason }, { pinned: true, at: now });
  const after = input.pause === "none" ? mode : await pauseOn(tx, crisis, mode, input.pause);
  const secured = input.secure ? await secure(tx, crisis, input.secure) : null;
  const notified = input.notify ? await notify(tx, crisis, mode.id, plan, reason) : null;
  if (secured || notified) await tx.db.update(crisisModes).set({ secured, notified }).where(eq(crisisModes.id, mode.id));
  await tx.audit(
    { type: "crisis.mode_started", data: { crisisId: crisis.id, modeId: mode.id, pause: after.pause, lockdown: input.lockdown, secure: Boolean(secured), notify: Boolean(notified), automatic } },
    { type: "crisis", id: crisis.id },
  );
}

/** Channels a pause of this crisis covers: all (null) or the chosen ones; for a drill only Sandbox channels. */
async function pauseScope(tx: Ctx, crisis: CrisisRow, choice: Exclude<PauseChoice, "none">): Promise<string[] | null> {
  if (!crisis.isDrill) return choice === "all" ? null : choice;
  const sandbox = await tx.db.select({ id: channels.id }).from(channels).where(and(eq(channels.workspaceId, crisis.workspaceId), eq(channels.network, "sandbox")));
  const ids = sandbox.map((c) => c.id);
  return choice === "all" ? ids : choice.filter((id) => ids.includes(id));
}

async function pauseOn(tx: Ctx, crisis: CrisisRow, mode: CrisisModeRow, choice: Exclude<PauseChoice, "none">): Promise<CrisisModeRow> {
  const channelIds = await pauseScope(tx, crisis, choice);
  if (channelIds !== null && channelIds.length === 0) return mode; // a drill without Sandbox channels: nothing to pause
  // Publishing's pause is an admin's action; crisis mode is the crisis manager's, so the crisis pauses it itself.
  // The label is the audit log's English record; `pausedVia` carries the same as facts for the banners to word.
  const person = tx.actor.type === "user" ? tx.actor.name || tx.actor.email : null;
  const actor = person ?? (tx.actor.type === "system" ? tx.actor.label : "anonymous");
  const as = withActor(tx, { type: "system", label: `crisis ${crisisRef(crisis)} (${actor})` });
  const pausedVia = { kind: "crisis" as const, crisisId: crisis.id, crisisRef: crisisRef(crisis), personName: person };
  // Its own pause even when another crisis (or an admin) has paused already: declaring a second crisis must not fail.
  const { pause } = await pausePublishing(as, { reason: mode.reason, channelIds, pausedVia, evenIfCovered: true });
  const held = await targetsHeldByPause(tx, pause.id);
  if (held.length) {
    await tx.db
      .insert(crisisHeldPosts)
      .values(held.map((t) => ({ crisisId: crisis.id, postTargetId: t.id, previousDueAt: t.dueAt })))
      .onConflictDoNothing();
  }
  const [updated] = await tx.db.update(crisisModes).set({ pause: true, pauseChannelIds: channelIds, pauseId: pause.id }).where(eq(crisisModes.id, mode.id)).returning();
  await recordCrisisEvent(tx, crisis.id, "posts_held", { modeId: mode.id, pauseId: pause.id, count: held.length, channelIds });
  return updated;
}

async function pauseOff(tx: Ctx, crisis: CrisisRow, mode: CrisisModeRow): Promise<CrisisModeRow> {
  if (mode.pauseId) {
    const as = withActor(tx, { type: "system", label: `crisis ${crisisRef(crisis)}` });
    await resumePublishing(as, { pauseId: mode.pauseId }).catch((err: { code?: string }) => {
      if (err.code !== "not_paused") throw err; // someone resumed it on the publishing page already
    });
  }
  const [updated] = await tx.db.update(crisisModes).set({ pause: false, pauseId: null, pauseChannelIds: null }).where(eq(crisisModes.id, mode.id)).returning();
  return updated;
}

async function secure(tx: Ctx, crisis: CrisisRow, input: { userIds: string[]; channelIds: string[] }): Promise<Secured> {
  const result: NonNullable<Secured> = { sessionsEndedFor: [], sessionsEnded: 0, tokensRevoked: 0, channels: [] };
  const userIds = [...new Set(input.userIds)];
  if (userIds.length) {
    const found = await tx.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, crisis.workspaceId), inArray(memberships.userId, userIds)));
    if (found.length !== userIds.length) throw notFound("Member");
  }
  // A drill never ends real sessions nor revokes real tokens: it records whom it would have signed out.
  for (const userId of crisis.isDrill ? [] : userIds) {
    const ended = await endSessionsOf(tx, userId, { reason: `crisis ${crisisRef(crisis)}` });
    const tokens = await revokeTokensOf(tx, userId, crisis.workspaceId);
    result.sessionsEndedFor.push(userId);
    result.sessionsEnded += ended.length;
    result.tokensRevoked! += tokens;
    await recordCrisisEvent(tx, crisis.id, "security_action", { action: "sessions_ended", userId, sessions: ended.length, tokens });
  }
  if (crisis.isDrill && userIds.length) await recordCrisisEvent(tx, crisis.id, "security_action", { action: "sessions_not_ended_drill", userIds });
  for (const channelId of [...new Set(input.channelIds)]) {
    const [channel] = await tx.db.select({ id: channels.id, network: channels.network, status: channels.status }).from(channels).where(and(eq(channels.workspaceId, crisis.workspaceId), eq(channels.id, channelId)));
    if (!channel) throw notFound("Channel");
    if (crisis.isDrill && channel.network !== "sandbox") throw invalidInput({ channelIds: ["A drill only acts on Sandbox channels"] });
    if (channel.status === "disconnected") continue;
    const { revokedAtNetwork } = await disconnectChannel(tx, { channelId });
    result.channels.push({ channelId, revokedAtNetwork });
    await recordCrisisEvent(tx, crisis.id, "security_action", { action: "channel_disconnected", channelId, network: channel.network, revokedAtNetwork });
  }
  await tx.audit({ type: "crisis.secured", data: { crisisId: crisis.id, sessionsEndedFor: result.sessionsEndedFor, sessionsEnded: result.sessionsEnded, tokensRevoked: result.tokensRevoked, channels: result.channels.map((c) => c.channelId) } }, { type: "crisis", id: crisis.id });
  return result;
}

/**
 * A person's API tokens in this workspace stop working (what revoking one's own token does, for each, audited the
 * same way): a token may be what an attacker kept when their session ended.
 */
async function revokeTokensOf(tx: Ctx, userId: string, workspaceId: string): Promise<number> {
  const revoked = await tx.db
    .update(apiTokens)
    .set({ revokedAt: tx.now() })
    .where(and(eq(apiTokens.userId, userId), eq(apiTokens.workspaceId, workspaceId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name });
  for (const token of revoked) await tx.audit({ type: "api_token.revoked", data: { tokenId: token.id, name: token.name } }, { type: "api_token", id: token.id });
  return revoked.length;
}

/**
 * The crisis team by email; for a real crisis also the plan's stakeholders at this severity: by email, and through
 * their alert destination (Slack, Teams, a signed webhook or a mail list; see crisis-notices.ts, durable and retried).
 * A drill notifies the crisis team only ("[Drill]" in the subject) and counts the stakeholders it left out.
 */
async function notify(tx: Ctx, crisis: CrisisRow, modeId: string, plan: CrisisPlanContent | null, reason: string): Promise<Notified> {
  const team = await crisisTeam(tx, crisis.id);
  const sent: NonNullable<Notified> = [];
  const link = `${tx.services.config.publicUrl}/crisis/${crisis.id}`;
  // Each team member reads it in their own language; a plan's stakeholder (a plain address) in English.
  const mailIn = (locale: string | null) => crisisModeMail(locale, { ref: crisisRef(crisis), level: crisis.severityLevel, title: crisis.title, isDrill: crisis.isDrill, reason, link });
  const seen = new Set<string>();
  // One mail per person (with every role they hold), listed among the crisis's notices by name and role.
  const rolesOf = new Map<string, string[]>();
  for (const member of team) rolesOf.set(member.email, [...(rolesOf.get(member.email) ?? []), member.role]);
  for (const member of team) {
    if (seen.has(member.email)) continue;
    seen.add(member.email);
    const roles = [...new Set(rolesOf.get(member.email))].join(",");
    await mailNotice(tx, crisis, modeId, mailIn(member.locale), [member.email], { recipientKind: "team", recipientName: member.name || member.email, recipientRole: roles });
    sent.push({ to: member.email, kind: "team", via: "email", channel: "email" });
  }
  const atSeverity = (plan?.stakeholders ?? []).filter((s) => crisis.severityLevel <= s.fromSeverity);
  const { destinations, skipped } = await stakeholderDestinations(tx, crisis, plan);
  if (!crisis.isDrill) {
    for (const stakeholder of atSeverity) {
      if (!stakeholder.email || seen.has(stakeholder.email)) continue;
      seen.add(stakeholder.email);
      await mailNotice(tx, crisis, modeId, mailIn(null), [stakeholder.email], { recipientKind: "stakeholder", recipientName: stakeholder.name, recipientAddress: stakeholder.email });
      sent.push({ to: stakeholder.email, kind: "stakeholder", via: "email", channel: "email" });
    }
    await queueCrisisNotices(tx, crisis, modeId, reason, destinations);
    for (const d of destinations) sent.push({ to: d.name, kind: "stakeholder", via: "destination", channel: d.kind as "email" | "slack" | "teams" | "webhook", destinationId: d.id });
  }
  tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
  const byChannel = (channel: string) => sent.filter((s) => s.channel === channel).length;
  await recordCrisisEvent(tx, crisis.id, "stakeholders_notified", {
    count: sent.length,
    team: sent.filter((s) => s.kind === "team").length,
    stakeholders: sent.filter((s) => s.kind === "stakeholder").length,
    email: byChannel("email"),
    slack: byChannel("slack"),
    teams: byChannel("teams"),
    webhook: byChannel("webhook"),
    // A drill leaves real stakeholders alone: how many it would have reached (by email or a destination).
    ...(crisis.isDrill ? { drill: true, leftOut: atSeverity.filter((s) => s.email).length + destinations.length } : {}),
    ...(skipped ? { destinationsMissing: skipped } : {}),
  });
  return sent;
}

/** Switches a part of the crisis mode in force: the pause on (all or chosen channels) or off, lock down on or off. */
export async function switchCrisisMode(ctx: Ctx, crisisId: string, input: { pause?: PauseChoice; lockdown?: boolean }) {
  authorize(ctx.actor, "crisis.manage");
  currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId, { forUpdate: true });
    let mode = await activeModeOf(tx, crisis.id);
    if (!mode) throw crisisModeOff();
    const before = { pause: mode.pause, lockdown: mode.lockdown };
    if (input.pause !== undefined) {
      if (mode.pause) mode = await pauseOff(tx, crisis, mode);
      if (input.pause !== "none") {
        if (!OPEN_STATUSES.includes(crisis.status as CrisisStatus)) throw crisisNotOpen();
        mode = await pauseOn(tx, crisis, mode, input.pause);
      }
    }
    if (input.lockdown !== undefined && input.lockdown !== mode.lockdown) {
      [mode] = await tx.db.update(crisisModes).set({ lockdown: input.lockdown }).where(eq(crisisModes.id, mode.id)).returning();
    }
    const after = { pause: mode.pause, lockdown: mode.lockdown };
    for (const part of ["pause", "lockdown"] as const) {
      if (before[part] !== after[part]) await recordCrisisEvent(tx, crisis.id, after[part] ? "crisis_mode_on" : "crisis_mode_off", { modeId: mode.id, part });
    }
    await tx.audit({ type: "crisis.mode_switched", data: { crisisId: crisis.id, modeId: mode.id, before, after } }, { type: "crisis", id: crisis.id });
    return presentCrisis(tx, await loadCrisis(tx, crisisId));
  });
}

/** Ends crisis mode: the pause ends (the posts it held stay held until each is decided), lock down ends. */
export async function endCrisisMode(ctx: Ctx, crisisId: string) {
  authorize(ctx.actor, "crisis.manage");
  currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId, { forUpdate: true });
    let mode = await activeModeOf(tx, crisis.id);
    if (!mode) throw crisisModeOff();
    if (mode.pause) mode = await pauseOff(tx, crisis, mode);
    await tx.db
      .update(crisisModes)
      .set({ lockdown: false, endedAt: tx.now(), endedBy: tx.actor.type === "user" ? tx.actor.userId : null })
      .where(and(eq(crisisModes.id, mode.id), isNull(crisisModes.endedAt)));
    await recordCrisisEvent(tx, crisis.id, "crisis_mode_off", { modeId: mode.id, part: "all" }, { pinned: true });
    await tx.audit({ type: "crisis.mode_ended", data: { crisisId: crisis.id, modeId: mode.id } }, { type: "crisis", id: crisis.id });
    return presentCrisis(tx, await loadCrisis(tx, crisisId));
  });
}

