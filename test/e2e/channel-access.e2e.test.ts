import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startTestServer } from "../support/server";

const CHROMIUM = "/usr/bin/chromium";
const canRun = existsSync(CHROMIUM) || process.env.CI === "true";

/** The people × channels matrix in a browser: an admin gives the intern access, and the intern then sees the channel. */
describe.skipIf(!canRun)("channel access in a browser", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const shots = process.env.PARAPET_SCREENSHOTS;

  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/build-web-if-stale.mjs", import.meta.url))], { stdio: "inherit" });
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    if (shots) mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(email: string, next: string, locale = "en-US"): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    onTestFailed(async () => {
      if (!page.isClosed()) await page.screenshot({ path: `test-results/e2e/channel-access-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    });
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel(/^(Email|ایمیل)/).fill(email);
    await page.getByLabel(/^(Password|رمز عبور)/).fill(server.demo.password);
    await page.getByRole("button", { name: /^(Sign in|ورود)$/ }).click();
    await page.waitForURL((url) => url.pathname === next);
    return page;
  }
  const jan = () => server.demo.email.replace(/^[^@]+/, "jan");

  it("shows who may do what, and an admin's change takes effect for that person", async () => {
    const intern = await signedIn(jan(), "/settings/channels");
    await intern.getByRole("row", { name: /@emberoak · Sandbox/ }).waitFor();
    expect(await intern.getByText("@emberoak_support").count()).toBe(0);

    const page = await signedIn(server.demo.email, "/settings/channel-access");
    const cell = page.getByRole("combobox", { name: /Level of \W*Jan de Vries\W* on @\W*emberoak_support/ });
    expect(await cell.inputValue()).toBe("none");
    // Through the Social media team, Jan drafts for approval on the main account.
    expect(await page.getByRole("row", { name: /Jan de Vries/ }).getByText(/Approval required\W+through\W+Social media/).count()).toBe(2);
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => v.id)).toEqual([]);

    await cell.selectOption("reply");
    await page.getByRole("button", { name: "Save 1 change" }).click();
    await page.getByText("1 level changed.").waitFor();
    if (shots) await page.screenshot({ path: `${shots}/channel-access-en.png`, fullPage: true });

    await intern.reload();
    await intern.getByRole("row", { name: /@emberoak_support · Sandbox/ }).waitFor();
  });

  it("reads right to left in Persian", async () => {
    const page = await signedIn(server.demo.email, "/settings/channel-access");
    // The account's language wins over the browser's: switch it to Persian for this check, and back afterwards.
    const setLanguage = (locale: string) =>
      page.evaluate(async (value) => {
        const csrf = document.cookie.match(/parapet_csrf=([^;]+)/)?.[1] ?? "";
        const res = await fetch("/api/v1/me", { method: "PATCH", headers: { "content-type": "application/json", "x-csrf-token": csrf }, body: JSON.stringify({ locale: value }) });
        if (!res.ok) throw new Error(`could not change the language: ${res.status}`);
      }, locale);
    await setLanguage("fa");
    await page.reload();
    await page.getByRole("heading", { name: /دسترسی به کانال/, level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    if (shots) await page.screenshot({ path: `${shots}/channel-access-fa.png`, fullPage: true });
    await setLanguage("en");
  });
});
