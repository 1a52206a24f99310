import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CRISIS_SCENARIOS } from "../../../contracts/crisis-plans";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { listeningStreams } from "../listening/listening.schema";
import { memberships } from "../workspaces/workspaces.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { actionsSince, auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { createTestServices, testClock, type TestServices } from "../../../../test/support/services";
import { crisisPlans, crisisPlanVersions, crisisSeverities } from "./crisis.schema";
import { ensureSeverities, getPlanVersion, proposePlan, severityOf } from "./plans";

describeEachDatabase("crisis plans and severities API", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let ws: Awaited<ReturnType<typeof buildWorkspace>>;
  let other: Awaited<ReturnType<typeof buildWorkspace>>;
  let owner: HttpClient, admin: HttpClient, manager: HttpClient, member: HttpClient, outsider: HttpClient;
  const clock = testClock(new Date("2026-11-23T09:00:00Z"));

  beforeAll(async () => {
    services = await createTestServices(kind, {}, clock);
    app = createApp(services);
    ws = await buildWorkspace(services, "Emberoak");
    other = await buildWorkspace(services, "Elsewhere");
    owner = await signedInClient(app, ws.people.owner);
    admin = await signedInClient(app, ws.people.admin);
    manager = await signedInClient(app, ws.people.manager);
    member = await signedInClient(app, ws.people.member);
    outsider = await signedInClient(app, other.people.owner);
  });
  afterAll(() => services.close());

  it("writes SEV1–SEV4 on first use; admins change, add and remove levels, audited; managers and members only read", async () => {
    const first = await member.get("/api/v1/crisis/severities");
    expect(first.status).toBe(200);
    expect(first.body.severities.map((s: { level: number; name: string }) => `${s.level} ${s.name}`)).toEqual(["1 SEV1 Critical", "2 SEV2 Major", "3 SEV3 Moderate", "4 SEV4 Watch"]);
    expect(first.body.severities[0]).toMatchObject({ approverRole: "legal", autoCrisisMode: true, internalUpdateMinutes: 30, publicUpdateMinutes: 60, approvalDeadlineMinutes: 15 });
    // Asking again writes nothing more.
    await owner.get("/api/v1/crisis/severities");
    const rows = await services.database.db.select().from(crisisSeverities).where(eq(crisisSeverities.workspaceId, ws.workspace.id));
    expect(rows).toHaveLength(4);

    expect((await manager.patch("/api/v1/crisis/severities/2", { internalUpdateMinutes: 45 })).status).toBe(403);
    const seq = await lastAuditSeq(services);
    const changed = await admin.patch("/api/v1/crisis/severities/2", { internalUpdateMinutes: 45, approverRole: "executive" });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ level: 2, internalUpdateMinutes: 45, approverRole: "executive", publicUpdateMinutes: 120 });
    const [audit] = await auditSince(services, seq, { action: "crisis.severity_updated" });
    expect(audit.data).toEqual({ level: 2, before: { internalUpdateMinutes: 60, approverRole: "pr" }, after: { internalUpdateMinutes: 45, approverRole: "executive" } });

    const bad = await admin.patch("/api/v1/crisis/severities/2", { approverRole: "intern", internalUpdateMinutes: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_input");
    expect((await admin.patch("/api/v1/crisis/severities/7", { name: "x" })).body.error.code).toBe("severity_not_found");

    const added = await admin.post("/api/v1/crisis/severities", { level: 5, name: "SEV5 Noise", description: "", approverRole: "lead", autoCrisisMode: false, internalUpdateMinutes: 2880, publicUpdateMinutes: null, approvalDeadlineMinutes: 240 });
    expect(added.status).toBe(201);
    const again = await admin.post("/api/v1/crisis/severities", { level: 5, name: "Twice", description: "", approverRole: "lead", autoCrisisMode: false, internalUpdateMinutes: 60, publicUpdateMinutes: null, approvalDeadlineMinutes: 30 });
    expect([again.status, again.body.error.code]).toEqual([409, "severity_exists"]);
    expect((await admin.delete("/api/v1/crisis/severities/5")).status).toBe(204);
    expect((await member.get("/api/v1/crisis/severities")).body.severities).toHaveLength(4);
    // The other workspace has its own levels, untouched.
    expect((await outsider.get("/api/v1/crisis/severities")).body.severities[1]).toMatchObject({ level: 2, internalUpdateMinutes: 60 });
  });

  it("creates a plan from each of the eight templates; lists them with readiness; members cannot create", async () => {
    const templates = await member.get("/api/v1/crisis/plan-templates");
    expect(templates.body.templates.map((t: { scenario: string }) => t.scenario).sort()).toEqual(CRISIS_SCENARIOS.filter((s) => s !== "custom").sort());
    expect((await member.post("/api/v1/crisis/plans", { scenario: "data_leak" })).status).toBe(403);
    const seq = await lastAuditSeq(services);
    for (const scenario of CRISIS_SCENARIOS) {
      const created = await manager.post("/api/v1/crisis/plans", { scenario });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ scenario, currentVersion: 1, archived: false, readiness: { ready: false, rolesFilled: 0, lastDrilledDaysAgo: null } });
    }
    expect(await actionsSince(services, seq)).toEqual(Array(CRISIS_SCENARIOS.length).fill("crisis.plan_created"));
    const list = await member.get("/api/v1/crisis/plans");
    expect(list.body.plans).toHaveLength(9);
    expect(list.body.plans.find((p: { scenario: string }) => p.scenario === "hacked_account")).toMatchObject({ name: "Hacked brand account", defaultSeverity: 1, readiness: { rolesTotal: 7, statementsTotal: 1, statementsApproved: 0 } });
    expect((await outsider.get("/api/v1/crisis/plans")).body.plans).toEqual([]);
  });

  it("saves versions with an optimistic check; editing a statement clears its approval; readiness follows; a crisis keeps reading its version", async () => {
    const created = (await manager.post("/api/v1/crisis/plans", { scenario: "insensitive_scheduled", name: "Disaster in the news" })).body;
    const planId = created.id;
    const p = ws.people;
    const content = { ...created.content, roles: created.content.roles.map((r: object, i: number) => ({ ...r, holderId: [p.manager.id, p.admin.id, p.owner.id][i], backupId: [p.admin.id, p.owner.id, p.manager.id][i] })) };
    // Clients cannot approve through an edit.
    content.statements = [{ ...content.statements[0], approvedBy: p.manager.id, approvedAt: "2026-11-01T00:00:00Z" }];
    const v2 = await manager.put(`/api/v1/crisis/plans/${planId}`, { expectedVersion: 1, content, note: "named the people" });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    expect(v2.body).toMatchObject({ currentVersion: 2, versionNote: "named the people", readiness: { rolesFilled: 3, backupsSet: 3, statementsApproved: 0, ready: false } });
    expect(v2.body.content.statements[0].approvedBy).toBeNull();

    const stale = await admin.put(`/api/v1/crisis/plans/${planId}`, { expectedVersion: 1, content });
    expect([stale.status, stale.body.error.code]).toEqual([409, "plan_version_conflict"]);

    const seq = await lastAuditSeq(services);
    const approved = await admin.post(`/api/v1/crisis/plans/${planId}/statements/holding-en/approve`, { expectedVersion: 2 });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.currentVersion).toBe(3);
    expect(approved.body.content.statements[0]).toMatchObject({ approvedBy: p.admin.id, approvedAt: "2026-11-23T09:00:00.000Z" });
    expect(approved.body.readiness).toMatchObject({ statementsApproved: 1, ready: false, lastDrilledDaysAgo: null });
    expect(await actionsSince(services, seq)).toEqual(["crisis.plan_statement_approved"]);
    expect((await admin.post(`/api/v1/crisis/plans/${planId}/statements/nope/approve`, { expectedVersion: 3 })).body.error.code).toBe("plan_statement_not_found");

    // A drill 20 days ago makes it ready.
    await services.database.db.update(crisisPlans).set({ lastDrilledAt: new Date("2026-11-03T09:00:00Z") }).where(eq(crisisPlans.id, planId));
    expect((await member.get(`/api/v1/crisis/plans/${planId}`)).body.readiness).toMatchObject({ ready: true, lastDrilledDaysAgo: 20 });

    // Changing the name keeps the approval; changing the statement's text clears it and says so in the audit.
    const renamed = await manager.put(`/api/v1/crisis/plans/${planId}`, { expectedVersion: 3, name: "Tragedy in the news", content: approved.body.content });
    expect(renamed.body).toMatchObject({ name: "Tragedy in the news", currentVersion: 4, readiness: { ready: true } });
    const edited = { ...approved.body.content, statements: [{ ...approved.body.content.statements[0], body: "Our thoughts are with everyone affected by [event]. We'll update by [time]." }] };
    const seq2 = await lastAuditSeq(services);
    const v5 = await manager.put(`/api/v1/crisis/plans/${planId}`, { expectedVersion: 4, content: edited });
    expect(v5.body.readiness).toMatchObject({ ready: false, statementsApproved: 0 });
    expect((await auditSince(services, seq2, { action: "crisis.plan_updated" }))[0].data).toMatchObject({ version: 5, approvalsCleared: ["holding-en"] });

    const versions = await member.get(`/api/v1/crisis/plans/${planId}/versions`);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([5, 4, 3, 2, 1]);
    const old = await member.get(`/api/v1/crisis/plans/${planId}?version=3`);
    expect(old.body.content.statements[0].approvedBy).toBe(p.admin.id);
    // The lifecycle reads a plan's version in its own transaction.
    const read = await inTransaction(unsafeSystemCtx(services, "test", ws.workspace.id), (tx) => getPlanVersion(tx, planId, 2));
    expect([read.version, read.content.roles[0].holderId]).toEqual([2, p.manager.id]);
    await expect(inTransaction(unsafeSystemCtx(services, "test", other.workspace.id), (tx) => getPlanVersion(tx, planId))).rejects.toMatchObject({ code: "plan_not_found" });

    // Someone leaving makes their roles stale.
    await services.database.db.delete(memberships).where(and(eq(memberships.workspaceId, ws.workspace.id), eq(memberships.userId, p.owner.id)));
    expect((await member.get(`/api/v1/crisis/plans/${planId}`)).body.readiness).toMatchObject({ rolesFilled: 2, backupsSet: 2, staleRoles: ["pr", "social"] });
  });

  it("refuses content it cannot stand behind, with plan_content_invalid, writing nothing", async () => {
    const created = (await manager.post("/api/v1/crisis/plans", { scenario: "custom", name: "Strike" })).body;
    const put = (content: object) => manager.put(`/api/v1/crisis/plans/${created.id}`, { expectedVersion: 1, content: { ...created.content, ...content } });
    const cases: Array<[object, RegExp]> = [
      [{ roles: [{ role: "lead", holderId: other.people.owner.id, backupId: null }] }, /holder of “lead” is not a member/],
      [{ roles: [{ role: "lead", holderId: ws.people.admin.id, backupId: ws.people.admin.id }] }, /someone other than its holder/],
      [{ roles: [{ role: "lead", holderId: null, backupId: null }, { role: "lead", holderId: null, backupId: null }] }, /listed twice/],
      [{ defaultSeverity: 8 }, /no severity level 8/],
      [{ stakeholders: [{ name: "Board", email: null, destinationId: null, fromSeverity: 1 }] }, /needs an email address/],
      [{ triggers: { streamIds: ["00000000-0000-4000-8000-000000000000"], alertKinds: [] } }, /trigger stream/],
    ];
    for (const [content, message] of cases) {
      const res = await put(content);
      expect([res.status, res.body.error.code], JSON.stringify(content)).toEqual([400, "plan_content_invalid"]);
      expect(res.body.error.message).toMatch(message);
    }
    const shape = await put({ checklist: [{ id: "x", title: "", role: "lead", dueMinutes: -1, kind: "other" }] });
    expect(shape.body.error.code).toBe("invalid_input");
    const versions = await services.database.db.select().from(crisisPlanVersions).where(eq(crisisPlanVersions.planId, created.id));
    expect(versions).toHaveLength(1);
    expect((await outsider.get(`/api/v1/crisis/plans/${created.id}`)).body.error.code).toBe("plan_not_found");
    // Archived: not listed, not editable, restorable.
    expect((await manager.post(`/api/v1/crisis/plans/${created.id}/archive`)).body.archived).toBe(true);
    expect((await member.get("/api/v1/crisis/plans")).body.plans.some((p: { id: string }) => p.id === created.id)).toBe(false);
    expect((await put({})).body.error.code).toBe("plan_archived");
    expect((await manager.post(`/api/v1/crisis/plans/${created.id}/restore`)).body.archived).toBe(false);
    // A plan's default severity cannot be removed.
    const removing = await admin.delete("/api/v1/crisis/severities/3");
    expect([removing.status, removing.body.error.code]).toEqual([409, "severity_in_use"]);
  });

  it("proposes the plan whose triggers match an alert best (stream and kind, then stream, then kind), else the kind's usual scenario", async () => {
    const fresh = await buildWorkspace(services, "Proposals");
    const system = unsafeSystemCtx(services, "test", fresh.workspace.id);
    const [brand, product] = await services.database.db
      .insert(listeningStreams)
      .values([{ workspaceId: fresh.workspace.id, name: "Brand", query: "emberoak" }, { workspaceId: fresh.workspace.id, name: "Product", query: "kettle" }])
      .returning();
    const freshManager = await signedInClient(app, fresh.people.manager);
    const make = async (scenario: string, triggers: object) => {
      const created = (await freshManager.post("/api/v1/crisis/plans", { scenario })).body;
      const res = await freshManager.put(`/api/v1/crisis/plans/${created.id}`, { expectedVersion: 1, content: { ...created.content, triggers } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return created.id as string;
    };
    expect(await inTransaction(system, (tx) => proposePlan(tx, fresh.workspace.id, { kind: "spike", streamId: brand.id }))).toBeNull();
    const complaint = await make("viral_complaint", { streamIds: [], alertKinds: ["spike", "negative_turn"] });
    const recall = await make("product_recall", { streamIds: [product.id], alertKinds: ["spike"] });
    const brandAny = await make("offensive_post", { streamIds: [brand.id], alertKinds: [] });
    const propose = (alert: { kind: string; streamId: string | null }) => inTransaction(system, (tx) => proposePlan(tx, fresh.workspace.id, alert));
    expect(await propose({ kind: "spike", streamId: product.id })).toMatchObject({ planId: recall, scenario: "product_recall", severityLevel: 1, reason: "trigger", planVersion: 2 });
    expect(await propose({ kind: "negative_turn", streamId: brand.id })).toMatchObject({ planId: brandAny, reason: "trigger" });
    expect(await propose({ kind: "negative_turn", streamId: product.id })).toMatchObject({ planId: complaint, reason: "trigger" });
    const impostor = await make("impostor_scam", { streamIds: [], alertKinds: [] });
    expect(await propose({ kind: "impostor", streamId: null })).toMatchObject({ planId: impostor, reason: "scenario", severityLevel: 3 });
    expect(await propose({ kind: "keyword", streamId: null })).toBeNull();
    // severityOf and ensureSeverities for the lifecycle part.
    const sev = await inTransaction(system, (tx) => severityOf(tx, fresh.workspace.id, 2));
    expect(sev).toMatchObject({ level: 2, approverRole: "pr", internalUpdateMinutes: 60 });
    await expect(inTransaction(system, (tx) => severityOf(tx, fresh.workspace.id, 9))).rejects.toMatchObject({ code: "severity_not_found" });
    expect(await inTransaction(system, (tx) => ensureSeverities(tx, fresh.workspace.id))).toHaveLength(4);
  });
});
