import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { inTransaction, unsafeSystemCtx } from "../context";
import { createApp } from "../http/app";
import { createUser } from "../domains/identity";
import { workspaces } from "../domains/workspaces/workspaces.schema";
import { auditEvents } from "../audit/audit.schema";
import { verifyAuditChain } from "../audit/verify";
import { AUDIT_CHAIN_KEY } from "../audit/chain";
import { DEMO_WORKSPACE, seedDemo } from "./seed-demo";
import { unsafePublishDue } from "../domains/publishing";
import { describeEachDatabase } from "../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../test/support/services";
import { signedInClient } from "../../../test/support/factories";
import { actionsSince, lastAuditSeq } from "../../../test/support/audit";

/**
 * What the demo's finished drill (demo-crisis-drill.ts) adds to the audit log: the drill, its crisis from declaration to
 * close (13 tasks done, 3 status updates, the holding statement from draft to published, crisis mode with its pause,
 * 4 held posts decided), the alert resolved, the drill finished, the review written and published with 4 action items;
 * and in publishing the weekend promotion created (and later discarded), the statement's post published, the three
 * demo targets released at their old times.
 */
const DRILL_ACTIONS: Record<string, number> = {
  "crisis.drill_started": 1, "crisis.declared": 1, "crisis.drill_declared": 1, "crisis.mode_started": 1, "crisis.mode_switched": 1, "publishing.paused": 1,
  "crisis.task_updated": 13, "crisis.status_update_posted": 3, "crisis.statement_created": 1, "crisis.statement_updated": 1, "crisis.statement_submitted": 1,
  "crisis.statement_escalated": 1, "crisis.statement_decided": 1, "crisis.statement_published": 1, "post.published": 1, "crisis.status_changed": 2,
  "crisis.mode_ended": 1, "publishing.resumed": 1, "crisis.held_post_decided": 4, "post.released": 3, "listening.alert_status_changed": 1,
  "crisis.drill_finished": 1, "crisis.review_drafted": 2, "crisis.review_updated": 1, "crisis.action_item_added": 4, "crisis.review_published": 1,
  "post.created": 2,
};
const withDrill = (counts: Record<string, number>) => {
  const all = { ...counts };
  for (const [action, n] of Object.entries(DRILL_ACTIONS)) all[action] = (all[action] ?? 0) + n;
  return all;
};

const countBy = (actions: string[]) => actions.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a]: (acc[a] ?? 0) + 1 }), {});

