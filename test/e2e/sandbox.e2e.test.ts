import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startTestServer } from "../support/server";
import { SANDBOX_SCENARIOS } from "../../src/server/networks/sandbox/scenarios";

const CHROMIUM = "/usr/bin/chromium";
const canRun = existsSync(CHROMIUM) || process.env.CI === "true";

describe.skipIf(!canRun)("the Sandbox in a browser", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/build-web-if-stale.mjs", import.meta.url))], { stdio: "inherit" });
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: "en-US", timezoneId: "Europe/Amsterdam", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    onTestFailed(async ({ task }) => {
      if (page.isClosed()) return;
      const name = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 80);
      await page.screenshot({ path: `test-results/e2e/${name}-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    });
    return page;
  }

  it("lets an admin start a scenario and play a tick, and the Sandbox's website shows the new post", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("/settings/sandbox")}`);
    await page.getByLabel("Email").fill(server.demo.email);
    await page.getByLabel(/^Password/).fill(server.demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Sandbox" }).waitFor();
    await expect(page.getByRole("navigation").getByRole("link", { name: "Sandbox" }).count()).resolves.toBe(1);

    const row = page.getByRole("row").filter({ hasText: "Viral complaint" });
    await row.getByText("Not started").waitFor();
    await row.getByRole("button", { name: /^Start .{0,2}Viral complaint.{0,2}$/ }).click();
    const dialog = page.getByRole("dialog", { name: /Start .{0,3}Viral complaint/ });
    await dialog.getByText(/^.{0,2}0.{0,2} of .{0,2}5.{0,2} ticks$/).waitFor();
    await dialog.getByRole("button", { name: "Start" }).click();
    await page.getByText(/Viral complaint.{0,3} started/).waitFor();
    await row.getByText("Playing").waitFor();
    await row.getByText(/^.{0,2}0.{0,2} of .{0,2}5.{0,2} ticks$/).first().waitFor();

    await row.getByRole("button", { name: /^Play the next tick of .{0,2}Viral complaint.{0,2}$/ }).click();
    // The first tick is already a burst: the review and the first replies (and a reaction).
    const firstTick = SANDBOX_SCENARIOS.viral_complaint.ticks[0].length;
    expect(firstTick).toBeGreaterThanOrEqual(10);
    await page.getByText(new RegExp(`^Tick played: .{0,2}${firstTick}.{0,2} items added\\.$`)).waitFor();
    await row.getByText(/^.{0,2}1.{0,2} of .{0,2}5.{0,2} ticks$/).first().waitFor();
    await row.getByText(new RegExp(`^.{0,2}${firstTick}.{0,2} items added$`)).waitFor();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => ({ rule: v.id, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`) }))).toEqual([]);

    // The website: the reviewer's post is on the timeline, and on its own page.
    await page.goto(`${server.url}/sandbox`);
    await page.getByRole("heading", { level: 1, name: "Latest posts" }).waitFor();
    const post = page.getByRole("article").filter({ hasText: "it's MOULDY. Batch HB-0923" }).first();
    await post.waitFor();
    await post.getByRole("link", { name: /UTC$/ }).click();
    await page.waitForURL(/\/sandbox\/posts\//);
    await page.getByText("Opened a sealed bag of @emberoak Hearth").waitFor();
    await page.getByRole("link", { name: "@emberoak" }).first().click();
    await page.waitForURL(/\/sandbox\/@emberoak$/);
    await page.getByRole("heading", { level: 1, name: /Ember & Oak/ }).waitFor();

    // Stop it again: the row says so, and no Play button is left.
    await page.goto(`${server.url}/settings/sandbox`);
    await row.getByRole("button", { name: /^Stop .{0,2}Viral complaint.{0,2}$/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Stop" }).click();
    await page.getByText(/Viral complaint.{0,3} stopped/).waitFor();
    await row.getByText("Stopped").waitFor();
    await expect(row.getByRole("button", { name: /Play the next tick/ }).count()).resolves.toBe(0);
    await page.context().close();
  });

  it("links a Sandbox channel to its account on the Sandbox's website", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent("/settings/channels")}`);
    await page.getByLabel("Email").fill(server.demo.email);
    await page.getByLabel(/^Password/).fill(server.demo.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const link = page.getByRole("link", { name: /View @.{0,2}emberoak_support.{0,2} on the Sandbox/ });
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe("/sandbox/@emberoak_support");
    await page.context().close();
  });
});
