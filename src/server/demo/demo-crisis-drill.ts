import { and, asc, desc, eq, gte, isNull } from "drizzle-orm";
import type { Role } from "../../contracts/roles";
import type { DrillInject } from "../../contracts/crisis-review";
import { inTransaction, unsafeSystemCtx, withActor, type Ctx, type Services } from "../context";
import type { Db } from "../db/client";
import { mailOutbox } from "../mail/mail.schema";
import type { Mailer, MailMessage } from "../mail/mailer";
import { findUserByEmail } from "../domains/identity";
import { listChannels } from "../domains/channels";
import { createPost, unsafePublishDue } from "../domains/publishing";
import { listeningAlerts, listeningSources, listeningStreams } from "../domains/listening/listening.schema";
import { unsafeJudgeStreams } from "../domains/listening/alerts/judge-streams";
import { setAlertStatus } from "../domains/listening/alerts/alerts-api";
import { createListeningPipeline } from "../domains/listening/pipeline/pipeline";
import { crises, crisisDrills, crisisHeldPosts, crisisModes, crisisPlans, crisisTasks } from "../domains/crisis/crisis.schema";
import { changeCrisisStatus, endCrisisMode, decideHeldPost, startCrisisMode, switchCrisisMode } from "../domains/crisis/crises";
import { createStatement, decideStatement, postStatusUpdate, publishStatement, submitStatement, unsafeRunRoomDeadlines, updateStatement, updateTask } from "../domains/crisis/room";
import { addActionItem, publishReview, updateReview } from "../domains/crisis/review";
import { declareDrillCrisis, DEFAULT_INJECTS, finishDrill, sandboxScenarioFor, unsafeDeliverDrillInjects } from "../domains/crisis/drills";
import { SANDBOX_SCENARIOS } from "../networks/sandbox/scenarios";
import { createSandboxConnector } from "../networks/sandbox/connector";
import { createNetworkRegistry } from "../networks/registry";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** How long ago the demo's drill was played (the viral complaint plan's readiness says "drilled 12 days ago"). */
export const DEMO_DRILL_DAYS_AGO = 12;
/** The drill crisis's title: not the default "Drill: <plan>", so a drill started in the demo is told apart from this one. */
export const DEMO_DRILL_CRISIS_TITLE = "Drill: mouldy Hearth beans, batch HB-0923";
/** How long after it was queued each of the drill's mails is recorded as sent. */
export const MAIL_SENT_AFTER_MS = 3_000;
/** Minutes from the spike alert to the declaration: the review's "time to declare". */
export const DEMO_DRILL_DECLARE_AFTER_ALERT = 4;

/**
 * The demo brand's finished drill of its viral complaint plan, about twelve days ago, with its published review.
 *
 * Everything is done through the real commands and jobs, as the people who hold the plan's roles, on a copy of the
 * services whose clock starts at the drill and is moved on minute by minute (the worker's minute jobs — drill injects,
 * room deadlines — run at each minute, as they would have): Amir (admin) runs the drill; the Sandbox scenario's
 * complaints reach the brand stream through the listening pipeline and the judging job raises a spike alert; Sofia
 * (crisis lead) declares the drill crisis from it 4 minutes later (SEV2: crisis mode with lock down starts with it),
 * pauses the Sandbox channels, the team works the plan's checklist; Jan (social) starts the plan's English holding
 * statement and submits it to Pieter (PR, the approver), who is "unreachable" (the drill's inject); when the deadline
 * passes the room's deadline job escalates it to Sofia (PR backup), who approves and publishes it on @emberoak (the
 * publisher job puts it on the Sandbox); status updates on the SEV2 cadence; the crisis goes stable, crisis mode ends,
 * each held post is decided (the demo's own posts resume at their times; a promotion written for that weekend is
 * discarded), the crisis is closed, the alert resolved, the drill finished (its score from the timeline) and, the next
 * day, Sofia writes and publishes the review with action items for their owners.
 *
 * Only the drill row is written directly: startDrill would start the scenario playing on the Sandbox now.
 * The copy of the services never sends mail: the team's notices and the approver's and backup's mails are kept in the
 * outbox as sent a few seconds after they were written, at the drill's time (the crisis page lists each notice as sent
 * then; nothing goes out today), and its Sandbox connector dates what it publishes at the copy's clock.
 * Afterwards the demo's posts are as before (resumed at their old times), no pause or crisis mode is in force and no
 * alert is left open.
 * The commands commit one by one (a few seconds in all): a worker in this process starts only after seeding, but a
 * worker in another process running its minute jobs meanwhile would act on the running drill at today's time.
 */
