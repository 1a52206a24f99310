import { readFileSync } from "node:fs";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../../contracts/roles";
import { CRISIS_STATUSES, type CrisisStatus, type CrisisTarget } from "../../../../contracts/crises";
import { createApp } from "../../../http/app";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../../test/support/factories";
import type { HttpClient } from "../../../../../test/support/http";
import { actionsSince, auditSince, lastAuditSeq } from "../../../../../test/support/audit";
import { insertAlert, insertPlan } from "../../../../../test/support/crisis-fixtures";
import { mailOutbox } from "../../../mail/mail.schema";
import { crisisEvents, crisisModes, crisisReviews, crisisTasks } from "../crisis.schema";
import { TRANSITIONS } from "./transitions";

type CrisisView = {
  id: string; number: number; ref: string; status: CrisisStatus; version: number; severityLevel: number; scenario: string; planId: string | null;
  roles: Array<{ id: string; role: string; userId: string; isBackup: boolean }>; mode: unknown; onTeam: boolean; allowedTransitions: string[];
  activatedAt: string | null; stableAt: string | null; closedAt: string | null; cancelledAt: string | null; declaredAt: string; detectedAt: string | null;
  nextInternalUpdateDueAt: string | null; nextPublicUpdateDueAt: string | null; mergedIntoId: string | null; resolution: string | null;
};

