import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { totpCode } from "../../src/server/domains/identity/index";
import { startTestServer } from "../support/server";
import { createTestNetwork } from "../support/test-connector";

const CHROMIUM = "/usr/bin/chromium";
const canRun = existsSync(CHROMIUM) || process.env.CI === "true";

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** Fails on serious and critical accessibility problems only (the scan's own "must fix" level). */
async function expectNoSeriousAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`),
    }));
  expect(serious).toEqual([]);
}

describe.skipIf(!canRun)("the web app in a browser", () => {
  let server: Server;
  let browser: Browser;
  /** The owner's authenticator secret and unused recovery codes, once they have turned MFA on. */
  const owner: { mfaSecret?: string; recoveryCodes: string[] } = { recoveryCodes: [] };

  beforeAll(async () => {
    // The server serves dist/web; build it when a source changed (a no-op when up to date).
    execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/build-web-if-stale.mjs", import.meta.url))], { stdio: "inherit" });
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPage(options: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: options.locale ?? "en-US", timezoneId: "Europe/Amsterdam", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // A failing test leaves a screenshot of what the browser showed (test-results/ is not committed).
    onTestFailed(async ({ task }) => {
      if (page.isClosed()) return;
      const name = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 80);
      await page.screenshot({ path: `test-results/e2e/${name}-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    });
    return { context, page };
  }

  /** Signs in as the demo owner through the sign-in page, passing the MFA step with a recovery code once MFA is on. */
  async function signInAsOwner(page: Page, next = "/") {
    await page.goto(`${server.url}/sign-in${next === "/" ? "" : `?next=${encodeURIComponent(next)}`}`);
    await page.getByLabel("Email").fill(server.demo.email);
    await page.getByLabel(/^Password/).fill(server.demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    if (owner.mfaSecret) {
      await page.getByRole("button", { name: "Use a recovery code" }).click();
      await page.getByLabel("Recovery code").fill(owner.recoveryCodes.shift()!);
      await page.getByRole("button", { name: "Verify" }).click();
    }
    await page.waitForURL((url) => url.pathname === next);
  }

  it("shows a sign-in page without serious accessibility problems", async () => {
    const { context, page } = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/sign-in/);
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    expect(await page.title()).toBe("Sign in · Parapet");
    await expectNoSeriousAccessibilityViolations(page);
    await context.close();
  });

  it("lets the owner turn on two-factor authentication, sign out, and sign in again with a code", async () => {
    const { context, page } = await newPage();
    await signInAsOwner(page);
    await page.getByRole("heading", { level: 1, name: "Risk overview" }).waitFor();

    await page.getByRole("link", { name: "Set up two-factor authentication", exact: true }).click();
    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    await page.getByRole("button", { name: "Start set-up" }).click();
    await page.getByRole("img", { name: /QR code/ }).waitFor();
    const secret = (await page.getByRole("textbox", { name: "Setup key" }).inputValue()).replace(/\s/g, "");
    await page.getByLabel("6-digit code from the app").fill(totpCode(secret, new Date()));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();

    // The codes appear once the server has accepted the code: wait for them rather than read an empty list.
    await page.getByTestId("recovery-codes").locator("li").first().waitFor();
    const codes = await page.getByTestId("recovery-codes").locator("li").allTextContents();
    expect(codes).toHaveLength(10);
    const continueButton = page.getByRole("button", { name: "Continue" });
    expect(await continueButton.isDisabled()).toBe(true);
    await page.getByLabel("I have saved these codes somewhere safe").check();
    await continueButton.click();
    await page.getByText("Turn off", { exact: true }).waitFor();
    owner.mfaSecret = secret;
    owner.recoveryCodes = codes;

    await page.getByRole("button", { name: /Account menu of/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);

    await page.getByLabel("Email").fill(server.demo.email);
    await page.getByLabel(/^Password/).fill(server.demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/mfa/);
    // The code of the next 30-second step: the current one was just used to confirm, and codes are single-use.
    await page.getByLabel("Authentication code").fill(totpCode(secret, new Date(Date.now() + 30_000)));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("heading", { level: 1, name: "Risk overview" }).waitFor();
    await context.close();
  });

  it("lets the owner invite a colleague who accepts in another browser, change their role, and see it all in the audit log", async () => {
    const { context, page } = await newPage();
    await signInAsOwner(page, "/settings/members");
    await page.getByRole("heading", { level: 1, name: "Members" }).waitFor();
    await expectNoSeriousAccessibilityViolations(page);

    const email = `new.colleague.${Date.now()}@example.test`;
    await page.getByRole("region", { name: "Invite someone" }).getByLabel(/^Email/).fill(email);
    await page.getByRole("button", { name: "Send invitation" }).click();
    const link = await page.getByRole("textbox", { name: "Invitation link" }).inputValue();
    const invitation = new URL(link);

    const colleague = await newPage();
    await colleague.page.goto(`${server.url}${invitation.pathname}${invitation.search}`);
    await colleague.page.getByRole("heading", { level: 1, name: "Join a workspace" }).waitFor();
    await colleague.page.getByLabel("Name").fill("Noor Visser");
    await colleague.page.getByLabel("Choose a password").fill("a long enough password");
    await colleague.page.getByLabel("Repeat the new password").fill("a long enough password");
    await colleague.page.getByRole("button", { name: /^Join / }).click();
    await colleague.page.getByRole("heading", { level: 1, name: "Risk overview" }).waitFor();
    await colleague.context.close();

    await page.reload();
    const roleSelect = page.getByRole("combobox", { name: /Role of\W+Noor Visser/ });
    await roleSelect.waitFor();
    expect(await roleSelect.inputValue()).toBe("Member");
    await roleSelect.click();
    await page.getByRole("option", { name: "Manager" }).click();
    await page.getByText(/Noor Visser\W+is now\W+Manager/).waitFor();

    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    for (const action of ["invitation.created", "invitation.accepted", "member.role_changed"]) {
      await page.locator(`tr[data-action="${action}"]`).first().waitFor();
    }
    const roleChange = page.locator('tr[data-action="member.role_changed"]').first();
    expect(await roleChange.textContent()).toContain("Changed a member's role");
    await roleChange.getByRole("button", { name: /Show details/ }).click();
    const details = page.getByRole("table").filter({ hasText: "Before" }).last();
    expect(await details.textContent()).toMatch(/Member.*Manager/);

    // The action filter lives in the URL, so a filtered view can be shared.
    await page.goto(`${server.url}/settings/audit?action=invitation.accepted`);
    await page.locator('tr[data-action="invitation.accepted"]').first().waitFor();
    expect(await page.locator("tbody tr[data-action]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")))).toEqual(["invitation.accepted"]);
    // A date field is drawn by the browser in its own format; under it the chosen day is read back in Parapet's language.
    await page.getByLabel("From", { exact: true }).fill("2026-11-03");
    await page.getByTestId("date-read-back").getByText("Nov 3, 2026", { exact: true }).waitFor();
    if (process.env.PARAPET_SCREENSHOTS) await page.screenshot({ path: `${process.env.PARAPET_SCREENSHOTS}/audit-date-en.png` });
    await context.close();
  });

  it("turns the interface right-to-left when the person switches to Persian", async () => {
    const { context, page } = await newPage();
    await signInAsOwner(page);
    await page.getByRole("heading", { level: 1, name: "Risk overview" }).waitFor();

    await page.getByRole("button", { name: /Account menu of/ }).click();
    await page.getByRole("menuitem", { name: "فارسی" }).click();
    await page.getByRole("heading", { level: 1, name: "نمای کلی ریسک" }).waitFor();
    expect(await page.evaluate(() => document.dir)).toBe("rtl");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fa");

    // The choice is saved in the profile: it survives a reload.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "نمای کلی ریسک" }).waitFor();
    expect(await page.evaluate(() => document.dir)).toBe("rtl");

    // A date field in an English browser writes "11/03/2026"; the day is read back in Persian, in its calendar.
    await page.goto(`${server.url}/settings/audit?from=2026-11-03`);
    expect(await page.getByLabel("از تاریخ", { exact: true }).inputValue()).toBe("2026-11-03");
    await page.getByTestId("date-read-back").getByText("۱۲ آبان ۱۴۰۵", { exact: true }).waitFor();
    if (process.env.PARAPET_SCREENSHOTS) await page.screenshot({ path: `${process.env.PARAPET_SCREENSHOTS}/audit-date-fa.png` });
    // Parapet's own work is named in the reader's language, above the label the log recorded (what "Who" searches).
    await page.goto(`${server.url}/settings/audit?actor=demo`);
    const seeded = page.locator("tbody tr[data-action]").first();
    await seeded.getByText("داده‌های نمایشی", { exact: true }).waitFor();
    expect(await seeded.getByText("demo", { exact: true }).count()).toBe(1);
    await page.getByText(/^طرح بحران · [0-9a-f]{8}$/).first().waitFor(); // what it acted on, by its kind in Persian
    if (process.env.PARAPET_SCREENSHOTS) await page.screenshot({ path: `${process.env.PARAPET_SCREENSHOTS}/audit-system-actor-fa.png` });
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { level: 1, name: "نمای کلی ریسک" }).waitFor();

    // Back to English, for whoever signs in next.
    await page.getByRole("button", { name: /منوی حساب/ }).click();
    await page.getByRole("menuitem", { name: "English" }).click();
    await page.getByRole("heading", { level: 1, name: "Risk overview" }).waitFor();
    expect(await page.evaluate(() => document.dir)).toBe("ltr");
    await context.close();
  });

  it("lets the owner connect a channel, check it and disconnect it", async () => {
    // The test peer stands in for a social network; the channels page lists whatever the server has registered.
    const network = createTestNetwork({ network: "testnet", clock: server.services.clock });
    network.addAccount("emberoak", "app-password-e2e", { displayName: "Ember & Oak on Testnet" });
    server.services.networks.register(network);
    const { context, page } = await newPage();
    await signInAsOwner(page, "/settings/channels");
    await page.getByRole("heading", { level: 1, name: "Channels" }).waitFor();
    // The demo workspace comes with its Sandbox accounts connected.
    await page.getByRole("row").filter({ hasText: "Ember & Oak Support" }).getByText("Working").waitFor();

    await page.getByRole("button", { name: "Connect a channel" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Connect a channel" });
    await dialog.locator("input[aria-haspopup=listbox]").click();
    await page.getByRole("option", { name: "Test network (testnet)" }).click();
    await dialog.getByLabel(/^Handle or email/).fill("emberoak");
    await dialog.getByLabel(/^App password/).fill("wrong-password");
    await dialog.getByRole("button", { name: "Connect a channel" }).click();
    await dialog.getByRole("alert").filter({ hasText: "The network did not accept the sign-in" }).waitFor();
    await dialog.getByLabel(/^App password/).fill("app-password-e2e");
    await dialog.getByRole("button", { name: "Connect a channel" }).click();
    await page.getByText(/@.?emberoak.? is connected/).waitFor();
    const row = page.getByRole("row").filter({ hasText: "Ember & Oak on Testnet" });
    await row.getByText("Working").waitFor();
    await expectNoSeriousAccessibilityViolations(page);

    await row.getByRole("button", { name: /^Check @.?emberoak.? now$/ }).click();
    await page.getByText(/@.?emberoak.? works/).waitFor();

    await row.getByRole("button", { name: /^Disconnect @.?emberoak/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
    await page.getByText(/@.?emberoak.? is disconnected and its access revoked at the network/).waitFor();
    await row.waitFor({ state: "detached" });
    expect(network.liveTokensOf("emberoak")).toEqual([]);
    await context.close();
  });
});