export async function seedDemoCrisisDrill(services: Services, workspaceId: string): Promise<void> {
  const db = services.database.db;
  const domain = services.config.demo.email.split("@")[1];
  const [plan] = await db
    .select()
    .from(crisisPlans)
    .where(and(eq(crisisPlans.workspaceId, workspaceId), eq(crisisPlans.scenario, "viral_complaint")));
  if (!plan) return;

  // The copy of the services the drill is played with: its own clock, mail kept as sent then, a Sandbox that dates posts by it.
  // Three hours more than the days, on a quarter hour: finished (about two hours later) still DEMO_DRILL_DAYS_AGO days ago.
  const drillStart = new Date(Math.floor((services.clock().getTime() - DEMO_DRILL_DAYS_AGO * DAY - 3 * 60 * MINUTE) / (15 * MINUTE)) * 15 * MINUTE);
  let now = drillStart.getTime();
  const clock = () => new Date(now);
  // A drill played in the past sends no mail today: each mail is written as sent MAIL_SENT_AFTER_MS after it was queued,
  // at the drill's time, as the outbox's after-commit delivery would have sent it.
  const pastMail = Object.assign(Object.create(services.mailer) as Mailer, {
    enqueue: async (tx: Db, message: MailMessage) => {
      const [row] = await tx
        .insert(mailOutbox)
        .values({ toAddress: message.to, subject: message.subject, text: message.text, workspaceId: message.workspaceId ?? null, createdAt: clock(), sentAt: new Date(now + MAIL_SENT_AFTER_MS), attempts: 1 })
        .returning({ id: mailOutbox.id });
      return row.id;
    },
    deliverSoon: () => {},
  });
  const sandbox = createSandboxConnector(db, clock, { siteUrl: `${services.config.publicUrl}/sandbox` });
  const networks = createNetworkRegistry([sandbox, ...services.networks.availableNetworks().filter((c) => c.network !== sandbox.network)]);
  const past: Services = { ...services, clock, mailer: pastMail, networks };
  const system = unsafeSystemCtx(past, "demo", workspaceId);

  const person = async (local: string, role: Role): Promise<{ id: string; ctx: Ctx }> => {
    const user = local === "owner" ? (await findUserByEmail(db, services.config.demo.email))! : (await findUserByEmail(db, `${local}@${domain}`))!;
    return { id: user.id, ctx: withActor(system, { type: "user", userId: user.id, email: user.email, name: user.name, role, via: "session" }, workspaceId) };
  };
  const amir = await person("amir", "admin");
  const sofia = await person("sofia", "manager");
  const jan = await person("jan", "member");
  const lucia = await person("lucia", "member");
  const pieter = await person("pieter", "member");
  const owner = await person("owner", "owner");

  const channels = await listChannels(system);
  const channel = (handle: string) => channels.find((c) => c.handle === handle)!.id;
  const [brandStream] = await db.select().from(listeningStreams).where(and(eq(listeningStreams.workspaceId, workspaceId), eq(listeningStreams.name, "Ember & Oak")));
  const [source] = await db.select().from(listeningSources).where(eq(listeningSources.workspaceId, workspaceId)).limit(1);

  /**
   * Moves the clock to `minute` after the drill's start and runs the worker's minute jobs there (drill injects, room
   * deadlines), and on the way at each inject's minute. The jobs act on everything due by then, so running them only
   * at these moments gives what running them every minute would (every task is done before its due time).
   */
  const at = async (minute: number) => {
    const target = drillStart.getTime() + minute * MINUTE;
    const stops = [...DEFAULT_INJECTS.map((i) => drillStart.getTime() + i.atMinute * MINUTE).filter((t) => t > now && t < target), target];
    for (const stop of stops) {
      now = stop;
      await unsafeDeliverDrillInjects(past);
      await unsafeRunRoomDeadlines(past);
    }
  };

  // The day before: a weekend promotion for the house blend, scheduled for the drill's morning.
  now = drillStart.getTime() - DAY;
  await createPost(sofia.ctx, {
    text: "Hearth weekend: 15% off every bag of our house blend until Sunday. Stock up! ☕ #EmberOak",
    channels: [{ channelId: channel("emberoak") }],
    scheduledAt: new Date(drillStart.getTime() + 95 * MINUTE).toISOString(),
  });

  // The drill starts (the row startDrill would write, without starting the Sandbox scenario now).
  now = drillStart.getTime();
  const injects: DrillInject[] = DEFAULT_INJECTS.map((i) => ({ ...i, deliveredAt: null }));
  const drillId = await inTransaction(amir.ctx, async (tx) => {
    const [drill] = await tx.db
      .insert(crisisDrills)
      .values({ workspaceId, planId: plan.id, sandboxScenario: sandboxScenarioFor(plan.scenario), status: "running", injects, startedBy: amir.id, startedAt: clock() })
      .returning();
    await tx.audit({ type: "crisis.drill_started", data: { drillId: drill.id, planId: plan.id, sandboxScenario: drill.sandboxScenario, injects: injects.length } }, { type: "crisis_drill", id: drill.id });
    return drill.id;
  });

  // The scenario's complaints, a tick a minute, reach the brand stream through the listening pipeline.
  if (source) {
    const pipeline = createListeningPipeline(past, { workers: 0 });
    try {
      for (const [tick, beats] of SANDBOX_SCENARIOS[sandboxScenarioFor(plan.scenario)].ticks.entries()) {
        const posts = beats.flatMap((beat, n) => {
          if (!("post" in beat)) return [];
          const postedAt = new Date(drillStart.getTime() + tick * MINUTE + (10 + n * 3) * 1000);
          return [{
            network: "sandbox",
            receivedAt: new Date(postedAt.getTime() + 2000),
            post: {
              networkPostId: `demo-drill-${beat.key}`,
              author: { networkAccountId: `demo-drill-${beat.post.by}`, handle: beat.post.by, displayName: beat.post.by },
              text: beat.post.text,
              lang: beat.post.lang,
              createdAt: postedAt.toISOString(),
              url: null,
            },
          }];
        });
        if (posts.length) await pipeline.submit({ workspaceId, sourceId: source.id, posts, position: null });
      }
    } finally {
      await pipeline.close();
    }
  }

  // The judging job, every minute, on the brand stream, until the spike stands out against the demo's history.
  let alertMinute = 0;
  for (let minute = 1; minute <= 15 && brandStream; minute++) {
    await at(minute);
    if ((await unsafeJudgeStreams(past, { streamIds: [brandStream.id] })).raised > 0) {
      alertMinute = minute;
      break;
    }
  }
  const alerts = brandStream
    ? await db
        .select()
        .from(listeningAlerts)
        .where(and(eq(listeningAlerts.streamId, brandStream.id), gte(listeningAlerts.raisedAt, drillStart)))
        .orderBy(asc(listeningAlerts.raisedAt))
    : [];
  const spike = alerts.find((a) => a.kind === "spike") ?? alerts[0];
  // Should the history ever hide the spike, the drill is declared by hand instead (the review then has no time to detect).
  if (!spike) services.log.warn("demo drill: the scenario's complaints raised no alert on the brand stream; declaring it by hand");

  // Declared from the alert, 4 minutes after it (SEV2: crisis mode starts with lock down and notices to the team).
  const D = (spike ? alertMinute : 4) + DEMO_DRILL_DECLARE_AFTER_ALERT;
  await at(D);
  const declared = await declareDrillCrisis(sofia.ctx, drillId, {
    alertId: spike?.id,
    severityLevel: 2,
    title: DEMO_DRILL_CRISIS_TITLE,
    summary: "A reviewer with a large following posts photos of mould in a sealed bag of Hearth; the pile-on grows in five languages.",
  });
  const crisisId = declared.crisisId!;
  const version = async () => (await db.select({ version: crises.version }).from(crises).where(eq(crises.id, crisisId)))[0].version;
  const tasks = async () => db.select().from(crisisTasks).where(eq(crisisTasks.crisisId, crisisId)).orderBy(asc(crisisTasks.position));
  const done = async (who: { ctx: Ctx }, stepId: string) => {
    const task = (await tasks()).find((t) => t.planStepId === stepId && t.status === "open");
    if (task) await updateTask(who.ctx, crisisId, task.id, { status: "done" });
  };

  // The lead pauses the Sandbox channels: the demo's scheduled posts and the weekend promotion are held.
  await at(D + 1);
  const [modeOn] = await db.select({ id: crisisModes.id }).from(crisisModes).where(and(eq(crisisModes.crisisId, crisisId), isNull(crisisModes.endedAt)));
  if (modeOn) await switchCrisisMode(sofia.ctx, crisisId, { pause: "all" });
  // A severity without automatic crisis mode: the lead starts it.
  else await startCrisisMode(sofia.ctx, crisisId, { reason: "Viral complaint drill: hold the queue, lock down replies", pause: "all", lockdown: true, notify: true });
  await done(sofia, "mode");
  await done(sofia, "assign");
  await at(D + 2);
  await done(jan, "hold-promo");
  await at(D + 4);
  await done(jan, "snapshot");
  await done(jan, "link");

  // Jan starts the plan's holding statement, fills it in and submits it: Pieter (PR) approves, Sofia is the backup.
  await at(D + 5);
  const draft = await createStatement(jan.ctx, crisisId, { kind: "holding", templateId: "holding-en", channelIds: [channel("emberoak")] });
  const edited = await updateStatement(jan.ctx, crisisId, draft.id, {
    version: draft.version,
    body:
      "We've seen Dan's post about mould in a sealed bag of Hearth (batch HB-0923). That isn't the experience we want for anyone, and we're sorry. We've contacted Dan directly and are checking batch HB-0923 at our roastery. If you have a bag from this batch, please don't drink it and message us at @emberoak_support for a refund. We'll share what we find and what we're changing by 17:00 today.",
  });
  await at(D + 6);
  const submitted = await submitStatement(jan.ctx, crisisId, draft.id, { version: edited.version });
  await done(jan, "holding");
  await at(D + 8);
  await done(sofia, "timers");
  await at(D + 14);
  await done(lucia, "verify");

  // The executive asks (an inject): Sofia answers with an executive status update.
  await at(D + 18);
  await postStatusUpdate(sofia.ctx, crisisId, {
    kind: "executive",
    body: {
      status: "Drill crisis declared (SEV2). Crisis mode on: Sandbox channels paused, replies locked to the crisis team.",
      overview: "A reviewer found mould in a sealed bag of Hearth, batch HB-0923; the pile-on is growing in five languages. Customer care has verified the batch and is contacting the reviewer.",
      nextSteps: "Holding statement waiting for approval (Pieter is unreachable; Sofia backs him up at the deadline). Next update within the hour.",
    },
  });
  for (const task of await tasks()) if (task.source === "adhoc" && task.status === "open") await updateTask(sofia.ctx, crisisId, task.id, { status: "done" });
  await at(D + 22);
  await done(lucia, "contact");
  await at(D + 28);
  await postStatusUpdate(sofia.ctx, crisisId, {
    kind: "tactical",
    body: {
      conditions: "Mentions of the brand about ten times the usual rate, mostly negative; a journalist has asked for comment.",
      actions: "Reviewer contacted privately; promotions held; holding statement in approval.",
      needs: "An approver for the holding statement: Pieter cannot be reached.",
    },
  });

  // The approval deadline passes: the room's deadline job escalates the statement to the backup, who approves it.
  const deadline = Math.ceil((new Date(submitted.deadlineAt!).getTime() - drillStart.getTime()) / MINUTE);
  await at(deadline);
  await at(deadline + 2);
  const approved = await decideStatement(sofia.ctx, crisisId, draft.id, { decision: "approve" });
  await at(deadline + 3);
  await publishStatement(sofia.ctx, crisisId, draft.id, { version: approved.version });
  await unsafePublishDue(past);
  await at(deadline + 5);
  await done(sofia, "macro");

  await at(D + 55);
  await done(jan, "watch");
  await done(sofia, "resolution");
  await at(D + 58);
  await postStatusUpdate(sofia.ctx, crisisId, {
    kind: "tactical",
    body: {
      conditions: "Volume falling since the statement; the reviewer thanked us for the refund and the batch check.",
      actions: "Statement published on @emberoak; customer care answers individual messages privately.",
      needs: "Nothing now. Moving to stable.",
    },
  });
  await at(D + 65);
  await changeCrisisStatus(sofia.ctx, crisisId, { to: "stable", version: await version() });

  // Crisis mode ends; each held post is decided on its own: the demo's posts resume at their times, the promotion goes.
  await at(D + 100);
  await endCrisisMode(sofia.ctx, crisisId);
  const held = await db
    .select({ postTargetId: crisisHeldPosts.postTargetId, previousDueAt: crisisHeldPosts.previousDueAt })
    .from(crisisHeldPosts)
    .where(eq(crisisHeldPosts.crisisId, crisisId))
    .orderBy(asc(crisisHeldPosts.previousDueAt));
  let minute = D + 101;
  for (const target of held) {
    await at(minute++);
    const promotion = target.previousDueAt !== null && target.previousDueAt.getTime() < services.clock().getTime() - DAY;
    await decideHeldPost(promotion ? jan.ctx : sofia.ctx, crisisId, target.postTargetId, { decision: promotion ? "discard" : "resume" });
  }

  await at(D + 110);
  await changeCrisisStatus(sofia.ctx, crisisId, {
    to: "closed",
    version: await version(),
    resolution: "Holding statement published on @emberoak, the reviewer refunded and the batch checked; volume back to normal. Drill ended.",
  });
  await at(D + 111);
  for (const alert of alerts) await setAlertStatus(sofia.ctx, alert.id, "resolved");

  // The facilitator ends the drill: its score from the timeline, and the hotwash notes.
  await at(D + 115);
  await finishDrill(amir.ctx, drillId, {
    debrief:
      "Hotwash: we declared fast and the pause held the queue within a couple of minutes. The statement waited 30 minutes for Pieter before it reached Sofia: with the approver unreachable, nobody thought of asking the backup earlier. Customer care had the batch verified before the statement went out, which made the text concrete. Next time: ask the backup as soon as the approver is known to be away.",
  });

  // The next day, Sofia writes the blameless review, names owners for the action items and publishes it.
  now = drillStart.getTime() + DAY + 4 * 60 * MINUTE;
  await updateReview(sofia.ctx, crisisId, {
    content: {
      summary: "A drill of the viral complaint plan: a reviewer's post about mould in a bag of Hearth (batch HB-0923) drew a pile-on in five languages. We declared within minutes, paused the queue and published the holding statement after the backup approved it.",
      whatHappened: `The spike alert came ${alertMinute} minutes after the first posts reached the brand stream; Sofia declared the drill crisis ${DEMO_DRILL_DECLARE_AFTER_ALERT} minutes later. Crisis mode locked replies and, a minute later, paused the Sandbox channels. Jan had the holding statement ready six minutes after the declaration, but Pieter (PR, the approver) was unreachable; the statement waited until its 30-minute deadline escalated it to Sofia, who approved and published it.`,
      contributingFactors: "The SEV2 approval deadline is 30 minutes: with the approver away, the first public response could not come sooner. Nobody asked the backup before the deadline.",
      resolution: "The statement went out on @emberoak, customer care refunded the reviewer and the batch check came back clean. The crisis went stable after an hour and was closed after crisis mode ended and every held post was decided.",
      impact: "No real customers were involved (a drill on the Sandbox). The weekend promotion for Hearth was discarded; the other scheduled posts resumed at their times.",
      wentWell: "Fast declaration and pause; tasks done on time; customer care verified the facts before the statement went out; status updates kept their cadence.",
      toChange: "Ask the backup approver as soon as the approver is known to be unreachable instead of waiting for the deadline; a shorter approval deadline for SEV2.",
      gotLucky: "The journalist's deadline was an hour: a shorter one would have passed before our first statement.",
      followUp: "See the action items.",
    },
  });
  const inTwoWeeks = new Date(services.clock().getTime() + 14 * DAY).toISOString();
  await addActionItem(sofia.ctx, crisisId, { title: "Shorten the SEV2 approval deadline from 30 to 15 minutes", ownerId: amir.id, dueAt: inTwoWeeks });
  await addActionItem(sofia.ctx, crisisId, { title: "Add to the plan: ask the PR backup as soon as the approver is unreachable", ownerId: pieter.id, dueAt: inTwoWeeks, updatesPlan: true });
  await addActionItem(sofia.ctx, crisisId, { title: "Write a saved private reply for refunds of a faulty batch", ownerId: lucia.id, dueAt: inTwoWeeks });
  await addActionItem(sofia.ctx, crisisId, { title: "Schedule the next drill of the viral complaint plan", ownerId: owner.id, dueAt: inTwoWeeks });
  await publishReview(sofia.ctx, crisisId);
}

/** The demo's drill, if seeded (for tests and docs): the newest finished drill of the workspace. */
export async function findDemoDrill(services: Services, workspaceId: string) {
  const [drill] = await services.database.db
    .select()
    .from(crisisDrills)
    .where(and(eq(crisisDrills.workspaceId, workspaceId), eq(crisisDrills.status, "finished")))
    .orderBy(desc(crisisDrills.startedAt))
    .limit(1);
  return drill ?? null;
}
