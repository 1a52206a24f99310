import { afterAll, beforeAll, expect, it } from "vitest";
import { CRISIS_SCENARIOS } from "../../contracts/crisis-plans";
import { createApp } from "../http/app";
import { seedDemo } from "./seed-demo";
import { describeEachDatabase } from "../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../test/support/services";
import { signedInClient } from "../../../test/support/factories";

describeEachDatabase("demo crisis plans", (kind) => {
  let services: TestServices;
  beforeAll(async () => {
    services = await createTestServices(kind, { PARAPET_DEMO_EMAIL: "olivia@ember.example.test", PARAPET_DEMO_PASSWORD: "demo-password-123" });
  });
  afterAll(() => services.close());

  it("ships a plan for every scenario: roles held by demo people with backups, statements approved, streams that propose them", async () => {
    await seedDemo(services);
    const app = createApp(services);
    const sofia = await signedInClient(app, { email: "sofia@ember.example.test" }, { password: "demo-password-123" });
    const members = (await sofia.get("/api/v1/workspace/members")).body.members as Array<{ userId: string; email: string }>;
    const who = (id: string | null) => members.find((m) => m.userId === id)?.email.split("@")[0] ?? null;
    const { plans } = (await sofia.get("/api/v1/crisis/plans")).body;
    expect(plans.map((p: { scenario: string }) => p.scenario).sort()).toEqual(CRISIS_SCENARIOS.filter((s) => s !== "custom").sort());
    for (const summary of plans) {
      // Everything but a drill: the drills part's demo drill sets lastDrilledAt on its plan.
      expect(summary.readiness, summary.name).toMatchObject({ staleRoles: [] });
      expect(summary.readiness.rolesFilled).toBe(summary.readiness.rolesTotal);
      expect(summary.readiness.backupsSet).toBe(summary.readiness.rolesTotal);
      expect(summary.readiness.statementsApproved).toBe(summary.readiness.statementsTotal);
    }
    const complaint = plans.find((p: { scenario: string }) => p.scenario === "viral_complaint");
    const plan = (await sofia.get(`/api/v1/crisis/plans/${complaint.id}`)).body;
    expect(plan.content.roles.map((r: { role: string; holderId: string; backupId: string }) => [r.role, who(r.holderId), who(r.backupId)])).toEqual([
      ["lead", "sofia", "olivia"],
      ["customer_care", "lucia", "jan"],
      ["pr", "pieter", "sofia"],
      ["social", "jan", "sofia"],
      ["executive", "olivia", "amir"],
    ]);
    expect(plan.content.statements.map((s: { locale: string; approvedBy: string }) => [s.locale, who(s.approvedBy)])).toEqual([["en", "olivia"], ["de", "olivia"], ["fa", "olivia"]]);
    const streams = (await sofia.get("/api/v1/listening/streams")).body.streams as Array<{ id: string; name: string }>;
    expect(plan.content.triggers).toEqual({ streamIds: [streams.find((s) => s.name === "Ember & Oak")!.id], alertKinds: ["spike", "negative_turn"] });
    expect(members.some((m) => m.email.startsWith("marco@") && plans.length && JSON.stringify(plan.content.roles).includes(m.userId))).toBe(false);
  });
});
