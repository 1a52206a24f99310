import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startSamlTestIdp, type SamlTestIdp } from "../support/saml-idp";
import { startTestServer } from "../support/server";

const CHROMIUM = "/usr/bin/chromium";
const canRun = existsSync(CHROMIUM) || process.env.CI === "true";

/**
 * SAML single sign-on in a browser: an owner sets SAML up in the settings with the test IdP's URL, entity ID and
 * certificate; a signed-out colleague clicks "Sign in with SSO", signs in on the IdP's page, whose form posts the
 * signed response to Parapet, and arrives signed in.
 */
describe.skipIf(!canRun)("SAML single sign-on in a browser", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let idp: SamlTestIdp;
  let browser: Browser;
  const shots = process.env.PARAPET_SCREENSHOTS;

  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/build-web-if-stale.mjs", import.meta.url))], { stdio: "inherit" });
    server = await startTestServer();
    // The IdP is another site (localhost, Parapet is 127.0.0.1): its form's POST to the ACS is cross-site, as with a
    // real IdP, and carries none of Parapet's SameSite=Lax cookies — the finish step must get them back.
    idp = await startSamlTestIdp({ host: "localhost" });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--host-resolver-rules=MAP localhost 127.0.0.1"],
    });
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
      if (!page.isClosed()) await page.screenshot({ path: `test-results/e2e/saml-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    });
    return page;
  }
  const domain = () => server.demo.email.split("@")[1];
  /** The workspace's service provider addresses, as the settings showed them. */
  const sp = { entityId: "", acsUrl: "" };

  it("an owner sets up SAML under Settings → Security: gives the IdP our addresses, pastes its certificate, sees whose it is and until when", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("/settings/security")}`);
    await page.getByLabel("Email").fill(server.demo.email);
    await page.getByLabel(/^Password/).fill(server.demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/settings/security");

    const section = page.getByRole("region", { name: "Single sign-on" });
    await section.getByRole("radio", { name: "SAML 2.0" }).check();
    const entityId = await section.getByLabel("Entity ID (audience)", { exact: true }).inputValue();
    const acsUrl = await section.getByLabel("Assertion consumer service URL (reply URL)", { exact: true }).inputValue();
    expect(entityId).toMatch(new RegExp(`^${server.url}/api/v1/auth/sso/saml/[0-9a-f-]{36}/metadata$`));
    expect(acsUrl).toBe(entityId.replace(/\/metadata$/, "/acs"));
    Object.assign(sp, { entityId, acsUrl });
    expect(await section.getByRole("link", { name: "Open the metadata (XML)" }).getAttribute("href")).toBe(entityId);

    await section.getByLabel(/^Single sign-on URL/).fill(idp.ssoUrl);
    await section.getByLabel(/^Identity provider's entity ID/).fill(idp.entityId);
    await section.getByLabel(/^Signing certificate/).fill(idp.certificate);
    const domains = section.getByLabel(/^Allowed email domains/);
    await domains.fill(domain());
    await domains.press("Enter");
    await section.getByLabel(/^Attribute that names teams/).fill("groups");
    await section.getByRole("button", { name: "Set up single sign-on" }).click();
    await page.getByText("Single sign-on saved").waitFor();
    await section.getByText("Certificates in use").waitFor();
    await section.getByText("CN=Parapet test IdP", { exact: false }).waitFor();
    await section.getByText(/^Valid until /).waitFor();
    const violations = (await new AxeBuilder({ page }).include("section[aria-labelledby=sso-heading]").analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => v.id)).toEqual([]);
    if (shots) await section.screenshot({ path: `${shots}/saml-settings-en.png` });

    // After a reload the form shows SAML as saved.
    await page.reload();
    await expect.poll(() => page.getByRole("region", { name: "Single sign-on" }).getByRole("radio", { name: "SAML 2.0" }).isChecked()).toBe(true);
    expect(await page.getByRole("region", { name: "Single sign-on" }).getByLabel(/^Single sign-on URL/).inputValue()).toBe(idp.ssoUrl);

    // The same section in Persian (the owner's own language setting), right to left.
    const setLocale = (locale: string) =>
      page.evaluate(async (locale) => {
        const csrf = document.cookie.match(/parapet_csrf=([^;]+)/)?.[1] ?? "";
        return (await fetch("/api/v1/me", { method: "PATCH", headers: { "content-type": "application/json", "x-csrf-token": csrf }, body: JSON.stringify({ locale }) })).status;
      }, locale);
    expect(await setLocale("fa")).toBe(200);
    try {
      await page.reload();
      await page.getByRole("region", { name: "ورود یکپارچه" }).getByText("گواهی‌های در حال استفاده").waitFor();
      expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
      if (shots) await page.getByRole("region", { name: "ورود یکپارچه" }).screenshot({ path: `${shots}/saml-settings-fa.png` });
    } finally {
      expect(await setLocale("en")).toBe(200);
    }
  });

  it("a signed-out colleague clicks “Sign in with SSO”, signs in on the IdP's page and arrives signed in, in the mapped team", async () => {
    idp.addAccount("noor", { email: `noor@${domain()}`, name: "Noor Haddad", groups: ["Social media"] });
    const page = await newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Email").fill(`noor@${domain()}`);
    await page.getByRole("button", { name: "Sign in with SSO" }).click();

    // The IdP's own page, on its own port; its form posts the signed response to Parapet's ACS.
    await page.waitForURL((url) => url.href.startsWith(idp.ssoUrl));
    await page.getByRole("heading", { name: "Test identity provider" }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/saml-idp-page.png` });
    await page.getByLabel("Username").fill("noor");
    const acsPost = page.waitForRequest((request) => request.method() === "POST" && request.url() === sp.acsUrl);
    const finishGet = page.waitForRequest((request) => request.url().startsWith(`${server.url}/api/v1/auth/sso/saml/finish`));
    await page.getByRole("button", { name: "Sign in" }).click();
    // Cross-site, the POST carries no Parapet cookie (SameSite=Lax): the attempt's browser cookie comes back on the
    // GET of the finish step.
    expect((await (await acsPost).allHeaders()).cookie ?? "").not.toContain("parapet_sso");
    expect((await (await finishGet).allHeaders()).cookie ?? "").toContain("parapet_sso=");

    await page.waitForURL((url) => url.origin === server.url && url.pathname === "/");
    const me = await page.evaluate(() => fetch("/api/v1/me").then((r) => r.json()));
    expect(me).toMatchObject({ state: "active", role: "member", user: { name: "Noor Haddad", email: `noor@${domain()}` } });
    const teams = await page.evaluate(() => fetch("/api/v1/workspace/teams").then((r) => r.json()));
    const social = (teams.teams as Array<{ name: string; memberIds: string[] }>).find((t) => t.name === "Social media")!;
    expect(social.memberIds).toContain(me.user.id);
    if (shots) await page.screenshot({ path: `${shots}/saml-signed-in.png` });
  });

  it("says why when the IdP starts a sign-in by itself (IdP-initiated), in the person's language", async () => {
    const page = await newPage("fa-IR");
    await page.goto(`${server.url}/sign-in`);
    const unsolicited = idp.buildResponse("noor", { id: null, issuer: sp.entityId, acsUrl: sp.acsUrl });
    // An IdP portal's page: a form that posts the response without any request from Parapet.
    await page.setContent(`<form method="post" action="${sp.acsUrl}"><input type="hidden" name="SAMLResponse" value="${unsolicited}"><button>Go</button></form>`);
    await page.getByRole("button", { name: "Go" }).click();
    await page.waitForURL((url) => url.origin === server.url && url.pathname === "/sign-in");
    await page.getByRole("alert").getByText("ارائه‌دهندهٔ هویت شما ورودی فرستاد که از اینجا آغاز نشده بود", { exact: false }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    if (shots) await page.screenshot({ path: `${shots}/saml-unsolicited-fa.png`, fullPage: true });
  });
});