describeEachDatabase("demo seeding", (kind) => {
  let services: TestServices;
  beforeAll(async () => {
    services = await createTestServices(kind, { PARAPET_DEMO_EMAIL: "olivia@ember.example.test", LOGIN_RATE_PER_MINUTE: "1000" });
  });
  afterAll(() => services.close());

  it("creates the brand with one person at each level, in their teams, all signing in with the demo password", async () => {
    const demo = await seedDemo(services);
    expect(demo).toMatchObject({ created: true, email: "olivia@ember.example.test", password: "demo-password-123" });
    // A password given in the settings is never written to disk.
    expect(fs.existsSync(path.join(services.config.dataDir, "demo-password.txt"))).toBe(false);

    const app = createApp(services);
    const owner = await signedInClient(app, { email: "olivia@ember.example.test" }, { password: "demo-password-123" });
    const me = (await owner.get("/api/v1/me")).body;
    expect(me).toMatchObject({ role: "owner", workspace: { name: DEMO_WORKSPACE.name, slug: DEMO_WORKSPACE.slug, isDemo: true } });
    const members = (await owner.get("/api/v1/workspace/members")).body.members as Array<{ userId: string; email: string; role: string; teamIds: string[] }>;
    expect(Object.fromEntries(members.map((m) => [m.email.split("@")[0], m.role]))).toEqual({
      olivia: "owner", amir: "admin", sofia: "manager", jan: "member", lucia: "member", greta: "member", pieter: "member", marco: "member",
    });
    const teams = (await owner.get("/api/v1/workspace/teams")).body.teams as Array<{ name: string; memberIds: string[] }>;
    const emailOf = (id: string) => members.find((m) => m.userId === id)!.email.split("@")[0];
    expect(Object.fromEntries(teams.map((t) => [t.name, t.memberIds.map(emailOf).sort()]))).toEqual({
      "Social media": ["jan", "marco", "sofia"], "Customer service": ["lucia"], Legal: ["greta"], PR: ["pieter"],
    });
    await signedInClient(app, { email: "jan@ember.example.test" }, { password: "demo-password-123" });

    const actions = (await services.database.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.workspaceId, demo.workspaceId))).map((r) => r.action);
    expect(countBy(actions)).toEqual(withDrill({ "workspace.created": 1, "user.created": 8, "team.member_added": 6, "demo.seeded": 1, "channel.connected": 3, "channel_access.changed": 1, "member.partner_access_set": 1, "post.created": 5, "post.submitted": 1, "post.cancelled": 1, "listening.source_added": 1, "listening.stream_created": 3, "crisis.plan_created": 8, "crisis.plan_statement_approved": 12 }));
  });

  it("shows every channel level: who may do what on the demo's three accounts", async () => {
    const app = createApp(services);
    const owner = await signedInClient(app, { email: "olivia@ember.example.test" }, { password: "demo-password-123" });
    type Matrix = { channels: Array<{ id: string; handle: string }>; people: Array<{ email: string; levels: Record<string, { level: string }> }> };
    const matrix = (await owner.get("/api/v1/channel-access")).body as Matrix;
    const table = Object.fromEntries(
      matrix.people.map((p) => [p.email.split("@")[0], Object.fromEntries(matrix.channels.map((c) => [c.handle, p.levels[c.id].level]))]),
    );
    expect(table).toEqual({
      olivia: { emberoak: "publish", emberoak_de: "publish", emberoak_support: "publish" },
      amir: { emberoak: "publish", emberoak_de: "publish", emberoak_support: "publish" },
      sofia: { emberoak: "publish", emberoak_de: "publish", emberoak_support: "none" },
      jan: { emberoak: "approval_required", emberoak_de: "approval_required", emberoak_support: "none" },
      marco: { emberoak: "approval_required", emberoak_de: "approval_required", emberoak_support: "none" },
      lucia: { emberoak: "none", emberoak_de: "none", emberoak_support: "reply" },
      greta: { emberoak: "read", emberoak_de: "read", emberoak_support: "read" },
      pieter: { emberoak: "read", emberoak_de: "none", emberoak_support: "none" },
    });
  });

  it("has posts in several states, written by the people at their levels; the one due now goes out on the Sandbox", async () => {
    const app = createApp(services);
    const sofia = await signedInClient(app, { email: "sofia@ember.example.test" }, { password: "demo-password-123" });
    type Listed = { text: string; state: string; authorId: string; targets: Array<{ status: string; text: string }> };
    const posts = (await sofia.get("/api/v1/posts")).body.posts as Listed[];
    const byStart = Object.fromEntries(posts.map((p) => [p.text.slice(0, 12), [p.state, p.targets.map((t) => t.status).join(",")]]));
    expect(byStart).toEqual({
      "Our Huila si": ["scheduled", "scheduled,scheduled"],
      "Good morning": ["scheduled", "scheduled"],
      "Latte art co": ["draft", "draft"],
      "Cupping Satu": ["in_review", "draft"],
      "BLACK FRIDAY": ["cancelled", "cancelled,cancelled"],
      // The demo's drill twelve days ago: the promotion it held and discarded, and its holding statement, published.
      "Hearth weeke": ["cancelled", "cancelled"],
      "We've seen D": ["scheduled", "published"],
    });
    expect(posts.find((p) => p.text.startsWith("Our Huila"))!.targets.map((t) => t.text.slice(0, 10)).sort()).toEqual(["Our Huila ", "Unser Huil"]);
    // The intern's scheduled post waits for someone with Full publishing on the channel.
    expect((await sofia.get("/api/v1/approvals/waiting")).body.items.map((i: { post: { text: string } }) => i.post.text.slice(0, 12))).toEqual(["Cupping Satu"]);
    // The worker's publisher puts the due one on the Sandbox.
    expect(await unsafePublishDue(services)).toEqual(["published"]);
    const published = ((await sofia.get("/api/v1/posts")).body.posts as Listed[]).find((p) => p.text.startsWith("Good morning"))!;
    expect(published.targets[0].status).toBe("published");
  });

  it("finds the demo on a second call and changes nothing", async () => {
    const before = await lastAuditSeq(services);
    const again = await seedDemo(services);
    expect(again).toMatchObject({ created: false, email: "olivia@ember.example.test", password: "demo-password-123" });
    expect(await actionsSince(services, before)).toEqual([]);
    expect((await services.database.db.select().from(workspaces).where(eq(workspaces.isDemo, true))).length).toBe(1);
  });
});

describeEachDatabase("demo seeding without a configured password", (kind) => {
  let services: TestServices;
  beforeAll(async () => {
    services = await createTestServices(kind, { PARAPET_DEMO_EMAIL: "olivia@ember.example.test", PARAPET_DEMO_PASSWORD: "" });
  });
  afterAll(() => services.close());

  it("two seedings at the same moment make one demo; an existing account is reused, not announced as created; the generated password is kept", async () => {
    const existing = await inTransaction(unsafeSystemCtx(services, "test"), (tx) =>
      createUser(tx, { email: "Olivia@Ember.example.test", name: "Olivia Already-Here", password: "her-own-password-1" }),
    );
    const before = await lastAuditSeq(services);

    const results = await Promise.all([seedDemo(services), seedDemo(services)]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(new Set(results.map((r) => r.workspaceId)).size).toBe(1);
    expect((await services.database.db.select().from(workspaces).where(eq(workspaces.isDemo, true))).length).toBe(1);

    const created = await services.database.db.select().from(auditEvents).where(eq(auditEvents.action, "user.created"));
    expect(created).toHaveLength(7);
    expect(created.map((r) => (r.data as { userId: string }).userId)).not.toContain(existing.id);
    expect(countBy(await actionsSince(services, before))).toEqual(withDrill({ "workspace.created": 1, "user.created": 7, "team.member_added": 6, "demo.seeded": 1, "channel.connected": 3, "channel_access.changed": 1, "member.partner_access_set": 1, "post.created": 5, "post.submitted": 1, "post.cancelled": 1, "listening.source_added": 1, "listening.stream_created": 3, "crisis.plan_created": 8, "crisis.plan_statement_approved": 12 }));
    expect((await verifyAuditChain(services.database.db, services.secrets.deriveKey(AUDIT_CHAIN_KEY))).ok).toBe(true);

    const winner = results.find((r) => r.created)!;
    expect(winner.password).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const file = path.join(services.config.dataDir, "demo-password.txt");
    expect(fs.readFileSync(file, "utf8")).toBe(winner.password);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await seedDemo(services)).password).toBe(winner.password); // printed again at the next start
  });
});
