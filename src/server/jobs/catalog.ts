import { and, isNotNull, lt, or } from "drizzle-orm";
import { rateLimitBuckets } from "../db/rate-limit.schema";
import { unsafeCheckAllChannels } from "../domains/channels";
import { unsafeEndPartnerAccess } from "../domains/workspaces";
import { unsafePlayDueSandboxScenarios } from "../domains/sandbox";
import { passwordResets, sessions } from "../domains/identity/identity.schema";
import { unsafeSendAccessReviewReminders } from "../domains/access-review";
import { unsafePruneUnattachedMedia, unsafeRunApprovalDeadlines } from "../domains/publishing";
import { unsafeDeliverAlerts } from "../domains/listening/alerts/deliver-alerts";
import { unsafeJudgeStreams } from "../domains/listening/alerts/judge-streams";
import { unsafeScanImpostors, unsafeScanNewMentions } from "../domains/listening/impostors/scan-impostors";
import { unsafeRunRoomDeadlines, unsafeWatchListening } from "../domains/crisis/room";
import { unsafeDeliverDrillInjects } from "../domains/crisis/drills";
import { unsafeDeliverCrisisNotices } from "../domains/crisis/crises/commands/crisis-notices";
import { defineJob } from "./define-job";

/** Sends mail waiting in the outbox (only when SMTP_URL is set). */
export const deliverMail = defineJob({
  name: "mail.deliver",
  every: "* * * * *",
  onCrash: "A mail claimed but not marked sent (the process died while sending) is tried again when its 15-minute claim runs out, so it may go out twice; everything else is retried next minute. Two processes never send the same mail at once.",
  run: (services) => services.mailer.deliverPending(services.database.db),
});

/** Removes sessions, reset links and rate-limit counters that can no longer matter. */
export const pruneExpiredCredentials = defineJob({
  name: "identity.prune-expired",
  every: "17 * * * *",
  onCrash: "Each delete is its own statement; whatever was not deleted is deleted next hour.",
  run: async (services) => {
    const db = services.database.db;
    const monthAgo = new Date(services.clock().getTime() - 30 * 86_400_000);
    const dayAgo = new Date(services.clock().getTime() - 86_400_000);
    await db.delete(sessions).where(or(lt(sessions.expiresAt, monthAgo), and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, monthAgo))));
    await db.delete(passwordResets).where(lt(passwordResets.expiresAt, monthAgo));
    await db.delete(rateLimitBuckets).where(lt(rateLimitBuckets.windowStart, dayAgo));
  },
});

/** Keeps channels' credentials working: refreshes those that expire within 3 days, verifies the others daily. */
export const checkChannels = defineJob({
  name: "channels.check-health",
  every: "*/15 * * * *",
  onCrash:
    "Each channel is checked and recorded on its own. New credentials a network issued but we did not store yet are lost; the old ones are refreshed again next run, and if the network already refused them the channel is marked as needing a reconnect (never silently).",
  run: (services) => unsafeCheckAllChannels(services),
});

/** Plays the next tick of every Sandbox scenario run that is due (scenarios an admin started for a demo or drill). */
export const playSandboxScenarios = defineJob({
  name: "sandbox.play-scenarios",
  every: "* * * * *",
  onCrash:
    "Each run's tick and its progress commit in one transaction, so a crash half-way leaves neither and the tick is played once next minute. Runs are claimed with FOR UPDATE SKIP LOCKED: two workers never play the same tick.",
  run: async (services) => {
    await unsafePlayDueSandboxScenarios(services);
  },
});

/** Warns admins a week before a partner's access ends, and ends it when the time has come. */
export const endPartnerAccess = defineJob({
  name: "members.end-partner-access",
  every: "*/5 * * * *",
  onCrash: "Each partner is warned or removed in its own transaction, claimed under lock; whatever was not done is done at the next run.",
  run: (services) => unsafeEndPartnerAccess(services),
});

/** Once a quarter, reminds each workspace's owners and admins to review access, unless it was already signed off. */
export const remindAccessReview = defineJob({
  name: "access-review.remind-quarterly",
  every: "41 * * * *",
  onCrash:
    "Each workspace is reminded in its own transaction: the once-per-quarter record, the mails (outbox) and the audit event commit together or not at all, so a crash half-way leaves that workspace to the next run and a reminder never goes out twice.",
  run: (services) => unsafeSendAccessReviewReminders(services),
});

/** Posts in review: expires those whose scheduled time came before their approval; reminds approvers 24 h and 1 h before. */
export const approvalDeadlines = defineJob({
  name: "approvals.deadlines",
  every: "* * * * *",
  onCrash:
    "Each post is handled in its own transaction with its row locked: the state change (or the reminder mark on the run), the mail (outbox) and the audit event commit together or not at all, so a crash leaves that post to the next minute and nothing is mailed twice.",
  run: async (services) => {
    await unsafeRunApprovalDeadlines(services);
  },
});

