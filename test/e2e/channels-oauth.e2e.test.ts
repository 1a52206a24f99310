import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startMastodonTestPeer, type MastodonTestPeer } from "../peers/mastodon/peer";
import { startTestServer } from "../support/server";

const CHROMIUM = "/usr/bin/chromium";
const canRun = existsSync(CHROMIUM) || process.env.CI === "true";

/**
 * Connecting a channel through a network's own sign-in page, in a real browser: Parapet's Channels page → the
 * Mastodon test peer's authorisation page (which approves as the account signed in there) → back to Parapet. Then
 * the channel breaks, the banner says so, and the account's owner — signed out, with only a reconnect link —
 * reconnects it through the same flow.
 */
describe.skipIf(!canRun)("connecting an OAuth network in a browser", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let mastodon: MastodonTestPeer;
  let browser: Browser;
  const shots = process.env.PARAPET_SCREENSHOTS; // a folder: screenshots to look at while building the UI

  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/build-web-if-stale.mjs", import.meta.url))], { stdio: "inherit" });
    mastodon = await startMastodonTestPeer();
    mastodon.addAccount({ username: "emberoak", displayName: "Ember & Oak on Mastodon" });
    mastodon.signIn("emberoak");
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    if (shots) mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await mastodon?.close();
  });

  async function newPage(locale = "en-US"): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    onTestFailed(async () => {
      if (!page.isClosed()) await page.screenshot({ path: `test-results/e2e/channels-oauth-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    });
    return page;
  }
  const shoot = async (page: Page, name: string) => {
    if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  };

  it("connects a Mastodon account through its authorisation page, and its owner reconnects it with a link", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("/settings/channels")}`);
    await page.getByLabel("Email").fill(server.demo.email);
    await page.getByLabel(/^Password/).fill(server.demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/settings/channels");

    await page.getByRole("button", { name: "Connect a channel" }).first().click();
    await page.getByRole("combobox", { name: "Network" }).click();
    await page.getByRole("option", { name: "Mastodon" }).click();
    await page.getByLabel(/^Server/).fill(mastodon.url);
    await shoot(page, "connect-mastodon-en");
    await page.getByRole("button", { name: /Continue to \W*Mastodon/ }).click();

    // Away to the peer's /oauth/authorize and straight back to the Channels page.
    await page.getByText("The account is connected.").waitFor();
    await expect.poll(() => mastodon.requests.some((r) => r.path === "/oauth/token")).toBe(true);
    const row = page.getByRole("row", { name: /@emberoak@127\.0\.0\.1:\d+ · Mastodon/ });
    await row.waitFor();
    expect(await row.getByText("Working").count()).toBe(1);
    const token = mastodon.requests.find((r) => r.path === "/oauth/token")!.body;
    expect(token).toMatchObject({ grant_type: "authorization_code" });
    expect(String(token.code_verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The network stops accepting the token; a check finds it; every page now says so.
    mastodon.injectFault("emberoak", { kind: "auth_expired" });
    await row.getByRole("button", { name: /Check @\W*emberoak/ }).click();
    await page.getByText("A channel needs reconnecting").waitFor();
    await row.getByRole("button", { name: /^Reconnect @/ }).waitFor();

    await row.getByRole("button", { name: /Send a reconnect link for @\W*emberoak/ }).click();
    await page.getByRole("button", { name: "Make link" }).click();
    const link = await page.getByLabel("Reconnect link", { exact: true }).inputValue();
    expect(link).toMatch(/\/reconnect\?token=/);
    await shoot(page, "reconnect-link-en");

    // The account's owner has no Parapet account: a fresh browser with only the link.
    const holder = await newPage();
    await holder.goto(link.replace(/^https?:\/\/[^/]+/, server.url));
    await holder.getByText(/asks you to reconnect this \W*Mastodon\W* account/).waitFor();
    await shoot(holder, "reconnect-page-en");
    await holder.getByRole("button", { name: /Continue to \W*Mastodon/ }).click();
    await holder.waitForURL((url) => url.pathname === "/reconnect" && url.searchParams.get("done") === "1");
    await holder.getByText("Reconnected", { exact: true }).waitFor();

    await page.reload();
    await page.getByRole("row", { name: /@emberoak@127\.0\.0\.1:\d+ · Mastodon/ }).getByText("Working").waitFor();
    expect(await page.getByText("A channel needs reconnecting").count()).toBe(0);
  });

  it("shows the reconnect page in Persian, right to left, and a used link as not working", async () => {
    const page = await newPage("fa-IR");
    await page.goto(`${server.url}/reconnect?token=not-a-real-token`);
    await page.getByRole("alert").waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    expect(await page.getByRole("alert").innerText()).toContain("این پیوند اتصال دوباره دیگر کار نمی‌کند");
    await shoot(page, "reconnect-invalid-fa");
  });
});
