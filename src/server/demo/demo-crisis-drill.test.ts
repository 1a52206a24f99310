import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../http/app";
import { seedDemo } from "./seed-demo";
import { DEMO_DRILL_CRISIS_TITLE, DEMO_DRILL_DAYS_AGO, MAIL_SENT_AFTER_MS } from "./demo-crisis-drill";
import { mailOutbox } from "../mail/mail.schema";
import { alertDeliveries, listeningAlerts } from "../domains/listening/listening.schema";
import { postTargets, publishingPauses } from "../domains/publishing/publishing.schema";
import { sandboxPosts, sandboxScenarioRuns } from "../networks/sandbox/sandbox.schema";
import { crisisModes } from "../domains/crisis/crisis.schema";
import { describeEachDatabase } from "../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../test/support/services";
import { signedInClient } from "../../../test/support/factories";

const MINUTE = 60_000;
const minutes = (from: string, to: string) => Math.round((new Date(to).getTime() - new Date(from).getTime()) / MINUTE * 10) / 10;

describeEachDatabase("the demo's finished drill", (kind) => {
  let services: TestServices;
  beforeAll(async () => {
    services = await createTestServices(kind, { PARAPET_DEMO_EMAIL: "olivia@ember.example.test", PARAPET_DEMO_PASSWORD: "demo-password-123", LOGIN_RATE_PER_MINUTE: "1000" });
  });
  afterAll(() => services.close());

  it("ships one finished drill of the viral complaint plan, twelve days ago, with its score, closed crisis and published review", async () => {
    const demo = await seedDemo(services);
    const app = createApp(services);
    const owner = await signedInClient(app, { email: "olivia@ember.example.test" }, { password: "demo-password-123" });
    const now = services.clock().getTime();
    const members = (await owner.get("/api/v1/workspace/members")).body.members as Array<{ userId: string; email: string }>;
    const who = (id: string | null) => members.find((m) => m.userId === id)?.email.split("@")[0] ?? null;

    // The drills page: one finished drill with its score and debrief.
    const { drills } = (await owner.get("/api/v1/crisis/drills")).body;
    expect(drills).toHaveLength(1);
    const drill = drills[0];
    expect(drill).toMatchObject({ planName: "Viral customer complaint", scenario: "viral_complaint", sandboxScenario: "viral_complaint", status: "finished", crisisNumber: 1, crisisStatus: "closed", startedByName: "Amir Rahimi" });
    expect(Math.round((now - new Date(drill.startedAt).getTime()) / 86_400_000)).toBe(DEMO_DRILL_DAYS_AGO);
    expect(drill.debrief).toMatch(/^Hotwash: /);
    expect(drill.injects.map((i: { kind: string; deliveredAt: string | null }) => [i.kind, i.deliveredAt !== null])).toEqual([
      ["approver_unreachable", true], ["journalist_dm", true], ["executive_asks", true], ["second_wave", true],
    ]);
    const score = Object.fromEntries(drill.score.criteria.map((c: { criterion: string; result: string; minutes: number | null }) => [c.criterion, [c.result, c.minutes]]));
    const alertMinute = score.declared[1] - 4;
    expect(alertMinute).toBeGreaterThanOrEqual(1); // the judging job raised the spike a few minutes into the drill
    expect(score).toEqual({
      declared: ["met", alertMinute + 4],
      paused: ["met", 1],
      holding_approved: ["missed", 38], // the approver was unreachable: the statement waited for its 30-minute deadline
      cadence_kept: ["met", 52],
      backup_used: ["met", null],
    });
    expect(drill.score).toMatchObject({ met: 4, applicable: 5 });

    // The drill's crisis: closed; no crisis is open, and no banner shows on a fresh demo.
    const crisis = (await owner.get(`/api/v1/crisis/crises/${drill.crisisId}`)).body;
    expect(crisis).toMatchObject({ number: 1, status: "closed", isDrill: true, originKind: "drill", severityLevel: 2, title: DEMO_DRILL_CRISIS_TITLE });
    expect((await owner.get("/api/v1/crisis/crises?status=open")).body.crises).toEqual([]);
    expect((await owner.get("/api/v1/crisis/banner")).body).toMatchObject({ crises: [] });

    // The published review, its figures from the timeline the seeding recorded (times from its clock's steps).
    const review = (await owner.get(`/api/v1/crisis/crises/${drill.crisisId}/review`)).body;
    expect(review).toMatchObject({ status: "published", ownerName: "Sofia Greco", isDrill: true });
    const f = review.figures;
    expect(f).toMatchObject({
      timeToDetectMinutes: 15, // the judging window: the first posts of the window that made the spike
      timeToDeclareMinutes: 4,
      timeToPauseMinutes: 1,
      timeToFirstPublicResponseMinutes: 39,
      durationMinutes: 110,
      stateMinutes: { triage: 0, active: 65, stable: 45 },
      heldPosts: { total: 4, resume: 3, reschedule: 0, edit: 0, discard: 1, pending: 0 },
      tasks: { total: 13, done: 13, open: 0, overdueWhenDone: 0 },
      cadence: { internal: { intervalMinutes: 60, sent: 3, kept: true, longestGapMinutes: 52 } },
    });
    expect(minutes(drill.startedAt, f.detectedAt)).toBe(alertMinute);
    expect(f.statements).toEqual([
      expect.objectContaining({ kind: "holding", locale: "en", status: "published", escalated: true, approvedByBackup: true, approvalMinutes: 32 }),
    ]);
    expect(minutes(f.declaredAt, f.statements[0].submittedAt)).toBe(6);
    expect(f.volume.peak.mentionsPerHour).toBeGreaterThan(3 * f.volume.before.mentionsPerHour);
    expect(review.content.whatHappened).toContain(`The spike alert came ${alertMinute} minutes after the first posts`);
    expect(review.actionItems.map((a: { ownerId: string; status: string }) => [who(a.ownerId), a.status])).toEqual([["amir", "open"], ["pieter", "open"], ["lucia", "open"], ["olivia", "open"]]);

    // The statement is on the Sandbox, published by the publisher at the drill's time.
    const statements = (await owner.get(`/api/v1/crisis/crises/${drill.crisisId}/statements`)).body.statements;
    expect(statements).toEqual([expect.objectContaining({ status: "published", approverName: "Pieter Jansen", backupApproverName: "Sofia Greco", decidedByName: "Sofia Greco" })]);
    const post = (await owner.get(`/api/v1/posts/${statements[0].postId}`)).body;
    expect(post.targets).toEqual([expect.objectContaining({ status: "published", publishedAt: f.firstPublicResponseAt })]);
    const [onSandbox] = await services.database.db.select().from(sandboxPosts).where(eq(sandboxPosts.text, post.text));
    expect(onSandbox.createdAt.toISOString()).toBe(f.firstPublicResponseAt);

    // Who was told: the drill's crisis team (crisis mode started with the SEV2 declaration), each notice sent seconds
    // after it at the drill's time, not "sent" without a time.
    const { notices } = (await owner.get(`/api/v1/crisis/crises/${drill.crisisId}/notices`)).body as { notices: Array<{ status: string; createdAt: string; deliveredAt: string | null; recipient: { kind: string; name: string } }> };
    expect(notices.map((n) => n.recipient.name).sort()).toEqual(["Amir Rahimi", "Jan de Vries", "Lucía Fernández", "Olivia Brandt", "Pieter Jansen", "Sofia Greco"]);
    for (const notice of notices) {
      expect(notice).toMatchObject({ status: "sent", recipient: { kind: "team" } });
      expect(new Date(notice.deliveredAt!).getTime() - new Date(f.declaredAt).getTime()).toBe(MAIL_SENT_AFTER_MS);
      expect(notice.createdAt).toBe(f.declaredAt); // recorded at the drill's time (the app's clock), not the database's today
    }

    // The plan's readiness: drilled twelve days ago.
    const { plans } = (await owner.get("/api/v1/crisis/plans")).body;
    const complaint = plans.find((p: { scenario: string }) => p.scenario === "viral_complaint");
    expect(complaint.readiness.lastDrilledDaysAgo).toBe(DEMO_DRILL_DAYS_AGO);

    // Nothing left behind: no pause or crisis mode in force, no mail, no undelivered alerts, no open alerts, no Sandbox run.
    const db = services.database.db;
    expect(await db.select().from(publishingPauses).where(and(eq(publishingPauses.workspaceId, demo.workspaceId), isNull(publishingPauses.resumedAt)))).toEqual([]);
    expect(await db.select().from(crisisModes).where(and(eq(crisisModes.workspaceId, demo.workspaceId), isNull(crisisModes.endedAt)))).toEqual([]);
    // The only mail waiting is the demo posts' (the intern's post waits for approval); the drill's mails are kept as sent
    // at its time, twelve days ago.
    const mails = await db.select().from(mailOutbox);
    expect(mails.filter((m) => !m.sentAt).every((m) => m.text.includes("/posts/"))).toBe(true);
    const drillMails = mails.filter((m) => m.sentAt);
    expect(drillMails.length).toBeGreaterThanOrEqual(notices.length);
    for (const m of drillMails) expect(Math.round((now - m.sentAt!.getTime()) / 86_400_000)).toBe(DEMO_DRILL_DAYS_AGO);
    expect(await db.select().from(alertDeliveries)).toEqual([]);
    expect((await db.select().from(listeningAlerts).where(eq(listeningAlerts.workspaceId, demo.workspaceId))).map((a) => a.status)).not.toContain("open");
    expect(await db.select().from(sandboxScenarioRuns)).toEqual([]);

    // The demo's own posts are as they were: each at its scheduled time in its state; the weekend promotion the drill
    // held was discarded.
    const { posts } = (await owner.get("/api/v1/posts")).body as { posts: Array<{ text: string; state: string; scheduledAt: string | null; targets: Array<{ status: string; dueAt: string | null; heldReason: string | null }> }> };
    const demoPosts = posts.filter((p) => p.text !== post.text && !p.text.startsWith("Hearth weekend"));
    expect(demoPosts.map((p) => [p.text.slice(0, 12), p.state, p.targets.map((t) => t.status).join(",")]).sort()).toEqual([
      ["BLACK FRIDAY", "cancelled", "cancelled,cancelled"],
      ["Cupping Satu", "in_review", "draft"],
      ["Good morning", "scheduled", "scheduled"],
      ["Latte art co", "draft", "draft"],
      ["Our Huila si", "scheduled", "scheduled,scheduled"],
    ]);
    for (const p of demoPosts.filter((p) => p.state === "scheduled")) {
      for (const t of p.targets) expect([t.dueAt, t.heldReason]).toEqual([p.scheduledAt, null]);
    }
    expect(posts.find((p) => p.text.startsWith("Hearth weekend"))).toMatchObject({ state: "cancelled", targets: [{ status: "cancelled" }] });
    expect((await db.select().from(postTargets).where(eq(postTargets.workspaceId, demo.workspaceId))).filter((t) => t.status === "held")).toEqual([]);
  });
});
