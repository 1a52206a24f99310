import AxeBuilder from "@axe-core/playwright";
import { and, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";
import { listeningStreams, mentions } from "../../src/server/domains/listening/listening.schema";
import { storeMatches, type MatchedPost } from "../../src/server/domains/listening/pipeline/store-matches";
import { unsafeJudgeStreams } from "../../src/server/domains/listening/alerts/judge-streams";
import { crises, crisisDrills } from "../../src/server/domains/crisis/crisis.schema";

/**
 * A whole drill in a browser, on the demo workspace (issue 7's proof), as far as it goes today:
 * the owner starts a drill of the viral complaint plan on the Drills page (the plan's Sandbox scenario starts playing);
 * a wave of complaints about the brand reaches the brand stream as the pipeline stores it and the judging job raises a
 * spike alert from it against the demo's four weeks of history; on the drill's page the owner declares the drill crisis
 * from that alert; finishes the drill and sees the score (declared within 10 minutes: met); opens the drill crisis's
 * review, drafts it and sees the times (detect, declare, duration). The same review in Persian.
 * Not covered here (see the report): crisis mode pausing the calendar and locking replies, a task done, the holding
 * statement approved by the backup after its deadline and published on the Sandbox, closing with every held post decided.
 */
describe.skipIf(!canRunBrowser)("a crisis drill in a browser", () => {
  const b = useBrowser("crisis-drill");
  const shots = b.shots;

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  it("starts a drill, declares its crisis from the spike alert, finishes it with a score and reads the review's times", async () => {
    const page = await b.signedIn({ next: "/crisis/drills" });
    await page.getByRole("heading", { name: "Drills", level: 1 }).waitFor();
    const me = (await page.evaluate(async () => (await fetch("/api/v1/me")).json())) as { workspace: { id: string } };
    const workspaceId = me.workspace.id;
    const services = b.server.services;
    const db = services.database.db;
    await noSeriousViolations(page);

    // Start a drill of the viral complaint plan.
    await page.getByRole("button", { name: "Start a drill" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("combobox", { name: "Plan" }).pressSequentially("Viral");
    await page.getByRole("option", { name: /viral/i }).first().click();
    await dialog.getByRole("button", { name: "Start the drill" }).click();
    await page.getByRole("heading", { name: /^Drill: /, level: 1 }).waitFor();
    const drillId = page.url().split("/").pop()!;
    const [drill] = await db.select().from(crisisDrills).where(eq(crisisDrills.id, drillId));
    expect(drill).toMatchObject({ status: "running", sandboxScenario: "viral_complaint", crisisId: null });
    await page.getByText("The approver cannot be reached: ask the backup").waitFor();
    if (shots) await page.screenshot({ path: `${shots}/drill-running-en.png`, fullPage: true });

    // The complaints wave reaches the brand stream; the judging job raises a spike against the demo's history.
    const [stream] = await db.select().from(listeningStreams).where(and(eq(listeningStreams.workspaceId, workspaceId), eq(listeningStreams.name, "Ember & Oak")));
    const minute = Math.floor(services.clock().getTime() / 60_000) * 60_000;
    const posts: MatchedPost[] = Array.from({ length: 80 }, (_, i) => {
      const at = new Date(minute - (1 + (i % 10)) * 60_000);
      return {
        workspaceId, sourceId: null, network: "sandbox", networkPostId: `drill-e2e-${i}`, url: null, authorHandle: `drill_customer_${i}`, authorName: null,
        text: `@emberoak mould in my Hearth beans, batch HB-0923 #${i}`, lang: "en", langSource: "detected", sentiment: "negative", sentimentScore: 0.9,
        fingerprint: i % 5, nearDuplicate: i >= 5, postedAt: at, receivedAt: at, streamIds: [stream.id],
      };
    });
    await storeMatches(db, posts);
    await db.update(mentions).set({ storedAt: new Date(minute - 30_000) }).where(eq(mentions.workspaceId, workspaceId));
    expect((await unsafeJudgeStreams(services)).raised).toBeGreaterThanOrEqual(1);

    // Declare the drill crisis from the alert.
    await page.reload();
    await page.getByRole("heading", { name: "Declare the drill crisis" }).waitFor();
    await page.getByRole("combobox", { name: "From the alert" }).click();
    await page.getByRole("option").first().click();
    await page.getByRole("button", { name: "Declare", exact: true }).click();
    const crisisLink = page.getByRole("link", { name: /Open CR-/ });
    await crisisLink.waitFor();
    const [declared] = await db.select().from(crisisDrills).where(eq(crisisDrills.id, drillId));
    const [crisis] = await db.select().from(crises).where(eq(crises.id, declared.crisisId!));
    expect(crisis).toMatchObject({ isDrill: true, originKind: "drill" });
    expect(crisis.originAlertId).not.toBeNull();

    // Finish the drill: the score from the timeline.
    await page.getByRole("textbox", { name: "Debrief" }).fill("Declared fast from the alert. Next time: pause the calendar in the first five minutes.");
    await page.getByRole("button", { name: "Finish and score" }).click();
    const score = page.getByTestId("drill-score");
    await score.waitFor();
    await expect.poll(() => score.getByRole("row").filter({ hasText: "Declared within 10 minutes" }).textContent()).toContain("Met");
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/drill-debrief-en.png`, fullPage: true });

    // The review of the drill crisis: drafted on request, with the times.
    await page.getByRole("link", { name: "Review", exact: true }).click();
    await page.getByRole("button", { name: "Draft the review now" }).click();
    const times = page.getByTestId("review-times");
    await times.waitFor();
    expect(await times.textContent()).toMatch(/Time to detect\W*[\d.]+\W* min/);
    expect(await times.textContent()).toMatch(/Time to declare\W*[\d.]+\W* min/);
    expect(await times.textContent()).toContain("Duration");
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/review-en.png`, fullPage: true });

    // The same review in Persian (right to left).
    await b.setLanguage(page, "fa");
    await page.reload();
    await page.getByTestId("review-times").getByText("زمان تا اعلام").waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    if (shots) await page.screenshot({ path: `${shots}/review-fa.png`, fullPage: true });
    await b.setLanguage(page, "en");
  }, 180_000);
});
