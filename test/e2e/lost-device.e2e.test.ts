import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startTestServer } from "../support/server";

const CHROMIUM = "/usr/bin/chromium";
const canRun = existsSync(CHROMIUM) || process.env.CI === "true";
const PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 19_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.0 Mobile/15E148 Safari/604.1";
const LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

/** An admin secures a member's lost phone: its session ends, the laptop's stays but must set up a new second factor. */
describe.skipIf(!canRun)("lost device in a browser", () => {
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

  async function signedIn(email: string, next: string, userAgent?: string): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 }, ...(userAgent ? { userAgent } : {}) });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    onTestFailed(async () => {
      if (!page.isClosed()) await page.screenshot({ path: `test-results/e2e/lost-device-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    });
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel(/^(Email|ایمیل)/).fill(email);
    await page.getByLabel(/^(Password|رمز عبور)/).fill(server.demo.password);
    await page.getByRole("button", { name: /^(Sign in|ورود)$/ }).click();
    await page.waitForURL((url) => url.pathname === next);
    return { page, context };
  }
  const setLanguage = (page: Page, locale: string) =>
    page.evaluate(async (value) => {
      const csrf = document.cookie.match(/parapet_csrf=([^;]+)/)?.[1] ?? "";
      const res = await fetch("/api/v1/me", { method: "PATCH", headers: { "content-type": "application/json", "x-csrf-token": csrf }, body: JSON.stringify({ locale: value }) });
      if (!res.ok) throw new Error(`could not change the language: ${res.status}`);
    }, locale);
  const jan = () => server.demo.email.replace(/^[^@]+/, "jan");

  it("ends the phone's session, keeps the laptop's, and sends the laptop to set up a new second factor", async () => {
    const phone = await signedIn(jan(), "/", PHONE);
    const laptop = await signedIn(jan(), "/", LAPTOP);

    const admin = await signedIn(server.demo.email, "/settings/members");
    await admin.page.getByRole("button", { name: /Secure a lost device of \W*Jan de Vries/ }).click();
    const dialog = admin.page.getByRole("dialog");
    await dialog.getByText(/Lost device: \W*Jan de Vries/).waitFor();
    await dialog.getByRole("checkbox", { name: /Safari\W+on\W+iOS/ }).check();
    expect(await dialog.getByRole("checkbox", { name: /Firefox\W+on\W+Linux/ }).isChecked()).toBe(false);
    expect(await dialog.getByRole("checkbox", { name: "Require a new second factor" }).isChecked()).toBe(true);
    if (shots) await admin.page.screenshot({ path: `${shots}/lost-device-en.png` });
    await dialog.getByRole("button", { name: "Secure now" }).click();
    await admin.page.getByText(/1\W* session of \W*Jan de Vries\W* ended\. Second factors removed/).waitFor();

    await phone.page.reload();
    await phone.page.waitForURL((url) => url.pathname === "/sign-in");
    await laptop.page.reload();
    await laptop.page.waitForURL((url) => url.pathname === "/mfa/setup");
    await laptop.page.getByText(/An administrator removed your second factors because a device of yours was lost/).waitFor();
    if (shots) await laptop.page.screenshot({ path: `${shots}/lost-device-reenrol-en.png` });

    // The admin's view in Persian reads right to left.
    await setLanguage(admin.page, "fa");
    await admin.page.reload();
    await admin.page.getByRole("button", { name: /ایمن کردن دستگاه گمشدهٔ/ }).first().click();
    await admin.page.getByRole("dialog").getByText("نشست‌هایی که پایان می‌یابند").waitFor();
    expect(await admin.page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    if (shots) await admin.page.screenshot({ path: `${shots}/lost-device-fa.png` });
    await setLanguage(admin.page, "en");
  });
});
