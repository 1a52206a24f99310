import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startOidcTestProvider, type OidcTestProvider } from "../support/oidc-provider";
import { startTestServer } from "../support/server";

const CHROMIUM = "/usr/bin/chromium";
const canRun = existsSync(CHROMIUM) || process.env.CI === "true";

/** Single sign-on in a browser: an owner sets up the provider; a new colleague signs in through the provider's page. */
describe.skipIf(!canRun)("single sign-on in a browser", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let idp: OidcTestProvider;
  let browser: Browser;
  const shots = process.env.PARAPET_SCREENSHOTS;

  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/build-web-if-stale.mjs", import.meta.url))], { stdio: "inherit" });
    server = await startTestServer();
    idp = await startOidcTestProvider({ redirectUri: `${server.services.config.publicUrl}/api/v1/auth/sso/callback` });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    if (shots) mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await server?.stop();
  });

  async function newPage(locale = "en-US"): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    onTestFailed(async () => {
      if (!page.isClosed()) await page.screenshot({ path: `test-results/e2e/sso-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    });
    return page;
  }
  const domain = () => server.demo.email.split("@")[1];

  it("an owner sets up single sign-on under Settings → Security", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("/settings/security")}`);
    await page.getByLabel("Email").fill(server.demo.email);
    await page.getByLabel(/^Password/).fill(server.demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/settings/security");

    const section = page.getByRole("region", { name: "Single sign-on" });
    await expect.poll(() => section.getByLabel("Redirect URI", { exact: true }).inputValue()).toBe(`${server.services.config.publicUrl}/api/v1/auth/sso/callback`);
    await section.getByLabel(/^Issuer URL/).fill(idp.issuer);
    await section.getByLabel(/^Client ID/).fill(idp.clientId);
    await section.getByLabel(/^Client secret/).fill(idp.clientSecret);
    const domains = section.getByLabel(/^Allowed email domains/);
    await domains.fill(domain());
    await domains.press("Enter");
    await section.getByLabel(/^Claim that names teams/).fill("groups");
    await section.getByRole("button", { name: "Set up single sign-on" }).click();
    await page.getByText("Single sign-on saved").waitFor();
    await expect.poll(() => section.getByLabel(/^Client secret/).inputValue()).toBe("");
    await section.getByText("A secret is stored. Leave this empty to keep it.").waitFor();
    const violations = (await new AxeBuilder({ page }).include("section[aria-labelledby=sso-heading]").analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => v.id)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/sso-settings-en.png`, fullPage: true });

    // The same section in Persian (the owner's own language setting), right to left.
    const setLocale = (locale: string) =>
      page.evaluate(async (locale) => {
        const csrf = document.cookie.match(/parapet_csrf=([^;]+)/)?.[1] ?? "";
        return (await fetch("/api/v1/me", { method: "PATCH", headers: { "content-type": "application/json", "x-csrf-token": csrf }, body: JSON.stringify({ locale }) })).status;
      }, locale);
    expect(await setLocale("fa")).toBe(200);
    try {
      await page.reload();
      await page.getByRole("region", { name: "ورود یکپارچه" }).waitFor();
      expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
      if (shots) await page.screenshot({ path: `${shots}/sso-settings-fa.png`, fullPage: true });
    } finally {
      expect(await setLocale("en")).toBe(200);
    }
  });

  it("a new colleague signs in through the provider's own sign-in page and lands in the workspace with the mapped team", async () => {
    idp.addAccount("noor", { email: `noor@${domain()}`, email_verified: true, name: "Noor Haddad", groups: ["Social media"] });
    const page = await newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole("button", { name: "Sign in with SSO" }).click();
    await page.getByText("Enter your work email to sign in with SSO").waitFor();
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => v.id)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/sso-sign-in-en.png`, fullPage: true });
    await page.getByLabel("Email").fill(`noor@${domain()}`);
    await page.getByRole("button", { name: "Sign in with SSO" }).click();

    // The provider's page (oidc-provider's development sign-in form), on its own port.
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator("input[name=login]").fill("noor");
    await page.locator("input[name=password]").fill("whatever the provider checks");
    await page.getByRole("button", { name: "Sign-in" }).click();

    await page.waitForURL((url) => url.origin === server.url && url.pathname === "/");
    const me = await page.evaluate(() => fetch("/api/v1/me").then((r) => r.json()));
    expect(me).toMatchObject({ state: "active", role: "member", user: { name: "Noor Haddad", email: `noor@${domain()}` } });
    const teams = await page.evaluate(() => fetch("/api/v1/workspace/teams").then((r) => r.json()));
    const social = (teams.teams as Array<{ name: string; memberIds: string[] }>).find((t) => t.name === "Social media")!;
    expect(social.memberIds).toContain(me.user.id);
  });

  it("shows why SSO did not finish, in the person's language (Persian, right to left)", async () => {
    const page = await newPage("fa-IR");
    idp.addAccount("stranger", { email: "stranger@elsewhere.test", email_verified: true });
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(/^ایمیل/).fill(`stranger@${domain()}`);
    await page.getByRole("button", { name: "ورود با SSO" }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator("input[name=login]").fill("stranger");
    await page.locator("input[name=password]").fill("x");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.waitForURL((url) => url.origin === server.url && url.pathname === "/sign-in");
    await page.getByRole("alert").getByText("ایمیل حساب شما نزد ارائه‌دهندهٔ هویت تأیید نشده است", { exact: false }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    if (shots) await page.screenshot({ path: `${shots}/sso-sign-in-error-fa.png`, fullPage: true });
  });
});
