import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inTransaction, unsafeSystemCtx } from "../../src/server/context";
import { users } from "../../src/server/domains/identity/identity.schema";
import { unsafeAddMemberDirectly } from "../../src/server/domains/workspaces";
import type { Overview } from "../../src/contracts/overview";
import { apiAs, canRunBrowser, useBrowser } from "../support/browser";
import { insertAlert } from "../support/crisis-fixtures";

/**
 * Home's risk overview in a browser, on the demo workspace: the owner pauses publishing, listening raises an alert and
 * a crisis is declared; Home then shows the crisis, the pause (who, why) and cards whose counts are the overview's
 * own figures, each linking to the page where it is handled; the next steps come from the same figures. Then the same
 * page in Persian (right to left). A member of a quiet workspace is told calmly that nothing needs attention. All
 * checked with axe.
 */
describe.skipIf(!canRunBrowser)("home: the risk overview in a browser", () => {
  const b = useBrowser("home");
  const shots = b.shots;

  /** Text without the Unicode isolates that wrap inserted values in translations. */
  const plain = async (locator: { textContent(): Promise<string | null> }) => ((await locator.textContent()) ?? "").replace(/[\u2066-\u2069]/g, "");

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  it("shows a crisis, a pause and what needs attention with the overview's figures and links, in English and Persian", async () => {
    const page = await b.signedIn({ next: "/" });
    await page.getByRole("heading", { name: "Risk overview", level: 1 }).waitFor();
    const me = (await apiAs(page, "GET", "/me")).body as { workspace: { id: string } };

    // What happens to the brand: an alert is raised, the owner pauses publishing, a crisis is declared.
    await insertAlert(b.server.services, me.workspace.id, { kind: "negative_turn", raisedAt: b.server.services.clock(), title: "Turn to negative on “Hearth blend”" });
    const pause = await apiAs(page, "POST", "/publishing/pauses", { reason: "Checking the recall statement" });
    expect(pause.status).toBe(200);
    const crisis = await apiAs(page, "POST", "/crisis/crises", { title: "Hearth blend recall", originKind: "manual", severityLevel: 3 });
    expect(crisis.status).toBe(200);
    const overview = (await apiAs<Overview>(page, "GET", "/overview")).body;
    expect(overview.listening!.openAlerts).toBeGreaterThan(0);

    await page.reload();
    await page.getByRole("heading", { name: "Needs attention", level: 2 }).waitFor();
    // The crisis leads (the first card, red), with a way into its room.
    expect(await page.locator("[data-testid^=attention-]").first().getAttribute("data-testid")).toBe(`attention-crisis-${crisis.body.id}`);
    const crisisAlert = page.getByTestId(`attention-crisis-${crisis.body.id}`);
    expect(await crisisAlert.getAttribute("data-tone")).toBe("red");
    expect(await plain(crisisAlert)).toContain(`Crisis ${crisis.body.ref}: Hearth blend recall`);
    expect(await crisisAlert.getByRole("link", { name: "Open the crisis room" }).getAttribute("href")).toBe(`/crisis/${crisis.body.id}`);
    // The pause: the whole workspace, by whom and why; a way to the held posts.
    const pauseAlert = page.getByTestId(`attention-pause-${pause.body.pause.id}`);
    expect(await pauseAlert.textContent()).toContain("Publishing is paused for the whole workspace");
    expect(await plain(pauseAlert)).toContain("“Checking the recall statement”");
    expect(await pauseAlert.getByRole("link", { name: /^See held posts/ }).getAttribute("href")).toBe("/publishing/held");

    // The alerts card: the overview's count, by kind, and a link to the open alerts.
    const alerts = page.getByTestId("attention-alerts");
    expect(await plain(alerts)).toContain(String(overview.listening!.openAlerts));
    expect(await plain(alerts.locator('a[href="/listening/alerts?status=open&kind=negative_turn"]'))).toBe(`Turn to negative: ${overview.listening!.openByKind.negative_turn}`);
    expect(await alerts.getByRole("link", { name: "Open alerts" }).getAttribute("href")).toBe("/listening/alerts?status=open");
    // Every card shown is one the figures call for, and the next steps list the same things.
    const next = page.getByRole("region", { name: "Next things to do" });
    expect(await plain(next.locator(`a[href="/crisis/${crisis.body.id}"]`))).toBe(`Work on crisis ${crisis.body.ref} in the crisis room`);
    const alertsStep = overview.listening!.openAlerts === 1 ? "Acknowledge or resolve 1 open alert" : `Acknowledge or resolve ${overview.listening!.openAlerts} open alerts`;
    expect(await plain(next.locator('a[href="/listening/alerts?status=open"]'))).toBe(alertsStep);
    if (overview.publishing!.held > 0) {
      expect(await plain(page.getByTestId("attention-held"))).toContain(String(overview.publishing!.held));
    }
    if (overview.channels!.needsReconnect === 0) expect(await page.getByTestId("attention-channels").count()).toBe(0);
    // What is in order is said so, calmly.
    await page.getByRole("heading", { name: "In order", level: 2 }).waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/home-en.png`, fullPage: true });

    // Persian, right to left: the same figures.
    await b.setLanguage(page, "fa");
    await page.reload();
    await page.getByRole("heading", { name: "نیازمند رسیدگی", level: 2 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    expect(await plain(page.getByTestId(`attention-crisis-${crisis.body.id}`))).toContain(`بحران ${crisis.body.ref}`);
    expect(await page.getByTestId("attention-alerts").getByRole("link", { name: "باز کردن هشدارها" }).getAttribute("href")).toBe("/listening/alerts?status=open");
    const persianCount = overview.listening!.openAlerts.toLocaleString("fa");
    expect(await plain(page.getByTestId("attention-alerts"))).toContain(persianCount);
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/home-fa.png`, fullPage: true });
    await b.setLanguage(page, "en");
  });

  it("tells a member of a quiet workspace that nothing needs attention, and lists what was checked", async () => {
    const owner = await b.signedIn({ next: "/" });
    const quiet = await apiAs(owner, "POST", "/workspaces", { name: "Quiet Roasters" });
    expect(quiet.status).toBe(200);
    const services = b.server.services;
    const [jan] = await services.database.db.select().from(users).where(eq(users.email, b.demoPerson("jan")));
    await inTransaction(unsafeSystemCtx(services, "test", quiet.body.id), (tx) => unsafeAddMemberDirectly(tx, { userId: jan.id, role: "member" }));
    const page = await b.signedIn({ email: b.demoPerson("jan"), next: "/" });
    expect((await apiAs(page, "POST", "/me/workspace", { workspaceId: quiet.body.id })).status).toBe(200);
    await page.reload();
    await page.getByTestId("overview-calm").waitFor();
    expect(await page.locator("[data-testid^=attention-]").count()).toBe(0);
    const inOrder = page.getByRole("region", { name: "In order" });
    expect(await inOrder.getByText("No crisis is open").count()).toBe(1);
    expect(await inOrder.getByText("No open listening alert").count()).toBe(1);
    // A workspace that listens to nothing has no source "in order" (adding one is a setup step for managers).
    expect(await inOrder.getByText("Every listening source is reading").count()).toBe(0);
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/home-calm-en.png`, fullPage: true });
  });
});
