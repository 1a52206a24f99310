import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CrisisPlanContent } from "../../../../contracts/crisis-plans";
import { mailOutbox } from "../../../mail/mail.schema";
import { findSandboxAccount } from "../../../networks/sandbox/network";
import { seedSandboxNetwork } from "../../../networks/sandbox/seed";
import { sandboxPosts } from "../../../networks/sandbox/sandbox.schema";
import { unsafePublishDue } from "../../publishing";
import { posts } from "../../publishing/publishing.schema";
import { listeningStreams, streamMinuteCounts } from "../../listening/listening.schema";
import { crises, crisisPlans, crisisPlanVersions, crisisRoles, crisisSeverities, crisisStatements, crisisTasks } from "../crisis.schema";
import { unsafeRunRoomDeadlines } from "./deadlines";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { buildWorkspace } from "../../../../../test/support/factories";
import type { HttpClient } from "../../../../../test/support/http";
import { routeTestWorkspace } from "../../../../../test/support/route-fixtures";
import type { TestServices } from "../../../../../test/support/services";

const NOW = new Date("2026-11-23T09:00:00Z");
const MIN = 60_000;

describeEachDatabase("crisis room", (kind) => {
  let services: TestServices;
  let ws: Awaited<ReturnType<typeof buildWorkspace>>;
  let owner: HttpClient;
  let admin: HttpClient;
  let manager: HttpClient;
  let member: HttpClient;
  let outsider: HttpClient;
  let crisisId: string;
  let channelId: string;
  let accountId: string;
  let streamId: string;
  let seededPosts: number;
  const base = () => `/api/v1/crisis/crises/${crisisId}`;

  beforeAll(async () => {
    ({ services, ws, as: { owner, admin, manager, member, outsider } } = await routeTestWorkspace(kind, ["owner", "admin", "manager", "member", "outsider"], { now: NOW, env: { LOGIN_RATE_PER_MINUTE: "1000" } }));
    const db = services.database.db;
    const workspaceId = ws.workspace.id;

    await seedSandboxNetwork(db, services.clock());
    const channel = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" });
    expect(channel.status, channel.text).toBe(200);
    channelId = channel.body.id;
    accountId = (await findSandboxAccount(db, "emberoak"))!.id;
    seededPosts = (await db.select().from(sandboxPosts).where(eq(sandboxPosts.accountId, accountId))).length;
    const grants = await admin.put("/api/v1/channel-access", { changes: [{ channelId, userId: ws.people.manager.id, level: "publish" }] });
    expect(grants.status, grants.text).toBe(200);

    [{ id: streamId }] = await db.insert(listeningStreams).values({ workspaceId, name: "Brand", query: "emberoak" }).returning();
    // SEV2 here: the lead approves within 15 minutes; internal updates every 30 minutes, public ones every 60.
    await db.insert(crisisSeverities).values({ workspaceId, level: 2, name: "SEV2", approverRole: "lead", internalUpdateMinutes: 30, publicUpdateMinutes: 60, approvalDeadlineMinutes: 15 });
    const content: CrisisPlanContent = {
      description: "A complaint goes viral",
      defaultSeverity: 2,
      roles: [{ role: "lead", holderId: ws.people.manager.id, backupId: ws.people.admin.id }],
      checklist: [],
      statements: [{ id: "ack-en", title: "Acknowledge", locale: "en", body: "We hear you. We are looking into [issue] and will update you by [time].", approvedBy: ws.people.owner.id, approvedAt: NOW.toISOString() }],
      stakeholders: [],
      triggers: { streamIds: [streamId], alertKinds: ["spike"] },
      crisisMode: { pause: "all", lockdown: true, secure: false, notify: true },
    };
    const [plan] = await db.insert(crisisPlans).values({ workspaceId, scenario: "viral_complaint", name: "Viral complaint" }).returning();
    await db.insert(crisisPlanVersions).values({ planId: plan.id, version: 1, content });
    // The crisis as the lifecycle writes it when declared and made active; the lead and the lead's backup hold roles.
    const [crisis] = await db
      .insert(crises)
      .values({ workspaceId, number: 1, title: "Refund complaints", planId: plan.id, planVersion: 1, scenario: "viral_complaint", severityLevel: 2, status: "active", originKind: "manual", declaredBy: ws.people.manager.id, declaredAt: NOW, detectedAt: NOW, activatedAt: NOW, nextInternalUpdateDueAt: new Date(NOW.getTime() + 30 * MIN) })
      .returning();
    crisisId = crisis.id;
    await db.insert(crisisRoles).values([
      { crisisId, role: "lead", userId: ws.people.manager.id, isBackup: false, assumedAt: NOW },
      { crisisId, role: "lead", userId: ws.people.admin.id, isBackup: true, assumedAt: NOW },
    ]);
  });
  afterAll(() => services.close());

  const mailsTo = async (email: string) => services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email));
  const timeline = async () => (await owner.get(`${base()}/timeline`)).body.events as Array<{ id: string; type: string; pinned: boolean; text: string; data: Record<string, unknown> }>;

  it("keeps a timeline: the team adds notes and pins key moments; others read it but do not act", async () => {
    const note = await manager.post(`${base()}/notes`, { text: "Refund page down since 08:40" });
    expect(note.status, note.text).toBe(200);
    expect(note.body).toMatchObject({ type: "note", text: "Refund page down since 08:40", pinned: false, actorLabel: "Manager" });
    expect((await manager.post(`${base()}/timeline/${note.body.id}/pin`, { pinned: true })).body.pinned).toBe(true);

    // A member outside the crisis team reads the room but may not act in it.
    const read = await member.get(`${base()}/timeline`);
    expect(read.status).toBe(200);
    expect(read.body.access.act).toBe(false);
    expect(read.body.events.map((e: { text: string; pinned: boolean }) => [e.text, e.pinned])).toEqual([["Refund page down since 08:40", true]]);
    const refused = await member.post(`${base()}/notes`, { text: "me too" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("crisis_not_on_team");
    // Once on the team (any current role), they act.
    await services.database.db.insert(crisisRoles).values({ crisisId, role: "member", userId: ws.people.member.id, assumedAt: NOW });
    expect((await member.get(`${base()}/timeline`)).body.access.act).toBe(true);
    expect((await member.post(`${base()}/notes`, { text: "Customer care has 40 tickets" })).status).toBe(200);

    expect((await manager.post(`${base()}/notes`, { text: "   " })).body.error.code).toBe("invalid_input");
    expect((await manager.post(`${base()}/timeline/00000000-0000-4000-8000-000000000000/pin`, { pinned: true })).body.error.code).toBe("crisis_event_not_found");
    expect((await outsider.get(`${base()}/timeline`)).body.error.code).toBe("crisis_not_found");
  });

  it("adds ad hoc tasks with owners and due times; overdue ones stand out and their owner is reminded once", async () => {
    const dueAt = new Date(services.clock().getTime() + 10 * MIN).toISOString();
    const created = await manager.post(`${base()}/tasks`, { title: "Collect affected order numbers", kind: "research", ownerId: ws.people.member.id, dueAt });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ source: "adhoc", kind: "research", ownerName: "Member", status: "open", overdue: false, dueAt });
    // A plan checklist task, as the lifecycle writes them when the crisis becomes active.
    await services.database.db.insert(crisisTasks).values({ crisisId, source: "plan", planStepId: "pause", kind: "publishing", title: "Check the pause holds", ownerRole: "lead", dueAt: new Date(NOW.getTime() + 5 * MIN), createdAt: NOW });

    expect((await manager.post(`${base()}/tasks`, { title: "x", ownerId: (await buildWorkspace(services)).people.member.id })).body.error.fields).toEqual({ ownerId: ["Choose someone in this workspace"] });
    expect((await manager.post(`${base()}/tasks`, { title: "" })).status).toBe(400);

    services.clock.advance(11 * MIN);
    const list = await member.get(`${base()}/tasks`);
    expect(list.body.overdue).toBe(2);
    expect(list.body.tasks.map((t: { title: string; overdue: boolean }) => [t.title, t.overdue])).toEqual([
      ["Check the pause holds", true],
      ["Collect affected order numbers", true],
    ]);

    const first = await unsafeRunRoomDeadlines(services);
    expect(first.tasksReminded).toBe(2);
    expect((await mailsTo(ws.people.member.email)).map((m) => m.subject)).toEqual(["Overdue in CR-1 “Refund complaints”: Collect affected order numbers"]);
    // The plan's task is owned by a role: its holder (the lead) is reminded.
    expect((await mailsTo(ws.people.manager.email)).some((m) => m.subject.includes("Check the pause holds"))).toBe(true);
    expect((await unsafeRunRoomDeadlines(services)).tasksReminded).toBe(0);

    const done = await member.patch(`${base()}/tasks/${created.body.id}`, { status: "done" });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ status: "done", overdue: false, doneByName: "Member" });
    const events = await timeline();
    expect(events.filter((e) => e.type === "task_done").map((e) => e.data)).toEqual([expect.objectContaining({ taskId: created.body.id, status: "done", late: true })]);
    expect(events.filter((e) => e.type === "reminder_sent")).toHaveLength(2);
    expect((await manager.patch(`${base()}/tasks/00000000-0000-4000-8000-000000000000`, { status: "done" })).body.error.code).toBe("crisis_task_not_found");
  });

  it("takes internal status updates on the severity's cadence and reminds the lead when one is due", async () => {
    const bad = await manager.post(`${base()}/updates`, { kind: "executive", body: { conditions: "?" } });
    expect(bad.status).toBe(400);
    const tactical = await manager.post(`${base()}/updates`, { kind: "tactical", body: { conditions: "Refund page down, 300 mentions an hour", actions: "Holding statement in review", needs: "Engineering ETA" } });
    expect(tactical.status, tactical.text).toBe(200);
    let list = (await member.get(`${base()}/updates`)).body;
    expect(list).toMatchObject({ due: false, cadenceMinutes: 30, nextDueAt: new Date(services.clock().getTime() + 30 * MIN).toISOString() });
    expect(list.updates[0]).toMatchObject({ kind: "tactical", authorName: "Manager", body: { needs: "Engineering ETA" } });

    services.clock.advance(31 * MIN);
    expect((await member.get(`${base()}/updates`)).body.due).toBe(true);
    const before = (await mailsTo(ws.people.manager.email)).length;
    expect((await unsafeRunRoomDeadlines(services)).updatesReminded).toBe(1);
    expect((await unsafeRunRoomDeadlines(services)).updatesReminded).toBe(0);
    const mails = await mailsTo(ws.people.manager.email);
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)!.subject).toBe("Internal status update due for CR-1 “Refund complaints”");

    const executive = await manager.post(`${base()}/updates`, { kind: "executive", body: { status: "Contained", overview: "Refunds work again", nextSteps: "Answer the backlog" } });
    expect(executive.status).toBe(200);
    list = (await member.get(`${base()}/updates`)).body;
    expect(list.due).toBe(false);
    expect(list.updates.map((u: { kind: string }) => u.kind)).toEqual(["executive", "tactical"]);
    const updates = (await timeline()).filter((e) => e.type === "status_update");
    expect(updates.map((e) => e.data.late)).toEqual([false, true]);
  });

  it("fast-track approval: a statement not approved by the deadline escalates to the backup, who approves it (controllable clock)", async () => {
    const started = await member.post(`${base()}/statements`, { kind: "holding", templateId: "ack-en", channelIds: [channelId] });
    expect(started.status, started.text).toBe(200);
    expect(started.body).toMatchObject({ status: "draft", locale: "en", body: "We hear you. We are looking into [issue] and will update you by [time].", templateId: "ack-en" });
    expect((await member.post(`${base()}/statements`, { kind: "holding", templateId: "nope" })).body.error.code).toBe("statement_template_not_found");

    const stale = await member.patch(`${base()}/statements/${started.body.id}`, { version: 0, body: "x" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("statement_version_conflict");
    // The template's placeholders are filled in before approval: in the text and in each channel's own text.
    expect(started.body).toMatchObject({ placeholdersLeft: ["[issue]", "[time]"], can: { submit: false } });
    expect((await member.get(`${base()}/statements`)).body.placeholders).toEqual(expect.arrayContaining(["[issue]", "[time]", "[product]", "[product, lot/model]"]));
    const unfilled = await member.post(`${base()}/statements/${started.body.id}/submit`, { version: 1 });
    expect(unfilled.status).toBe(409);
    expect(unfilled.body.error).toMatchObject({ code: "statement_placeholders_left", placeholders: ["[issue]", "[time]"] });
    const half = await member.patch(`${base()}/statements/${started.body.id}`, {
      version: 1,
      body: "We hear you [sic]. Refunds are failing [1]; we are fixing it.",
      variants: [{ channelId, body: "We hear you: refunds are failing. Next update by [time]." }],
    });
    expect(half.body).toMatchObject({ placeholdersLeft: ["[time]"], can: { submit: false } });
    expect((await member.post(`${base()}/statements/${started.body.id}/submit`, { version: 2 })).body.error).toMatchObject({ code: "statement_placeholders_left", placeholders: ["[time]"] });
    const edited = await member.patch(`${base()}/statements/${started.body.id}`, {
      version: 2,
      body: "We hear you. Refunds are failing; we are fixing it and will update you by 11:00 UTC.",
      variants: [{ channelId, body: "We hear you: refunds are failing. Next update 11:00 UTC." }],
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ placeholdersLeft: [], can: { submit: true } });

    const submittedAt = services.clock().getTime();
    const submitted = await member.post(`${base()}/statements/${started.body.id}/submit`, { version: 3 });
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.body).toMatchObject({ status: "in_review", approverName: "Manager", backupApproverName: "Admin", deadlineAt: new Date(submittedAt + 15 * MIN).toISOString(), escalatedAt: null });
    expect((await mailsTo(ws.people.manager.email)).at(-1)!.subject).toBe("A statement for CR-1 “Refund complaints” waits for your approval");

    // Before the deadline only the approver decides: the backup is refused.
    const early = await admin.post(`${base()}/statements/${started.body.id}/decision`, { decision: "approve" });
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe("statement_not_approver");
    expect((await unsafeRunRoomDeadlines(services)).escalated).toBe(0);

    services.clock.advance(14 * MIN);
    expect((await unsafeRunRoomDeadlines(services)).escalated).toBe(0);
    services.clock.advance(2 * MIN);
    expect((await unsafeRunRoomDeadlines(services)).escalated).toBe(1);
    expect((await unsafeRunRoomDeadlines(services)).escalated).toBe(0); // once
    expect((await mailsTo(ws.people.admin.email)).map((m) => m.subject)).toEqual(["Backup approval needed: a statement for CR-1 “Refund complaints”"]);
    const escalated = (await admin.get(`${base()}/statements`)).body.statements[0];
    expect(escalated.escalatedAt).toBe(services.clock().toISOString());
    expect(escalated.can.decide).toBe(true);

    expect((await admin.post(`${base()}/statements/${started.body.id}/decision`, { decision: "reject" })).body.error.fields).toEqual({ comment: ["Say what to change"] });
    const approved = await admin.post(`${base()}/statements/${started.body.id}/decision`, { decision: "approve" });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", decidedByName: "Admin" });
    expect((await admin.post(`${base()}/statements/${started.body.id}/decision`, { decision: "approve" })).body.error.code).toBe("statement_wrong_status");

    const events = await timeline();
    expect(events.find((e) => e.type === "statement_escalated")?.data).toMatchObject({ statementId: started.body.id, backupApproverId: ws.people.admin.id });
    expect(events.find((e) => e.type === "statement_approved")?.data).toMatchObject({ statementId: started.body.id, byBackup: true, minutes: 16 });
  });

  it("publishes the approved statement at once through crisis mode's pause, which keeps holding everything else", async () => {
    const paused = await admin.post("/api/v1/publishing/pauses", { reason: "Crisis CR-1" });
    expect(paused.status, paused.text).toBe(200);
    const ordinary = await manager.post("/api/v1/posts", { text: "Weekend roast sale", channels: [{ channelId }], scheduledAt: new Date(services.clock().getTime()).toISOString(), acknowledgePause: true });
    expect(ordinary.status, ordinary.text).toBe(200);

    const statement = (await manager.get(`${base()}/statements`)).body.statements[0];
    expect(statement.can.publish).toBe(true);
    const published = await manager.post(`${base()}/statements/${statement.id}/publish`, { version: statement.version });
    expect(published.status, published.text).toBe(200);
    expect(published.body).toMatchObject({ status: "published", publishedAt: services.clock().toISOString() });
    const [post] = await services.database.db.select().from(posts).where(eq(posts.id, published.body.postId));
    expect(post.pauseExempt).toBe(true);

    await unsafePublishDue(services);
    const onNetwork = await services.database.db.select({ text: sandboxPosts.text }).from(sandboxPosts).where(eq(sandboxPosts.accountId, accountId));
    // The channel's own text went out (after the Sandbox's seeded posts); the ordinary post stays held by the pause.
    expect(onNetwork.slice(seededPosts).map((p) => p.text)).toEqual(["We hear you: refunds are failing. Next update 11:00 UTC."]);
    expect((await admin.get(`/api/v1/posts/${ordinary.body.id}`)).body.targets[0].status).toBe("held");

    const [crisis] = await services.database.db.select().from(crises).where(eq(crises.id, crisisId));
    expect(crisis.firstPublicResponseAt?.toISOString()).toBe(services.clock().toISOString());
    expect(crisis.nextPublicUpdateDueAt?.toISOString()).toBe(new Date(services.clock().getTime() + 60 * MIN).toISOString());
    const event = (await timeline()).find((e) => e.type === "statement_published")!;
    expect(event).toMatchObject({ pinned: true, data: { firstPublicResponse: true, channelIds: [channelId] } });
    expect((await manager.post(`${base()}/statements/${statement.id}/publish`, { version: published.body.version })).body.error.code).toBe("statement_wrong_status");

    // An approved statement that still has a template placeholder (approved before they were checked) is not published.
    const [unfilled] = await services.database.db
      .insert(crisisStatements)
      .values({ crisisId, kind: "update", locale: "en", body: "Refunds work again. Next update by [time].", channelIds: [channelId], status: "approved" })
      .returning();
    const refused = await manager.post(`${base()}/statements/${unfilled.id}/publish`, { version: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "statement_placeholders_left", placeholders: ["[time]"] });
    await services.database.db.delete(crisisStatements).where(eq(crisisStatements.id, unfilled.id));

    await admin.post(`/api/v1/publishing/pauses/${paused.body.pause.id}/resume`);
  });

  it("keeps a saved reply that moves conversations to private: approved, copied, its uses recorded; a dedicated thread is published through a pause", async () => {
    const reply = await manager.post(`${base()}/statements`, { kind: "reply", body: "Sorry about this. Please send us a direct message with your order number so we can refund you." });
    expect(reply.status).toBe(200);
    const submitted = await manager.post(`${base()}/statements/${reply.body.id}/submit`, { version: 1 });
    const approved = await manager.post(`${base()}/statements/${reply.body.id}/decision`, { decision: "approve" });
    expect(approved.body.status, JSON.stringify(submitted.body)).toBe("approved");
    expect(approved.body.can).toMatchObject({ publish: false, use: true });
    expect((await manager.post(`${base()}/statements/${reply.body.id}/publish`, { version: approved.body.version })).body.error.code).toBe("statement_is_reply");
    const used = await member.post(`${base()}/statements/${reply.body.id}/use`, { ref: "sandbox:@angry_customer/123" });
    expect(used.status, used.text).toBe(200);
    expect((await timeline()).find((e) => e.type === "reply_sent")?.data).toEqual({ statementId: reply.body.id, ref: "sandbox:@angry_customer/123" });

    const blank = await manager.post(`${base()}/statements`, { kind: "thread" });
    expect(blank.body).toMatchObject({ body: "", can: { submit: false } });
    expect((await manager.post(`${base()}/statements/${blank.body.id}/submit`, { version: 1 })).body.error.fields).toEqual({ body: ["Write the statement first"] });
    expect((await manager.post(`${base()}/statements/${blank.body.id}/use`, { ref: "x" })).body.error.code).toBe("statement_not_reply");
    expect((await manager.post(`${base()}/statements/${blank.body.id}/withdraw`)).body.status).toBe("withdrawn");

    // A dedicated thread for the many affected customers: published, and a pause that starts right after does not hold it.
    const thread = await manager.post(`${base()}/statements`, { kind: "thread", body: "Thread: refunds (all updates here)", channelIds: [channelId] });
    await manager.post(`${base()}/statements/${thread.body.id}/submit`, { version: 1 });
    const ok = await manager.post(`${base()}/statements/${thread.body.id}/decision`, { decision: "approve" });
    const published = await manager.post(`${base()}/statements/${thread.body.id}/publish`, { version: ok.body.version });
    expect(published.status, published.text).toBe(200);
    const paused = await admin.post("/api/v1/publishing/pauses", { reason: "Crisis CR-1 again" });
    expect(paused.body.held).toBe(0);
    await unsafePublishDue(services);
    expect((await admin.get(`/api/v1/posts/${published.body.postId}`)).body.targets[0].status).toBe("published");
    await admin.post(`/api/v1/publishing/pauses/${paused.body.pause.id}/resume`);
    // Not the first public response: not pinned.
    const events = (await timeline()).filter((e) => e.type === "statement_published");
    expect(events.find((e) => e.data.statementId === thread.body.id)).toMatchObject({ pinned: false, data: { firstPublicResponse: false, kind: "thread" } });
  });

  it("shows live figures: mention volume and negative share against the week before, time since the last public update", async () => {
    const db = services.database.db;
    const now = services.clock().getTime();
    // The week before the crisis: 2 mentions an hour, 1 in 4 negative (one row per hour).
    const week = Array.from({ length: 7 * 24 }, (_, i) => ({ streamId, minute: new Date(NOW.getTime() - (i + 1) * 60 * MIN), total: i % 2 === 0 ? 4 : 0, negative: i % 2 === 0 ? 1 : 0 }));
    await db.insert(streamMinuteCounts).values(week);
    // The last hour: 30 mentions, 24 negative.
    await db.insert(streamMinuteCounts).values([
      { streamId, minute: new Date(now - 50 * MIN), total: 10, negative: 8 },
      { streamId, minute: new Date(now - 5 * MIN), total: 20, negative: 16 },
    ]);
    services.clock.advance(10 * MIN);
    const figures = await member.get(`${base()}/figures`);
    expect(figures.status, figures.text).toBe(200);
    expect(figures.body).toMatchObject({
      streams: [{ id: streamId, name: "Brand" }],
      lastHour: { total: 30, negative: 24, negativeShare: 0.8 },
      baseline: { hourlyMean: 2, negativeShare: 0.25 },
      volumeRatio: 15,
      minutesSinceLastPublicUpdate: 10,
      inbox: { available: false },
    });
    expect(figures.body.hourly).toHaveLength(12);
    expect(figures.body.hourly.reduce((a: number, h: { total: number }) => a + h.total, 0)).toBeGreaterThanOrEqual(30);
  });

  it("reads a closed crisis's room but changes nothing in it", async () => {
    const closedAt = services.clock();
    await services.database.db.update(crises).set({ status: "closed", closedAt }).where(eq(crises.id, crisisId));
    // Its figures stay those of the moment it closed: the time since the last public update stops running.
    const atClose = (await member.get(`${base()}/figures`)).body;
    services.clock.advance(180 * MIN);
    const later = (await member.get(`${base()}/figures`)).body;
    expect(later).toMatchObject({ endedAt: closedAt.toISOString(), computedAt: closedAt.toISOString(), nextPublicUpdateDueAt: null });
    expect(later.minutesSinceLastPublicUpdate).toBe(atClose.minutesSinceLastPublicUpdate);
    expect(later.minutesSinceLastPublicUpdate).not.toBeNull();
    const refused = await manager.post(`${base()}/notes`, { text: "late" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("crisis_not_open");
    expect((await manager.get(`${base()}/tasks`)).status).toBe(200);
    const [task] = await services.database.db.select().from(crisisTasks).where(and(eq(crisisTasks.crisisId, crisisId), eq(crisisTasks.source, "plan")));
    expect((await manager.patch(`${base()}/tasks/${task.id}`, { status: "done" })).body.error.code).toBe("crisis_not_open");
  });
});
