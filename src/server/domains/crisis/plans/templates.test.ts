import { describe, expect, it } from "vitest";
import { CRISIS_SCENARIOS, CrisisPlanContent } from "../../../../contracts/crisis-plans";
import { planReadiness } from "./readiness";
import { DEFAULT_SEVERITIES } from "./severities";
import { SCENARIO_TEMPLATES, scenarioTemplate } from "./templates";

describe("scenario templates", () => {
  it("has a valid template for each of the eight scenarios, with timed first-hour steps and a five-part holding statement", () => {
    const scenarios = CRISIS_SCENARIOS.filter((s) => s !== "custom");
    expect(Object.keys(SCENARIO_TEMPLATES).sort()).toEqual([...scenarios].sort());
    for (const scenario of scenarios) {
      const { content } = scenarioTemplate(scenario);
      expect(() => CrisisPlanContent.parse(content), scenario).not.toThrow();
      expect(content.roles.map((r) => r.role)).toContain("lead");
      expect(content.checklist.length).toBeGreaterThanOrEqual(8);
      expect(content.checklist.every((s) => s.dueMinutes <= 60)).toBe(true);
      expect(new Set(content.checklist.map((s) => s.id)).size).toBe(content.checklist.length);
      expect(content.statements).toHaveLength(1);
      // … when the next update comes; unapproved until the brand approves it.
      expect(content.statements[0].body).toMatch(/by \[time\]\.$/);
      expect(content.statements[0].approvedBy).toBeNull();
      expect(DEFAULT_SEVERITIES.map((s) => s.level)).toContain(content.defaultSeverity);
    }
    expect(SCENARIO_TEMPLATES.hacked_account.content.crisisMode).toMatchObject({ pause: "all", secure: true });
    expect(SCENARIO_TEMPLATES.impostor_scam.content.triggers.alertKinds).toEqual(["impostor"]);
  });

  it("hands out copies: changing one does not change the template", () => {
    const copy = scenarioTemplate("data_leak");
    copy.content.checklist.length = 0;
    expect(scenarioTemplate("data_leak").content.checklist.length).toBeGreaterThan(0);
  });
});

describe("plan readiness", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const [a, b, gone] = ["00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b", "00000000-0000-4000-8000-00000000000c"];
  const members = new Set([a, b]);
  const base = scenarioTemplate("insensitive_scheduled").content;

  it("is ready only with every role held and backed up by current members, every statement approved and a recent drill", () => {
    const content = { ...base, roles: base.roles.map((r) => ({ ...r, holderId: a, backupId: b })), statements: base.statements.map((s) => ({ ...s, approvedBy: a, approvedAt: now.toISOString() })) };
    const drilled = new Date("2026-05-01T12:00:00Z");
    expect(planReadiness(content, drilled, members, now)).toMatchObject({ ready: true, rolesFilled: 3, rolesTotal: 3, backupsSet: 3, statementsApproved: 1, lastDrilledDaysAgo: 31, staleRoles: [] });
    expect(planReadiness(content, null, members, now)).toMatchObject({ ready: false, lastDrilledDaysAgo: null });
    expect(planReadiness(content, new Date("2025-06-01T12:00:00Z"), members, now).ready).toBe(false);
    const leaver = { ...content, roles: content.roles.map((r, i) => (i === 0 ? { ...r, backupId: gone } : r)) };
    expect(planReadiness(leaver, drilled, members, now)).toMatchObject({ ready: false, backupsSet: 2, staleRoles: ["lead"] });
    const selfBackup = { ...content, roles: content.roles.map((r, i) => (i === 1 ? { ...r, backupId: a } : r)) };
    expect(planReadiness(selfBackup, drilled, members, now).backupsSet).toBe(2);
    expect(planReadiness(base, drilled, members, now)).toMatchObject({ ready: false, rolesFilled: 0, backupsSet: 0, statementsApproved: 0 });
  });
});