/** Deletes images uploaded for a post that no post used within a day (a post's own images go with the post). */
export const pruneUnattachedMedia = defineJob({
  name: "media.prune-unattached",
  every: "23 * * * *",
  onCrash: "One DELETE statement: either it ran or it did not; whatever is left is deleted next hour.",
  run: async (services) => {
    await unsafePruneUnattachedMedia(services);
  },
});

/** Sends listening alerts to their destinations (Slack, Teams, webhooks, mail), retrying with backoff. */
export const deliverAlerts = defineJob({
  name: "listening.deliver-alerts",
  every: "* * * * *",
  onCrash:
    "A claimed delivery is due again when its lease ends: a webhook called but not yet recorded is sent again with the same webhook-id (receivers drop the repeat); mail is recorded with its delivery, so never twice.",
  run: async (services) => {
    await unsafeDeliverAlerts(services);
  },
});

/** Judges every active stream: volume spikes and turns to negative against its baseline, critical terms in new mentions. */
export const judgeStreams = defineJob({
  name: "listening.judge-streams",
  every: "* * * * *",
  onCrash:
    "Each stream is judged in its own transaction with its row locked while an alert is raised: a crash leaves that stream to the next minute, and the cooldown (per kind, per critical term) keeps a second worker or the next run from raising the same alert. Deliveries are queued with the alert.",
  run: async (services) => {
    await unsafeJudgeStreams(services);
  },
});

/**
 * Looks at the authors of mentions for accounts imitating the workspace's channels (confusable names, bait). Asked
 * for with `{ workspaceId }` by the listening pipeline as soon as it stored mentions (the worker debounces that to one
 * run per workspace per `SCAN_SOON_SECONDS`): scans that workspace's mentions since its mark. Its schedule is the
 * safety net: every 5 minutes, the mentions of all workspaces stored in the last 15 minutes.
 */
export const scanImpostors = defineJob({
  name: "listening.scan-impostors",
  every: "*/5 * * * *",
  onCrash:
    "Each workspace (or page of a workspace's new mentions) is scanned in its own transaction, its mark moved in the same one: suspects are upserted by network and handle (a status a person set is never changed), and an alert is raised only when a suspect is first inserted, so a repeated run raises nothing twice. A run that died is retried by the queue; the schedule covers the rest.",
  run: async (services, request) => {
    if (typeof request?.workspaceId === "string") await unsafeScanNewMentions(services, request.workspaceId);
    else await unsafeScanImpostors(services);
  },
});

/** A workspace's prompt impostor scan runs at most once per this many seconds, however many batches were stored. */
export const SCAN_SOON_SECONDS = 5;

/** The crisis room's deadlines: escalates statements not approved in time to the backup; reminds overdue tasks' owners and the lead when an internal update is due. */
export const roomDeadlines = defineJob({
  name: "crisis.room-deadlines",
  every: "* * * * *",
  onCrash:
    "Each statement, task and crisis is handled in its own transaction with its row locked: the escalation or reminder mark, the timeline event, the mail (outbox) and the audit event commit together or not at all, so a crash leaves that item to the next minute and nothing is escalated or mailed twice.",
  run: async (services) => {
    await unsafeRunRoomDeadlines(services);
  },
});

/** Puts listening on open crises' timelines: alerts on their watched streams, and changes in mention volume or tone. */
export const watchCrisisListening = defineJob({
  name: "crisis.watch-listening",
  every: "* * * * *",
  onCrash:
    "Each crisis is handled in its own transaction with its row locked: an alert is linked once (the timeline is checked for it first) and a volume change is recorded at most once per 30 minutes, so a crash leaves that crisis to the next minute and nothing is recorded twice.",
  run: async (services) => {
    await unsafeWatchListening(services);
  },
});

/** Delivers crisis drills' timed injects whose minute has come (onto the drill crisis's timeline). */
export const drillInjects = defineJob({
  name: "crisis.drill-injects",
  every: "* * * * *",
  onCrash: "Each drill's injects and their timeline events commit together in one transaction with the drill's row locked, so a crash leaves that drill's injects to the next minute and none is delivered twice.",
  run: async (services) => {
    await unsafeDeliverDrillInjects(services);
  },
});

/** Sends crisis mode's notices to stakeholders' alert destinations (Slack, Teams, webhooks), retrying with backoff. */
export const deliverCrisisNotices = defineJob({
  name: "crisis.deliver-notices",
  every: "* * * * *",
  onCrash:
    "A claimed notice is due again when its lease ends: a webhook called but not yet recorded is sent again with the same webhook-id (receivers drop the repeat); mail destinations were queued in the mail outbox with crisis mode itself, so never twice.",
  run: async (services) => {
    await unsafeDeliverCrisisNotices(services);
  },
});

export const JOBS = [deliverMail, pruneExpiredCredentials, checkChannels, playSandboxScenarios, endPartnerAccess, remindAccessReview, approvalDeadlines, pruneUnattachedMedia, deliverAlerts, judgeStreams, scanImpostors, roomDeadlines, watchCrisisListening, drillInjects, deliverCrisisNotices];
