import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";

/** The access review in a browser: the demo's owner reads it, filters it, downloads the CSV and signs it off. */
describe.skipIf(!canRunBrowser)("access review in a browser", () => {
  const t = useBrowser("access-review");
  const signedIn = (next: string, viewport?: { width: number; height: number }) => t.signedIn({ next, viewport, acceptDownloads: true });
  const rows = (page: Page) => page.getByTestId("review-person");

  it("shows who can do what through which grant, filters, downloads the CSV and signs the review off", async () => {
    const page = await signedIn("/");
    await page.getByRole("link", { name: "Access review" }).click();
    await page.getByRole("heading", { name: "Access review", level: 1 }).waitFor();
    await rows(page).first().waitFor();
    await page.mouse.move(1300, 10); // off the navigation link just clicked (its hover colour is the layout's, checked elsewhere)
    const everyone = await rows(page).count();
    expect(everyone).toBeGreaterThan(5);
    // Jan drafts for approval through the Social media team; the owner publishes by role. (Names inside sentences
    // come wrapped in direction isolates, hence \W+.)
    await rows(page).filter({ hasText: "Jan de Vries" }).getByText(/^through\W+team\W+Social media\W*$/).first().waitFor();
    await rows(page).filter({ hasText: "Olivia" }).getByText(/^through\W+the\W+Owner\W+role\W*$/).first().waitFor();
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => [v.id, v.nodes.map((n) => n.html.slice(0, 160))])).toEqual([]);

    await page.getByRole("checkbox", { name: "Partners" }).check();
    await expect.poll(() => rows(page).count()).toBe(1);
    await rows(page).getByText(/^Partner: \W*Brightside Agency\W*$/).waitFor();
    expect(new URL(page.url()).searchParams.get("partners")).toBe("1");
    await page.getByRole("checkbox", { name: "Partners" }).uncheck();
    await page.getByRole("textbox", { name: /Search name/ }).fill("de vries");
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.getByRole("textbox", { name: /Search name/ }).fill("");
    await page.getByRole("checkbox", { name: "Without MFA" }).check();
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    await page.getByRole("checkbox", { name: "Without MFA" }).uncheck();
    await expect.poll(() => rows(page).count()).toBe(everyone);
    // The summary's counts are filters too.
    const partnersCount = page.getByRole("button", { name: /^1\s*Partners$/ });
    await partnersCount.click();
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await partnersCount.getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByRole("checkbox", { name: "Partners" }).isChecked()).toBe(true);
    await partnersCount.click();
    await expect.poll(() => rows(page).count()).toBe(everyone);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^parapet-access-review-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toMatch(/^name,email,role,partner_organization,/);
    expect(csv).toMatch(/\nJan de Vries,[^\n]*,emberoak,[^\n]*,approval_required,"team ""Social media"""/);

    await page.getByText(/Not signed off for \W*\d{4}-Q\d\W* yet/).waitFor();
    await page.getByRole("textbox", { name: "Note" }).fill("Checked with Amir; Marco's end date is right.");
    await page.getByRole("button", { name: "Sign off" }).click();
    await page.getByText("Review signed off").waitFor();
    await page.getByText(/Signed off for \W*\d{4}-Q\d/).waitFor();
    await page.getByTestId("sign-off").filter({ hasText: "Checked with Amir; Marco's end date is right." }).waitFor();
    if (t.shots) await page.screenshot({ path: `${t.shots}/access-review-en.png`, fullPage: true });
  }, 90_000);

  it("reads right to left in Persian and fits a narrow screen", async () => {
    const page = await signedIn("/settings/access-review", { width: 390, height: 844 });
    await t.setLanguage(page, "fa");
    try {
      await page.reload();
      await page.getByRole("heading", { name: "بازبینی دسترسی‌ها", level: 1 }).waitFor();
      expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
      await page.getByText(/^همکار بیرونی: \W*Brightside Agency\W*$/).waitFor();
      // On a phone each person is a card: the page does not scroll sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1)).toBe(true);
      await page.getByTestId("review-person").filter({ hasText: "Jan de Vries" }).getByText(/^از راه\W+تیم\W+Social media\W*$/).first().waitFor();
      if (t.shots) await page.screenshot({ path: `${t.shots}/access-review-fa-narrow.png`, fullPage: true });
      await page.setViewportSize({ width: 1400, height: 1000 });
      if (t.shots) await page.screenshot({ path: `${t.shots}/access-review-fa.png`, fullPage: true });
    } finally {
      await t.setLanguage(page, "en");
    }
  }, 60_000);
});
