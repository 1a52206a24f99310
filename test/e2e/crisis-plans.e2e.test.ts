import AxeBuilder from "@axe-core/playwright";
import { describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";

/**
 * Crisis plans in a browser, on the demo workspace: the plans list shows each scenario's plan with its readiness;
 * the owner changes the viral complaint's English holding statement (its approval goes), saves a new version,
 * approves the statement again; an admin-level change on the severities page. Then the pages in Persian.
 */
describe.skipIf(!canRunBrowser)("crisis plans in a browser", () => {
  const b = useBrowser("crisis-plans");
  const shots = b.shots;

  it("lists the plans with readiness, edits and re-approves a holding statement, changes a severity level", { timeout: 120_000 }, async () => {
    const page = await b.signedIn({ next: "/crisis/plans" });
    await page.getByRole("heading", { name: "Crisis plans", level: 1 }).waitFor();
    const rows = page.getByTestId("plan-row");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(8);
    const complaint = rows.filter({ hasText: "Viral customer complaint" });
    // Every role held with a backup, all three statements approved; drilled 12 days ago (the demo's finished drill).
    expect(await complaint.getByText("5 / 5").count()).toBe(2);
    await complaint.getByText("3 / 3").waitFor();
    await complaint.getByText(/^Drilled \u2068?12\u2069? days ago$/).waitFor();
    // The other plans were never drilled.
    expect(await rows.getByText("Never drilled").count()).toBe(7);
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/crisis-plans-en.png`, fullPage: true });

    await complaint.getByRole("link", { name: "Viral customer complaint" }).click();
    await page.getByRole("heading", { name: "Viral customer complaint", level: 1 }).waitFor();
    expect(await page.getByTestId("plan-role").count()).toBe(5);
    expect(await page.getByTestId("plan-step").count()).toBe(12);
    // The English statement comes first, then German and Persian.
    const english = page.getByTestId("plan-statement").first();
    expect(await english.getByRole("textbox", { name: "Title" }).inputValue()).toBe("We've seen the post and we're on it");
    await english.getByText(/Approved by \u2068?Olivia Brandt/).waitFor();
    const body = english.getByRole("textbox", { name: "Text" });
    await body.fill(`${await body.inputValue()} Thank you for your patience.`);
    await english.getByText("Not approved").waitFor();
    await page.getByLabel("What changed (optional)").fill("Thanked people for their patience");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.getByText("Plan saved").waitFor();
    await page.getByText(/Version \u2068?3\u2069? ·/).first().waitFor();
    const afterSave = page.getByTestId("plan-statement").first();
    await afterSave.getByText("Not approved").waitFor();
    await afterSave.getByRole("button", { name: "Approve" }).click();
    await afterSave.getByText(/Approved by \u2068?Olivia Brandt/).waitFor();
    await page.getByText("Thanked people for their patience").waitFor();
    if (shots) await page.screenshot({ path: `${shots}/crisis-plan-editor-en.png`, fullPage: true });

    await page.goto(`${b.server.url}/crisis/severities`);
    await page.getByRole("heading", { name: "Severity levels", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Edit: SEV2 Major" }).click();
    const dialog = page.getByRole("dialog", { name: /Change \u2068?SEV2 Major/ });
    await dialog.getByLabel("Internal update every (minutes)").fill("45");
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("severity-row").filter({ hasText: "SEV2 Major" }).getByText(/Every \u2068?45\u2069? minutes/).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/crisis-severities-en.png`, fullPage: true });

    await b.setLanguage(page, "fa");
    await page.goto(`${b.server.url}/crisis/plans`);
    await page.getByRole("heading", { name: "طرح‌های بحران", level: 1 }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    if (shots) await page.screenshot({ path: `${shots}/crisis-plans-fa.png`, fullPage: true });
    await page.getByTestId("plan-row").filter({ hasText: "Defective product or recall" }).getByRole("link").click();
    await page.getByText("لطفاً فعلاً از [محصول] استفاده نکنید", { exact: false }).first().waitFor({ state: "attached" });
    if (shots) await page.screenshot({ path: `${shots}/crisis-plan-editor-fa.png`, fullPage: true });
    await page.goto(`${b.server.url}/crisis/severities`);
    await page.getByRole("heading", { name: "سطح‌های شدت", level: 1 }).waitFor();
    // Levels nobody renamed read in the reader's language; their edited settings are kept.
    await page.getByTestId("severity-row").filter({ hasText: "SEV3 متوسط" }).getByText("رو به افزایش اما مهارشده", { exact: false }).waitFor();
    await page.getByTestId("severity-row").filter({ hasText: "SEV2 جدی" }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/crisis-severities-fa.png`, fullPage: true });
  });
});