describeEachDatabase("crisis lifecycle", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let workspaceId: string;
  let people: Record<Role, { id: string; email: string }>;
  let manager: HttpClient;
  let member: HttpClient;
  let admin: HttpClient;

  beforeAll(async () => {
    services = await createTestServices(kind);
    app = createApp(services);
    const built = await buildWorkspace(services);
    workspaceId = built.workspace.id;
    people = built.people;
    manager = await signedInClient(app, people.manager);
    member = await signedInClient(app, people.member);
    admin = await signedInClient(app, people.admin);
  });
  afterAll(() => services.close());

  const events = async (crisisId: string) =>
    services.database.db.select().from(crisisEvents).where(eq(crisisEvents.crisisId, crisisId)).orderBy(asc(crisisEvents.occurredAt), asc(crisisEvents.type));
  // SEV3 by default here: its crisis mode does not start on its own, so these tests are about the lifecycle alone.
  const declare = async (body: Record<string, unknown> = {}) => {
    const res = await manager.post("/api/v1/crisis/crises", { title: "Complaint about cold brew", originKind: "manual", severityLevel: 3, ...body });
    expect(res.status, res.text).toBe(200);
    return res.body as CrisisView;
  };
  const move = (c: { id: string; version: number }, to: CrisisTarget, extra: Record<string, unknown> = {}) =>
    manager.post(`/api/v1/crisis/crises/${c.id}/transition`, { to, version: c.version, ...extra });

  it("a manager declares by hand: active at once, leads it, on the timeline and in the audit log; a member may not", async () => {
    const before = await lastAuditSeq(services);
    const crisis = await declare({ summary: "A customer's video of a cold brew can exploding" });
    expect(crisis).toMatchObject({ status: "active", severityLevel: 3, scenario: "custom", ref: `CR-${crisis.number}`, onTeam: true, mode: null });
    expect(crisis.roles).toEqual([expect.objectContaining({ role: "lead", userId: people.manager.id, isBackup: false })]);
    expect(crisis.activatedAt).toBe(crisis.declaredAt);
    // SEV3: internal updates every 4 hours, no public cadence.
    expect(new Date(crisis.nextInternalUpdateDueAt!).getTime() - new Date(crisis.declaredAt).getTime()).toBe(240 * 60_000);
    expect(crisis.nextPublicUpdateDueAt).toBeNull();
    expect((await events(crisis.id)).map((e) => [e.type, e.pinned])).toEqual([["declared", true]]);
    const audit = await auditSince(services, before);
    expect(audit.map((a) => a.action)).toEqual(["crisis.declared"]);
    expect(audit[0]).toMatchObject({ actorId: people.manager.id, targetType: "crisis", targetId: crisis.id });
    const second = await declare();
    expect(second.number).toBe(crisis.number + 1);

    const refused = await member.post("/api/v1/crisis/crises", { title: "x", originKind: "manual" });
    expect([refused.status, refused.body.error.code]).toEqual([403, "forbidden"]);
    // The member still sees it.
    expect((await member.get(`/api/v1/crisis/crises/${crisis.id}`)).body).toMatchObject({ id: crisis.id, onTeam: false });
  });

  it("refuses bad declarations with stable codes and writes nothing", async () => {
    const before = await lastAuditSeq(services);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ title: "", originKind: "manual" }, 400, "invalid_input"],
      [{ title: "From an alert", originKind: "alert" }, 400, "crisis_origin_required"],
      [{ title: "From the inbox", originKind: "inbox" }, 400, "crisis_origin_required"],
      [{ title: "Unknown alert", originKind: "alert", alertId: "00000000-0000-4000-8000-000000000000" }, 404, "not_found"],
      [{ title: "No such level", originKind: "manual", severityLevel: 7 }, 400, "invalid_input"],
      [{ title: "Unknown plan", originKind: "manual", planId: "00000000-0000-4000-8000-000000000000" }, 404, "not_found"],
    ];
    for (const [body, status, code] of cases) {
      const res = await manager.post("/api/v1/crisis/crises", body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect(await actionsSince(services, before)).toEqual([]);
  });

  it("declared from an alert in quiet triage: scenario, severity and plan proposed, plan roles become the team, nothing broadcast; active makes the checklist tasks", async () => {
    const plan = await insertPlan(services, workspaceId, "viral_complaint", {
      roles: [
        { role: "lead", holderId: people.admin.id, backupId: people.owner.id },
        { role: "pr", holderId: people.member.id, backupId: null },
      ],
      checklist: [
        { id: "ack", title: "Acknowledge publicly", role: "pr", dueMinutes: 15, kind: "communication" },
        { id: "facts", title: "Collect the facts", role: "lead", dueMinutes: 30, kind: "research" },
      ],
    });
    const raisedAt = new Date(services.clock().getTime() - 7 * 60_000);
    const alert = await insertAlert(services, workspaceId, { kind: "spike", ratio: 4.2, raisedAt });
    const proposal = await manager.get(`/api/v1/crisis/proposal?alertId=${alert.id}`);
    expect(proposal.body).toMatchObject({ scenario: "viral_complaint", severityLevel: 2, planId: plan.id, basis: "plan:scenario" });
    // Without a plan for it, the alert's kind proposes: an impostor is SEV3; a spike of ten times the usual SEV1.
    const impostor = await insertAlert(services, workspaceId, { kind: "impostor", raisedAt });
    expect((await manager.get(`/api/v1/crisis/proposal?alertId=${impostor.id}`)).body).toMatchObject({ scenario: "impostor_scam", severityLevel: 3, planId: null, basis: "alert_kind:impostor" });

    const crisis = await declare({ title: "Cold brew cans exploding", originKind: "alert", alertId: alert.id, severityLevel: undefined, triage: true });
    expect(crisis).toMatchObject({ status: "triage", scenario: "viral_complaint", severityLevel: 2, planId: plan.id, activatedAt: null, mode: null, detectedAt: raisedAt.toISOString() });
    expect(crisis.roles.map((r) => [r.role, r.userId, r.isBackup]).sort()).toEqual(
      [["lead", people.admin.id, false], ["lead", people.owner.id, true], ["member", people.manager.id, false], ["pr", people.member.id, false]].sort(),
    );
    expect((await events(crisis.id)).map((e) => e.type)).toEqual(["alert_linked", "declared"]);
    // Quiet: no tasks yet, not on the banner.
    expect(await services.database.db.select().from(crisisTasks).where(eq(crisisTasks.crisisId, crisis.id))).toEqual([]);
    expect((await member.get("/api/v1/crisis/banner")).body.crises.map((c: { id: string }) => c.id)).not.toContain(crisis.id);

    services.clock.advance(5 * 60_000);
    const activated = await move(crisis, "active");
    expect(activated.status, activated.text).toBe(200);
    const activeAt = services.clock().getTime();
    expect(activated.body).toMatchObject({ status: "active", activatedAt: new Date(activeAt).toISOString(), version: crisis.version + 1 });
    // SEV2 defaults: automatic crisis mode with the plan's defaults (here: no pause, no lock down). Its reason is what
    // the declarer wrote (no summary: the title), and that the severity started it is a fact the web app words.
    expect(activated.body.mode).toMatchObject({ pause: false, lockdown: false, reason: "Cold brew cans exploding", automaticSeverity: 2 });
    const tasks = await services.database.db.select().from(crisisTasks).where(eq(crisisTasks.crisisId, crisis.id)).orderBy(asc(crisisTasks.position));
    expect(tasks.map((t) => [t.source, t.planStepId, t.title, t.ownerRole, t.ownerId, t.dueAt?.getTime()])).toEqual([
      ["plan", "ack", "Acknowledge publicly", "pr", people.member.id, activeAt + 15 * 60_000],
      ["plan", "facts", "Collect the facts", "lead", people.admin.id, activeAt + 30 * 60_000],
    ]);
    const types = (await events(crisis.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["status_changed", "task_created", "crisis_mode_on"]));
    expect((await member.get("/api/v1/crisis/banner")).body.crises).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: crisis.id, title: "Cold brew cans exploding", severityName: "SEV2 Major", declaredByName: "Manager" })]),
    );
    // Back to stable and active again: the checklist is not copied twice.
    const stable = await move(activated.body, "stable");
    const again = await move(stable.body, "active");
    expect(again.status, again.text).toBe(200);
    expect((await services.database.db.select().from(crisisTasks).where(eq(crisisTasks.crisisId, crisis.id))).length).toBe(2);
  });

  it("automatic crisis mode at declaration gives the declared summary as its reason, on the crisis, the banner and the crisis team's mail", async () => {
    const crisis = await declare({ title: "Cold brew cans exploding", summary: "A customer's video of an exploding can is spreading", severityLevel: 1 });
    expect(crisis.mode).toMatchObject({ reason: "A customer's video of an exploding can is spreading", automaticSeverity: 1 });
    const banner = (await member.get("/api/v1/crisis/banner")).body.crises.find((c: { id: string }) => c.id === crisis.id);
    expect(banner).toMatchObject({ reason: "A customer's video of an exploding can is spreading", mode: { pause: true, lockdown: true } });
    const mails = await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, people.manager.email));
    expect(mails.some((m) => m.subject.includes(crisis.ref) && m.text.includes("Why: A customer's video of an exploding can is spreading\n"))).toBe(true);
    // A person starting it says why themselves: no automatic severity.
    const ended = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode/end`);
    const restarted = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode`, { reason: "The newspapers have it", pause: "none", lockdown: true, notify: false });
    expect([ended.status, restarted.status]).toEqual([200, 200]);
    expect(restarted.body.mode).toMatchObject({ reason: "The newspapers have it", automaticSeverity: null });
    await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode/end`);
  });

  it("migration 0037 gives a crisis mode its severity started before the column the declared words instead of the generated reason", async () => {
    const crisis = await declare({ title: "Roastery fire rumour", summary: "Posts claim the roastery burned down", severityLevel: 1 });
    const db = services.database.db;
    // As it was stored before: "<title> (<severity>)", no automatic severity; and one a person started, left alone.
    await db.update(crisisModes).set({ reason: "Roastery fire rumour (SEV1 Critical)", automaticSeverity: null }).where(eq(crisisModes.crisisId, crisis.id));
    const byPerson = await declare({ title: "Another" });
    expect((await manager.post(`/api/v1/crisis/crises/${byPerson.id}/mode`, { reason: "Typed by a person", pause: "none", lockdown: false, notify: false })).status).toBe(200);
    const file = readFileSync(new URL("../../../../../migrations/0037_crisis_mode_automatic_severity.sql", import.meta.url), "utf8");
    for (const statement of file.split("--> statement-breakpoint").filter((s) => s.includes("UPDATE"))) await db.execute(sql.raw(statement));
    const modeOf = async (crisisId: string) => (await db.select().from(crisisModes).where(eq(crisisModes.crisisId, crisisId)))[0];
    expect(await modeOf(crisis.id)).toMatchObject({ reason: "Posts claim the roastery burned down", automaticSeverity: 1 });
    expect(await modeOf(byPerson.id)).toMatchObject({ reason: "Typed by a person", automaticSeverity: null });
    for (const id of [crisis.id, byPerson.id]) await manager.post(`/api/v1/crisis/crises/${id}/mode/end`);
  });

  it("follows the transition table for every pair of statuses, and refuses every other move with crisis_transition_not_allowed", async () => {
    const inStatus = async (status: CrisisStatus): Promise<CrisisView> => {
      if (status === "triage") return declare({ triage: true });
      const c = await declare();
      if (status === "active") return c;
      const target = await declare();
      const extra = status === "closed" ? { resolution: "Resolved" } : status === "cancelled" ? { reason: "False alarm" } : status === "merged" ? { mergeIntoId: target.id } : {};
      const res = await move(c, status as CrisisTarget, extra);
      expect(res.status, res.text).toBe(200);
      return res.body;
    };
    const targets: CrisisTarget[] = ["active", "stable", "closed", "cancelled", "merged"];
    for (const from of CRISIS_STATUSES) {
      for (const to of targets) {
        const crisis = await inStatus(from);
        const other = await declare();
        const extra = to === "closed" ? { resolution: "Refund and a new seal" } : to === "cancelled" ? { reason: "It was a parody account" } : to === "merged" ? { mergeIntoId: other.id } : {};
        const res = await move(crisis, to, extra);
        const label = `${from} → ${to}: ${res.text.slice(0, 160)}`;
        if (TRANSITIONS[from].includes(to)) {
          expect(res.status, label).toBe(200);
          expect(res.body.status, label).toBe(to);
          const changed = (await events(crisis.id)).filter((e) => e.type === "status_changed").at(-1)!;
          expect(changed.data, label).toMatchObject({ from, to });
        } else {
          expect([res.status, res.body.error?.code], label).toEqual([409, "crisis_transition_not_allowed"]);
        }
      }
    }
  }, 120_000);

  it("stamps each milestone in order; stable slows the update cadence; closing needs a resolution, cancelling a reason", async () => {
    let crisis = await declare({ severityLevel: 2 }); // SEV2 starts crisis mode with no plan: pause all and lock down
    expect(crisis.mode).toMatchObject({ pause: true, lockdown: true });
    // Events of the same moment read in the order they happened (the room's timeline and the review use it).
    const first = ((await manager.get(`/api/v1/crisis/crises/${crisis.id}/timeline`)).body.events as Array<{ type: string; occurredAt: string }>).slice(0, 2);
    expect(first.map((e) => e.type)).toEqual(["declared", "crisis_mode_on"]);
    expect(first[0].occurredAt).toBe(first[1].occurredAt);
    const ended = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode/end`);
    expect(ended.status, ended.text).toBe(200);
    crisis = ended.body;
    services.clock.advance(20 * 60_000);
    const stable = await move(crisis, "stable");
    expect(stable.status, stable.text).toBe(200);
    // SEV2: internal every 60 minutes, public every 120 — doubled once stable.
    const at = services.clock().getTime();
    expect(new Date(stable.body.nextInternalUpdateDueAt).getTime() - at).toBe(120 * 60_000);
    expect(new Date(stable.body.nextPublicUpdateDueAt).getTime() - at).toBe(240 * 60_000);
    services.clock.advance(60 * 60_000);
    const noResolution = await move(stable.body, "closed");
    expect([noResolution.status, noResolution.body.error.code]).toEqual([400, "crisis_resolution_required"]);
    const closed = await move(stable.body, "closed", { resolution: "Batch recalled; customers refunded" });
    expect(closed.status, closed.text).toBe(200);
    const c = closed.body as CrisisView;
    expect(c).toMatchObject({ status: "closed", resolution: "Batch recalled; customers refunded", nextInternalUpdateDueAt: null, allowedTransitions: [] });
    const times = [c.declaredAt, c.activatedAt!, c.stableAt!, c.closedAt!].map((t) => new Date(t).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[3] - times[2]).toBe(60 * 60_000);
    // Closing drafts the blameless review from the timeline, in the same transaction.
    const [review] = await services.database.db.select().from(crisisReviews).where(eq(crisisReviews.crisisId, c.id));
    expect(review).toMatchObject({ status: "draft" });

    const toCancel = await declare();
    const noReason = await move(toCancel, "cancelled");
    expect([noReason.status, noReason.body.error.code]).toEqual([400, "crisis_reason_required"]);
    const cancelled = await move(toCancel, "cancelled", { reason: "A parody account, not us" });
    expect(cancelled.body).toMatchObject({ status: "cancelled", resolution: "A parody account, not us" });
    expect(cancelled.body.cancelledAt).not.toBeNull();
  });

  it("merges only into another open crisis; the target's timeline says so", async () => {
    const a = await declare();
    const b = await declare();
    const closed = (await move(await declare(), "closed", { resolution: "done" })).body as CrisisView;
    for (const mergeIntoId of [a.id, closed.id, undefined]) {
      const res = await move(a, "merged", { mergeIntoId });
      expect([res.status, res.body.error.code]).toEqual([409, "crisis_merge_target_invalid"]);
    }
    const merged = await move(a, "merged", { mergeIntoId: b.id });
    expect(merged.body).toMatchObject({ status: "merged", mergedIntoId: b.id });
    expect((await events(b.id)).find((e) => e.type === "note")).toMatchObject({ text: `CR-${a.number} was merged into this crisis` });
  });

  it("refuses a stale version (409 crisis_version_conflict) and a member's move (403)", async () => {
    const crisis = await declare();
    const first = await move(crisis, "stable");
    expect(first.status).toBe(200);
    const stale = await move(crisis, "closed", { resolution: "x" });
    expect([stale.status, stale.body.error.code]).toEqual([409, "crisis_version_conflict"]);
    const byMember = await member.post(`/api/v1/crisis/crises/${crisis.id}/transition`, { to: "closed", version: first.body.version, resolution: "x" });
    expect([byMember.status, byMember.body.error.code]).toEqual([403, "forbidden"]);
  });

  it("changes severity at any time while open, with the new cadence, on the timeline; not once closed", async () => {
    const crisis = await declare();
    const before = await lastAuditSeq(services);
    const raised = await manager.post(`/api/v1/crisis/crises/${crisis.id}/severity`, { severityLevel: 1, version: crisis.version, reason: "A newspaper picked it up" });
    expect(raised.status, raised.text).toBe(200);
    expect(raised.body).toMatchObject({ severityLevel: 1, severityName: "SEV1 Critical", version: crisis.version + 1 });
    expect(new Date(raised.body.nextInternalUpdateDueAt).getTime() - services.clock().getTime()).toBe(30 * 60_000);
    expect((await events(crisis.id)).find((e) => e.type === "severity_changed")?.data).toEqual({ from: 3, to: 1, name: "SEV1 Critical", reason: "A newspaper picked it up" });
    expect(await actionsSince(services, before)).toEqual(["crisis.severity_changed"]);
    const stale = await manager.post(`/api/v1/crisis/crises/${crisis.id}/severity`, { severityLevel: 2, version: crisis.version });
    expect(stale.body.error.code).toBe("crisis_version_conflict");
    const closed = await move(raised.body, "closed", { resolution: "ok" });
    const late = await manager.post(`/api/v1/crisis/crises/${crisis.id}/severity`, { severityLevel: 2, version: closed.body.version });
    expect([late.status, late.body.error.code]).toEqual([409, "crisis_not_open"]);
  });

  it("hands a role over (the old holder renounced, kept in the history), adds backups and members, takes people off", async () => {
    const crisis = await declare();
    const handed = await manager.post(`/api/v1/crisis/crises/${crisis.id}/roles`, { role: "lead", userId: people.admin.id });
    expect(handed.status, handed.text).toBe(200);
    expect(handed.body.roles.filter((r: { role: string }) => r.role === "lead")).toEqual([expect.objectContaining({ userId: people.admin.id, isBackup: false })]);
    expect((await events(crisis.id)).find((e) => e.type === "role_changed")?.data).toMatchObject({ role: "lead", userId: people.admin.id, fromUserId: people.manager.id, name: "Admin", fromName: "Manager" });
    await manager.post(`/api/v1/crisis/crises/${crisis.id}/roles`, { role: "lead", userId: people.manager.id, isBackup: true });
    const withMember = await manager.post(`/api/v1/crisis/crises/${crisis.id}/roles`, { role: "member", userId: people.member.id });
    expect(withMember.body.roles.map((r: { role: string; isBackup: boolean; userId: string }) => [r.role, r.isBackup, r.userId])).toEqual([
      ["lead", false, people.admin.id],
      ["lead", true, people.manager.id],
      ["member", false, people.member.id],
    ]);
    expect((await member.get(`/api/v1/crisis/crises/${crisis.id}`)).body.onTeam).toBe(true);
    const memberRole = withMember.body.roles.find((r: { role: string }) => r.role === "member");
    const off = await manager.delete(`/api/v1/crisis/crises/${crisis.id}/roles/${memberRole.id}`);
    expect(off.status, off.text).toBe(200);
    expect((await member.get(`/api/v1/crisis/crises/${crisis.id}`)).body.onTeam).toBe(false);
    const stranger = await manager.post(`/api/v1/crisis/crises/${crisis.id}/roles`, { role: "pr", userId: "00000000-0000-4000-8000-000000000000" });
    expect([stranger.status, stranger.body.error.code]).toEqual([404, "not_found"]);
    const byMember = await member.post(`/api/v1/crisis/crises/${crisis.id}/roles`, { role: "pr", userId: people.member.id });
    expect(byMember.status).toBe(403);
  });

  it("lists crises (open only or all) for everyone in the workspace", async () => {
    const open = await member.get("/api/v1/crisis/crises?status=open");
    const all = await admin.get("/api/v1/crisis/crises");
    expect(open.status).toBe(200);
    expect(open.body.crises.every((c: { status: string }) => ["triage", "active", "stable"].includes(c.status))).toBe(true);
    expect(all.body.crises.length).toBeGreaterThan(open.body.crises.length);
    expect(all.body.crises.some((c: { status: string }) => c.status === "closed")).toBe(true);
  });
});
