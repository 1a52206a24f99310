import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { sandboxScenarioRuns } from "../../networks/sandbox/sandbox.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { actionsSince, lastAuditSeq } from "../../../../test/support/audit";
import { insertAlert, insertPlan } from "../../../../test/support/crisis-fixtures";
import { crises, crisisEvents, crisisPlans } from "./crisis.schema";
import { unsafeDeliverDrillInjects } from "./drills";

const MINUTE = 60_000;

describeEachDatabase("crisis drills API", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let workspaceId: string;
  let people: Record<Role, { id: string; email: string }>;
  let manager: HttpClient;
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
    const [plan] = await services.database.db.select().from(crisisPlans).where(eq(crisisPlans.id, planId));
    expect(plan.lastDrilledAt?.toISOString()).toBe(services.clock().toISOString());
    expect((await manager.post(`/api/v1/crisis/drills/${drillId}/finish`, {})).body.error.code).toBe("crisis_drill_not_running");

    const list = await member.get("/api/v1/crisis/drills");
    expect(list.body.drills).toEqual([expect.objectContaining({ id: drillId, status: "finished" })]);
    const edited = await manager.patch(`/api/v1/crisis/drills/${drillId}`, { debrief: "Hotwash: pause first." });
    expect(edited.body.debrief).toBe("Hotwash: pause first.");
    expect(await actionsSince(services, before)).toEqual(expect.arrayContaining(["crisis.drill_started", "crisis.drill_declared", "crisis.declared", "crisis.drill_finished", "crisis.drill_debrief_updated"]));
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
