import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { findSandboxAccount } from "../../networks/sandbox/network";
import { sandboxDirectMessages, sandboxPosts, sandboxScenarioRuns } from "../../networks/sandbox/sandbox.schema";
import { channels } from "../channels/channels.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { actionsSince, auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { insertAlert, insertPlan } from "../../../../test/support/crisis-fixtures";
import { crises, crisisDrills, crisisEvents, crisisPlans, crisisTasks } from "./crisis.schema";
import { unsafeDeliverDrillInjects } from "./drills";
import { DRILL_JOURNALIST, DRILL_LEAKER } from "./drills/injects";
import { unsafeRunRoomDeadlines } from "./room/deadlines";

const MINUTE = 60_000;

describeEachDatabase("crisis drills API", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let workspaceId: string;
  let people: Record<Role, { id: string; email: string }>;
  let manager: HttpClient;
  let admin: HttpClient;
  let member: HttpClient;
  let planId: string;

  beforeAll(async () => {
    services = await createTestServices(kind);
    app = createApp(services);
    await seedSandboxNetwork(services.database.db, services.clock());
    const built = await buildWorkspace(services);
    workspaceId = built.workspace.id;
    people = built.people;
    manager = await signedInClient(app, people.manager);
    member = await signedInClient(app, people.member);
    admin = await signedInClient(app, people.admin);
    planId = (await insertPlan(services, workspaceId, "product_recall", { roles: [{ role: "lead", holderId: people.manager.id, backupId: people.admin.id }] })).id;
  });
  afterAll(() => services.close());

  it("runs a drill: start on the Sandbox, injects on time, declare from the scenario's alert, finish with a score and the plan's last drilled date", async () => {
    const before = await lastAuditSeq(services);
    expect((await member.post("/api/v1/crisis/drills", { planId })).status).toBe(403);

    const started = await manager.post("/api/v1/crisis/drills", { planId, injects: [{ atMinute: 5, kind: "approver_unreachable" }, { atMinute: 30, kind: "second_wave" }] });
    expect(started.status, started.text).toBe(201);
    const drillId = started.body.id;
    expect(started.body).toMatchObject({ status: "running", sandboxScenario: "defective_product", crisisId: null, scenario: "product_recall" });
    const [run] = await services.database.db.select().from(sandboxScenarioRuns).where(eq(sandboxScenarioRuns.scenario, "defective_product"));
    expect(run).toBeDefined();
    const again = await manager.post("/api/v1/crisis/drills", { planId });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("crisis_drill_already_running");

    // Six minutes on: the approver-unreachable inject is delivered, the second wave is not yet.
    services.clock.advance(6 * MINUTE);
    expect(await unsafeDeliverDrillInjects(services)).toBe(1);
    expect(await unsafeDeliverDrillInjects(services)).toBe(0);
    const alert = await insertAlert(services, workspaceId, { kind: "spike", raisedAt: services.clock() });

    services.clock.advance(2 * MINUTE);
    const declared = await manager.post(`/api/v1/crisis/drills/${drillId}/declare`, { alertId: alert.id });
    expect(declared.status, declared.text).toBe(200);
    const crisisId = declared.body.crisisId;
    const [crisis] = await services.database.db.select().from(crises).where(eq(crises.id, crisisId));
    expect(crisis).toMatchObject({ isDrill: true, originKind: "drill", originAlertId: alert.id, planId });
    const injects = await services.database.db.select().from(crisisEvents).where(and(eq(crisisEvents.crisisId, crisisId), eq(crisisEvents.type, "inject")));
    expect(injects.map((e) => e.data)).toEqual([expect.objectContaining({ kind: "approver_unreachable", atMinute: 5 })]);
    expect((await manager.post(`/api/v1/crisis/drills/${drillId}/declare`, {})).body.error.code).toBe("crisis_drill_already_declared");

    // The second wave arrives on the crisis timeline when its minute comes.
    services.clock.advance(25 * MINUTE);
    expect(await unsafeDeliverDrillInjects(services)).toBe(1);
    expect(await services.database.db.select().from(crisisEvents).where(and(eq(crisisEvents.crisisId, crisisId), eq(crisisEvents.type, "inject")))).toHaveLength(2);

    const finished = await manager.post(`/api/v1/crisis/drills/${drillId}/finish`, { debrief: "Declared fast; nobody paused the calendar." });
    expect(finished.status, finished.text).toBe(200);
    expect(finished.body).toMatchObject({ status: "finished", debrief: "Declared fast; nobody paused the calendar.", crisisNumber: crisis.number });
    const byCriterion = Object.fromEntries(finished.body.score.criteria.map((c: { criterion: string; result: string; minutes: number | null }) => [c.criterion, [c.result, c.minutes]]));
    expect(byCriterion.declared).toEqual(["met", 8]);
    expect(byCriterion.holding_approved).toEqual(["missed", null]);
    expect(byCriterion.backup_used).toEqual(["missed", null]); // the approver was unreachable and nobody asked the backup
    // Finishing stopped the drill's Sandbox scenario run.
    const [stopped] = await services.database.db.select().from(sandboxScenarioRuns).where(eq(sandboxScenarioRuns.id, run.id));
    expect(stopped.stoppedAt?.toISOString()).toBe(services.clock().toISOString());
    const [plan] = await services.database.db.select().from(crisisPlans).where(eq(crisisPlans.id, planId));
    expect(plan.lastDrilledAt?.toISOString()).toBe(services.clock().toISOString());
    expect((await manager.post(`/api/v1/crisis/drills/${drillId}/finish`, {})).body.error.code).toBe("crisis_drill_not_running");

    const list = await member.get("/api/v1/crisis/drills");
    expect(list.body.drills).toEqual([expect.objectContaining({ id: drillId, status: "finished" })]);
    const edited = await manager.patch(`/api/v1/crisis/drills/${drillId}`, { debrief: "Hotwash: pause first." });
    expect(edited.body.debrief).toBe("Hotwash: pause first.");
    expect(await actionsSince(services, before)).toEqual(expect.arrayContaining(["crisis.drill_started", "crisis.drill_declared", "crisis.declared", "crisis.drill_finished", "crisis.drill_debrief_updated"]));
  });

  it("injects act: the journalist writes to the brand's Sandbox channel, the approver cannot approve (the backup after the deadline does), the executive's task for the lead, a second wave on the Sandbox", async () => {
    const brand = (await findSandboxAccount(services.database.db, "emberoak"))!;
    await services.database.db.insert(channels).values({ workspaceId, network: "sandbox", networkAccountId: brand.id, handle: "emberoak", displayName: brand.displayName, credentials: "sealed" });
    const viral = await insertPlan(services, workspaceId, "viral_complaint", { roles: [{ role: "lead", holderId: people.manager.id, backupId: people.admin.id }] });
    const started = await manager.post("/api/v1/crisis/drills", { planId: viral.id });
    expect(started.status, started.text).toBe(201);
    const drillId = started.body.id;
    expect(started.body.injects.map((i: { kind: string; atMinute: number }) => [i.atMinute, i.kind])).toEqual([[5, "approver_unreachable"], [10, "journalist_dm"], [20, "executive_asks"], [30, "second_wave"]]);
    const t0 = services.clock().getTime();
    const at = (minute: number) => services.clock.set(new Date(t0 + minute * MINUTE));

    // Declared at +2 with the dialog's own title; a holding statement goes to the approver (the lead: the manager).
    at(2);
    const declared = await manager.post(`/api/v1/crisis/drills/${drillId}/declare`, { title: "Mould complaint going viral", summary: "Drill: the reviewer's post.", severityLevel: 1 });
    expect(declared.status, declared.text).toBe(200);
    const crisisId = declared.body.crisisId;
    const [crisis] = await services.database.db.select().from(crises).where(eq(crises.id, crisisId));
    expect(crisis).toMatchObject({ title: "Mould complaint going viral", summary: "Drill: the reviewer's post.", isDrill: true, originKind: "drill" });
    const base = `/api/v1/crisis/crises/${crisisId}/statements`;
    const statement = await manager.post(base, { kind: "holding", body: "We are looking into the reports about batch HB-0923 and will update you within the hour." });
    expect(statement.status, statement.text).toBe(200);
    at(4);
    const submitted = await manager.post(`${base}/${statement.body.id}/submit`, { version: statement.body.version });
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.body.deadlineAt).toBe(new Date(t0 + 19 * MINUTE).toISOString()); // SEV1: 15 minutes to approve

    const shown = async (client: HttpClient) => ((await client.get(base)).body.statements as Array<{ id: string; approverUnreachable: boolean; can: { decide: boolean } }>).find((x) => x.id === statement.body.id)!;
    expect(await shown(manager)).toMatchObject({ approverUnreachable: false, can: { decide: true } });

    // +5: the approver becomes unreachable. The room no longer offers them the decision (it says why), and their
    // approval through the API is refused with a stable code; the room's timeline says so.
    at(5);
    expect(await unsafeDeliverDrillInjects(services)).toBe(1);
    expect(await shown(manager)).toMatchObject({ approverUnreachable: true, can: { decide: false } });
    expect(await shown(member)).toMatchObject({ approverUnreachable: true, can: { decide: false } });
    const refused = await manager.post(`${base}/${statement.body.id}/decision`, { decision: "approve" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("drill_approver_unreachable");
    const unreachable = await services.database.db.select().from(crisisEvents).where(and(eq(crisisEvents.crisisId, crisisId), eq(crisisEvents.type, "inject")));
    expect(unreachable).toEqual([expect.objectContaining({ pinned: true, data: expect.objectContaining({ kind: "approver_unreachable", approverRole: "lead", drillId }) })]);
    // The backup cannot decide before the deadline either.
    expect((await admin.post(`${base}/${statement.body.id}/decision`, { decision: "approve" })).body.error.code).toBe("statement_not_approver");

    // +10: a journalist's direct message to the brand's Sandbox channel, and a public mention.
    at(10);
    expect(await unsafeDeliverDrillInjects(services)).toBe(1);
    const journalist = (await findSandboxAccount(services.database.db, DRILL_JOURNALIST.handle))!;
    const dms = await services.database.db.select().from(sandboxDirectMessages).where(eq(sandboxDirectMessages.senderId, journalist.id));
    expect(dms).toEqual([expect.objectContaining({ recipientId: brand.id, text: expect.stringContaining("Can you give me a statement") })]);
    const mentions = await services.database.db.select().from(sandboxPosts).where(eq(sandboxPosts.accountId, journalist.id));
    expect(mentions.map((p) => p.text)).toEqual([expect.stringMatching(/^@emberoak /)]);

    // +19: the approval deadline (15 minutes after submitting) has passed: the room's deadline job escalates, the backup approves.
    at(19);
    expect((await unsafeRunRoomDeadlines(services)).escalated).toBe(1);
    expect(await shown(admin)).toMatchObject({ approverUnreachable: true, can: { decide: true } });
    expect(await shown(manager)).toMatchObject({ can: { decide: false } });
    expect((await manager.post(`${base}/${statement.body.id}/decision`, { decision: "approve" })).body.error.code).toBe("drill_approver_unreachable");
    const approved = await admin.post(`${base}/${statement.body.id}/decision`, { decision: "approve" });
    expect(approved.status, approved.text).toBe(200);

    // +20: the executive asks: a task for the lead, due in 15 minutes.
    at(20);
    expect(await unsafeDeliverDrillInjects(services)).toBe(1);
    const tasks = await services.database.db.select().from(crisisTasks).where(and(eq(crisisTasks.crisisId, crisisId), eq(crisisTasks.title, "The executive asks for a status update")));
    expect(tasks).toEqual([expect.objectContaining({ ownerId: people.manager.id, ownerRole: "lead", status: "open", kind: "communication" })]);
    expect(tasks[0].dueAt?.getTime()).toBe(t0 + 35 * MINUTE);

    // +31: the second wave: more complaint posts on the Sandbox. Running the job again adds nothing.
    at(31);
    const wave = () => services.database.db.select().from(sandboxPosts).where(like(sandboxPosts.idempotencyKey, `drill:${drillId}:second_wave:%`));
    expect(await wave()).toHaveLength(0);
    expect(await unsafeDeliverDrillInjects(services)).toBe(1);
    expect(await wave()).toHaveLength(6);
    expect(await unsafeDeliverDrillInjects(services)).toBe(0);
    expect(await wave()).toHaveLength(6);

    const drill = (await member.get(`/api/v1/crisis/drills/${drillId}`)).body;
    expect(drill.injects).toEqual([
      expect.objectContaining({ kind: "approver_unreachable", deliveredAt: new Date(t0 + 5 * MINUTE).toISOString() }),
      expect.objectContaining({ kind: "journalist_dm", facts: { journalist: "@mara_ledger", to: "@emberoak" } }),
      expect.objectContaining({ kind: "executive_asks", deliveredAt: new Date(t0 + 20 * MINUTE).toISOString() }),
      expect.objectContaining({ kind: "second_wave", facts: { posts: 6 } }),
    ]);
    const finished = await manager.post(`/api/v1/crisis/drills/${drillId}/finish`, {});
    const backup = finished.body.score.criteria.find((c: { criterion: string }) => c.criterion === "backup_used");
    expect(backup.result).toBe("met");
    // The drill is over: the approver may decide again (a statement of the finished drill's crisis is not refused).
    const later = await manager.post(base, { kind: "holding", body: "Update: the batch is withdrawn." });
    const laterSubmitted = await manager.post(`${base}/${later.body.id}/submit`, { version: later.body.version });
    expect(laterSubmitted.body).toMatchObject({ approverUnreachable: false, can: { decide: true } });
    expect((await manager.post(`${base}/${later.body.id}/decision`, { decision: "approve" })).status).toBe(200);
  });

  it("finishing early skips the injects still to come, and a real crisis's approver is never refused during a drill", async () => {
    const impostor = await insertPlan(services, workspaceId, "impostor_scam", { roles: [{ role: "lead", holderId: people.manager.id, backupId: people.admin.id }] });
    const started = await manager.post("/api/v1/crisis/drills", { planId: impostor.id, injects: [{ atMinute: 1, kind: "approver_unreachable" }, { atMinute: 1, kind: "executive_asks" }, { atMinute: 40, kind: "journalist_dm" }, { atMinute: 50, kind: "second_wave" }] });
    const drillId = started.body.id;
    services.clock.advance(2 * MINUTE);
    const deliveredAt = services.clock();
    expect(await unsafeDeliverDrillInjects(services)).toBe(2);
    // Declared after the injects came: they act now (the timeline at their time, the executive's task for the lead).
    services.clock.advance(3 * MINUTE);
    const declared = await manager.post(`/api/v1/crisis/drills/${drillId}/declare`, {});
    const drillCrisisId = declared.body.crisisId;
    const events = await services.database.db.select().from(crisisEvents).where(and(eq(crisisEvents.crisisId, drillCrisisId), eq(crisisEvents.type, "inject")));
    expect(events.map((e) => [(e.data as { kind: string }).kind, e.occurredAt.toISOString()]).sort()).toEqual([["approver_unreachable", deliveredAt.toISOString()], ["executive_asks", deliveredAt.toISOString()]]);
    const [task] = await services.database.db.select().from(crisisTasks).where(eq(crisisTasks.crisisId, drillCrisisId)).then((rows) => rows.filter((r) => r.ownerRole === "lead" && r.kind === "communication"));
    expect(task).toMatchObject({ ownerId: people.manager.id, createdAt: services.clock() });

    // A real crisis declared meanwhile: its approver (the manager, as lead) approves as usual.
    const real = await manager.post("/api/v1/crisis/crises", { title: "A real outage", originKind: "manual", planId: impostor.id });
    expect(real.status, real.text).toBe(200);
    const base = `/api/v1/crisis/crises/${real.body.id}/statements`;
    const statement = await manager.post(base, { kind: "holding", body: "We know about the outage and are on it." });
    await manager.post(`${base}/${statement.body.id}/submit`, { version: statement.body.version });
    expect((await manager.post(`${base}/${statement.body.id}/decision`, { decision: "approve" })).status).toBe(200);

    const abandoned = await manager.post(`/api/v1/crisis/drills/${drillId}/finish`, { abandon: true });
    expect(abandoned.status, abandoned.text).toBe(200);
    const now = services.clock().toISOString();
    expect(abandoned.body.injects).toEqual([
      expect.objectContaining({ kind: "approver_unreachable", deliveredAt: expect.any(String) }),
      expect.objectContaining({ kind: "executive_asks", deliveredAt: expect.any(String) }),
      expect.objectContaining({ kind: "journalist_dm", deliveredAt: null, skippedAt: now }),
      expect.objectContaining({ kind: "second_wave", deliveredAt: null, skippedAt: now }),
    ]);
    expect(abandoned.body.injects[0].skippedAt).toBeUndefined(); // delivered, so not skipped
    const [run] = await services.database.db.select().from(sandboxScenarioRuns).where(eq(sandboxScenarioRuns.scenario, "impostor_giveaway"));
    expect(run.stoppedAt?.toISOString()).toBe(now);
    // Nothing is delivered after the end, even when the minutes come.
    services.clock.advance(60 * MINUTE);
    expect(await unsafeDeliverDrillInjects(services)).toBe(0);
    const [row] = await services.database.db.select().from(crisisDrills).where(eq(crisisDrills.id, drillId));
    expect((row.injects as Array<{ deliveredAt: string | null }>).filter((i) => i.deliveredAt)).toHaveLength(2);
  });

  it("finishing stops only the drill's own Sandbox run: an admin's run of the same scenario keeps playing, a run shared by two drills stops when the last finishes", async () => {
    const runOf = async (id: string) => (await services.database.db.select().from(sandboxScenarioRuns).where(eq(sandboxScenarioRuns.id, id)))[0];
    const viral = await insertPlan(services, workspaceId, "viral_complaint", { roles: [{ role: "lead", holderId: people.manager.id, backupId: people.admin.id }] });
    const offensive = await insertPlan(services, workspaceId, "offensive_post", { roles: [{ role: "lead", holderId: people.manager.id, backupId: people.admin.id }] });

    // 1. An admin started the scenario on the Sandbox page before the drill: the drill joins it but does not own it.
    const adminRun = await admin.post("/api/v1/sandbox/scenario-runs", { scenario: "viral_complaint" });
    expect(adminRun.status, adminRun.text).toBe(200);
    const joined = await manager.post("/api/v1/crisis/drills", { planId: viral.id });
    expect(joined.status, joined.text).toBe(201);
    expect(joined.body).toMatchObject({ sandboxScenario: "viral_complaint", sandboxRunId: null });
    services.clock.advance(MINUTE);
    const before = await lastAuditSeq(services);
    expect((await manager.post(`/api/v1/crisis/drills/${joined.body.id}/finish`, {})).status).toBe(200);
    expect((await runOf(adminRun.body.id)).stoppedAt).toBeNull();
    const [finishedAudit] = await auditSince(services, before, { action: "crisis.drill_finished" });
    expect(finishedAudit.data).toMatchObject({ sandboxRunStopped: null });
    expect((await admin.post(`/api/v1/sandbox/scenario-runs/${adminRun.body.id}/stop`)).status).toBe(200);

    // 2. The drill starts its own run; an admin stops it during the drill and starts one of their own: finishing leaves
    //    the admin's run playing (and the drill's, already stopped, as it was).
    const own = await manager.post("/api/v1/crisis/drills", { planId: viral.id });
    const ownRunId = own.body.sandboxRunId as string;
    expect(ownRunId).toEqual(expect.any(String));
    expect((await runOf(ownRunId)).scenario).toBe("viral_complaint");
    services.clock.advance(MINUTE);
    expect((await admin.post(`/api/v1/sandbox/scenario-runs/${ownRunId}/stop`)).status).toBe(200);
    const stoppedAt = (await runOf(ownRunId)).stoppedAt?.toISOString();
    const adminAgain = await admin.post("/api/v1/sandbox/scenario-runs", { scenario: "viral_complaint" });
    expect(adminAgain.status, adminAgain.text).toBe(200);
    services.clock.advance(MINUTE);
    expect((await manager.post(`/api/v1/crisis/drills/${own.body.id}/finish`, {})).status).toBe(200);
    expect((await runOf(adminAgain.body.id)).stoppedAt).toBeNull();
    expect((await runOf(ownRunId)).stoppedAt?.toISOString()).toBe(stoppedAt);
    expect((await admin.post(`/api/v1/sandbox/scenario-runs/${adminAgain.body.id}/stop`)).status).toBe(200);

    // 3. Two drills play one run (the second joins the first's): it stops when the last of them finishes.
    const first = await manager.post("/api/v1/crisis/drills", { planId: viral.id });
    const second = await manager.post("/api/v1/crisis/drills", { planId: offensive.id });
    expect(second.body.sandboxRunId).toBe(first.body.sandboxRunId);
    services.clock.advance(MINUTE);
    expect((await manager.post(`/api/v1/crisis/drills/${first.body.id}/finish`, { abandon: true })).status).toBe(200);
    expect((await runOf(first.body.sandboxRunId)).stoppedAt).toBeNull();
    services.clock.advance(MINUTE);
    expect((await manager.post(`/api/v1/crisis/drills/${second.body.id}/finish`, {})).status).toBe(200);
    expect((await runOf(first.body.sandboxRunId)).stoppedAt?.toISOString()).toBe(services.clock().toISOString());
  });

  it("the leaked-memo inject acts: an anonymous account posts the scenario's memo naming the brand on the Sandbox and a reviewer shares it, once", async () => {
    const recall = await insertPlan(services, workspaceId, "product_recall", { roles: [{ role: "lead", holderId: people.manager.id, backupId: people.admin.id }] });
    const started = await manager.post("/api/v1/crisis/drills", { planId: recall.id, injects: [{ atMinute: 3, kind: "leaked_memo" }] });
    expect(started.status, started.text).toBe(201);
    const drillId = started.body.id;
    const memoPosts = () => services.database.db.select().from(sandboxPosts).where(like(sandboxPosts.idempotencyKey, `drill:${drillId}:leaked_memo:%`));
    services.clock.advance(2 * MINUTE);
    expect(await unsafeDeliverDrillInjects(services)).toBe(0);
    expect(await memoPosts()).toHaveLength(0);
    services.clock.advance(2 * MINUTE);
    expect(await unsafeDeliverDrillInjects(services)).toBe(1);
    expect(await unsafeDeliverDrillInjects(services)).toBe(0);
    const leaker = (await findSandboxAccount(services.database.db, DRILL_LEAKER.handle))!;
    const reviewer = (await findSandboxAccount(services.database.db, "dan_reviews"))!;
    const posted = await memoPosts();
    expect(posted.map((p) => [p.accountId, p.text]).sort()).toEqual(
      [
        [leaker.id, expect.stringMatching(/^LEAKED: an internal @emberoak memo .*Copper Kettle.*#leakedmemo$/)],
        [reviewer.id, expect.stringContaining("A leaked internal memo from @emberoak is going around")],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const drill = (await member.get(`/api/v1/crisis/drills/${drillId}`)).body;
    expect(drill.injects).toEqual([expect.objectContaining({ kind: "leaked_memo", deliveredAt: services.clock().toISOString(), facts: { by: "@oakleaks", to: "@emberoak", posts: 2 } })]);
    // Declared afterwards: the memo is on the crisis timeline at its time, with what it did.
    const declared = await manager.post(`/api/v1/crisis/drills/${drillId}/declare`, {});
    const events = await services.database.db.select().from(crisisEvents).where(and(eq(crisisEvents.crisisId, declared.body.crisisId), eq(crisisEvents.type, "inject")));
    expect(events).toEqual([expect.objectContaining({ pinned: true, data: expect.objectContaining({ kind: "leaked_memo", by: "@oakleaks", to: "@emberoak", posts: 2 }) })]);
    expect((await manager.post(`/api/v1/crisis/drills/${drillId}/finish`, { abandon: true })).status).toBe(200);
  });

  it("refuses a plan of another workspace and unknown drills with clear codes", async () => {
    const other = await buildWorkspace(services);
    const foreign = await insertPlan(services, other.workspace.id, "viral_complaint");
    const res = await manager.post("/api/v1/crisis/drills", { planId: foreign.id });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("crisis_drill_plan_not_found");
    const missing = await member.get("/api/v1/crisis/drills/00000000-0000-4000-8000-000000000000");
    expect(missing.body.error.code).toBe("crisis_drill_not_found");
  });
});
