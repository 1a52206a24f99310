import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startTestServer } from "../support/server";

const CHROMIUM = "/usr/bin/chromium";
const canRun = existsSync(CHROMIUM) || process.env.CI === "true";
/** Set to a folder to keep screenshots of the passkey pages in English and Persian (for looking at them). */
const SCREENSHOTS = process.env.PARAPET_SCREENSHOTS;

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A free loopback port, so the server's public URL can name it before it starts (the RP id must be its host). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Passkeys in a real Chromium with a virtual authenticator (the DevTools protocol's WebAuthn domain): a platform
 * authenticator that keeps discoverable credentials and verifies its user, so the browser's own WebAuthn code
 * produces the answers the server verifies. The server's public URL is http://localhost:<port>: WebAuthn needs a
 * secure context (localhost is one) and an RP id that is a host name, not an IP address.
 */
describe.skipIf(!canRun)("passkeys in a browser", () => {
  let server: Server;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/build-web-if-stale.mjs", import.meta.url))], { stdio: "inherit" });
    const port = await freePort();
    server = await startTestServer({ PORT: String(port), PARAPET_PUBLIC_URL: `http://localhost:${port}` });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    context = await browser.newContext({ locale: "en-US", timezoneId: "Europe/Amsterdam", viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    ({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    }));
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shot = async (name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  };
  const failureShot = () =>
    onTestFailed(async ({ task }) => {
      const name = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 80);
      await page.screenshot({ path: `test-results/e2e/${name}-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    });
  const signOut = async (menu: RegExp = /Account menu of/, label = "Sign out") => {
    await page.getByRole("button", { name: menu }).click();
    await page.getByRole("menuitem", { name: label }).click();
    await page.waitForURL(/\/sign-in/);
  };

  it("registers a passkey on the Security page", async () => {
    failureShot();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Email").fill(server.demo.email);
    await page.getByLabel(/^Password/).fill(server.demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Risk overview" }).waitFor();

    await page.goto(`${server.url}/account/security`);
    await page.getByRole("heading", { level: 2, name: "Passkeys" }).waitFor();
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByLabel(/^Name/).fill("Test laptop");
    await page.getByRole("button", { name: "Create passkey" }).click();

    await page.getByRole("cell", { name: /^Test laptop/ }).waitFor();
    await page.getByText("Not used yet").waitFor();
    // The first passkey of someone without an authenticator app comes with recovery codes, shown once.
    expect(await page.getByTestId("recovery-codes").locator("li").count()).toBe(10);
    await shot("security-codes-en");
    await page.getByLabel("I have saved these codes somewhere safe").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Add a passkey" }).waitFor();
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: "localhost" });
    await shot("security-en");
    const scan = await new AxeBuilder({ page }).analyze();
    expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  });

  it("signs out and signs in with the passkey alone", async () => {
    failureShot();
    await signOut();
    await shot("sign-in-en");

    await page.getByRole("button", { name: "Sign in with a passkey" }).click();

    await page.getByRole("heading", { level: 1, name: "Risk overview" }).waitFor();
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials[0].signCount).toBeGreaterThan(0);
    await page.goto(`${server.url}/account/security`);
    await page.getByRole("cell", { name: /^Test laptop/ }).waitFor();
    expect(await page.getByText("Not used yet").count()).toBe(0);
  });

  it("uses the passkey as the second factor after the password", async () => {
    failureShot();
    await signOut();
    await page.getByLabel("Email").fill(server.demo.email);
    await page.getByLabel(/^Password/).fill(server.demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/mfa/);
    // A passkey, or one of its recovery codes: no authenticator app code is asked for.
    await page.getByLabel("Recovery code").waitFor();
    expect(await page.getByRole("button", { name: "Use the authenticator app" }).count()).toBe(0);
    await shot("mfa-en");

    await page.getByRole("button", { name: "Use a passkey" }).click();

    await page.getByRole("heading", { level: 1, name: "Risk overview" }).waitFor();
  });

  it("shows the passkey pages right-to-left in Persian", async () => {
    failureShot();
    await page.getByRole("button", { name: /Account menu of/ }).click();
    await page.getByRole("menuitem", { name: "فارسی" }).click();
    await page.goto(`${server.url}/account/security`);
    await page.getByRole("heading", { level: 2, name: "کلیدهای عبور" }).waitFor();
    expect(await page.evaluate(() => document.dir)).toBe("rtl");
    await shot("security-fa");

    await signOut(/منوی حساب/, "خروج");
    await page.getByRole("button", { name: "ورود با کلید عبور" }).waitFor();
    await shot("sign-in-fa");
    await page.locator('input[type="email"]').fill(server.demo.email);
    await page.locator('input[type="password"]').fill(server.demo.password);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/mfa/);
    await page.getByRole("button", { name: "استفاده از کلید عبور" }).waitFor();
    await shot("mfa-fa");
    await page.getByRole("button", { name: "استفاده از کلید عبور" }).click();
    await page.getByRole("heading", { level: 1, name: "نمای کلی ریسک" }).waitFor();

    // Back to English for whoever signs in next.
    await page.getByRole("button", { name: /منوی حساب/ }).click();
    await page.getByRole("menuitem", { name: "English" }).click();
    await page.getByRole("heading", { level: 1, name: "Risk overview" }).waitFor();
  });

  it("removes the passkey only once confirmed (a wrong password is refused, a passkey does), and it no longer signs in", async () => {
    failureShot();
    await page.goto(`${server.url}/account/security`);
    await page.getByRole("button", { name: /Remove the passkey .Test laptop/ }).click();
    const dialog = page.getByRole("dialog", { name: /Remove the passkey .Test laptop/ });
    await dialog.getByLabel(/^Password/).fill("not-the-password");
    await dialog.getByRole("button", { name: "Remove passkey" }).click();
    await dialog.getByText("Your current password is wrong").waitFor();
    await shot("remove-en");
    // Another factor will do instead of the password: the passkey itself, with user verification.
    await dialog.getByRole("button", { name: "Confirm with a passkey" }).click();

    await page.getByText("No passkeys yet.", { exact: false }).waitFor();
    await signOut();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByRole("alert").getByText("That passkey was not accepted.", { exact: false }).waitFor();
    expect(page.url()).toContain("/sign-in");
  });
});
