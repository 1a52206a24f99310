import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPublisher, type Publisher } from "../../src/server/domains/publishing";
import { canRunBrowser, useBrowser } from "../support/browser";

/**
 * Publishing in a browser, on the demo workspace: the social media manager publishes on the Sandbox and the post's
 * page links to it there; the intern can only save a draft, which the manager then schedules; an admin pauses (banner
 * on every page, a scheduled post held), scheduling warns first, and resuming opens the review of the held posts.
 */
describe.skipIf(!canRunBrowser)("publishing in a browser", () => {
  const b = useBrowser("publishing");
  const shots = b.shots;
  let publisher: Publisher;

  beforeAll(() => {
    // The test server runs the web service only; its worker's publishing loop runs here, as `startWorker` runs it.
    publisher = startPublisher(b.server.services, { pollMs: 300 });
  });
  afterAll(async () => {
    await publisher?.stop();
  });

  const person = (local: string) => b.demoPerson(local);
  const signedIn = (email: string, next: string) => b.signedIn({ email, next });
  const setLanguage = (page: Page, locale: string) => b.setLanguage(page, locale);
  /** The zone the browser runs in, which the pages must name. */
  const zoneOf = (page: Page) => page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  it("a social media manager composes for the Sandbox and publishes now; the post's page links to it on the Sandbox", async () => {
    const page = await signedIn(person("sofia"), "/publishing");
    await page.getByRole("link", { name: "New post" }).first().click();
    await page.waitForURL((url) => url.pathname === "/publishing/new");
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    const text = page.getByRole("textbox", { name: "Text" });
    // Counted as the network counts, as you type: over the Sandbox's 500 characters the counter turns red.
    await text.fill("☕".repeat(501));
    await page.getByText(/501\W*\/\W*500\W*characters: \W*1\W* too many/).waitFor();
    expect(await page.locator('[data-over="true"]').count()).toBe(1);
    const words = `Fresh from the roaster: Huila, Colombia ${Date.now()}`;
    await text.fill(words);
    await page.getByText(new RegExp(`^\\W*emberoak\\W*: \\W*${words.length}\\W*/\\W*500\\W*characters$`)).waitFor();
    await page.getByRole("radio", { name: "Schedule for a date and time" }).check();
    await page.getByText(new RegExp(`In your time zone: \\W*${escape(await zoneOf(page))}`)).waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/publishing-composer-en.png`, fullPage: true });
    await page.getByRole("radio", { name: "Publish now" }).check();
    await page.getByRole("button", { name: "Publish now" }).click();
    await page.waitForURL((url) => /^\/publishing\/posts\/[0-9a-f-]+$/.test(url.pathname));

    // The worker's publisher puts it on the Sandbox; the page follows.
    const card = page.locator('[data-channel="emberoak"]');
    await card.locator('[data-status="published"]').waitFor({ timeout: 30_000 });
    await page.getByText(/Published on \W*emberoak\W*$/).waitFor();
    const link = card.getByRole("link", { name: /View the post on \W*emberoak/ });
    const href = (await link.getAttribute("href"))!;
    expect(href).toMatch(/^\/sandbox\//);
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/publishing-detail-en.png`, fullPage: true });
    const onSandbox = await page.context().newPage();
    await onSandbox.goto(`${b.server.url}${href}`);
    await onSandbox.getByText(words).first().waitFor();

    // Mail about a post links to /posts/<id>: that address opens the post's page.
    const postPath = new URL(page.url()).pathname;
    await page.goto(`${b.server.url}${postPath.replace(/^\/publishing/, "")}`);
    await page.waitForURL((url) => url.pathname === postPath);

    // Listed with its status per channel, newest first.
    await page.goto(`${b.server.url}/publishing`);
    const row = page.getByRole("row", { name: new RegExp(words) });
    await row.getByText("Published", { exact: true }).waitFor();
    await noSeriousViolations(page);

    // Taken down again: a reason is required, and the network's yes marks it removed.
    await row.getByRole("link", { name: new RegExp(words) }).click();
    await card.getByRole("button", { name: /Take the post down from \W*emberoak/ }).click();
    const dialog = page.getByRole("dialog", { name: /Take the post down/ });
    await dialog.getByRole("button", { name: "Take it down" }).click();
    await dialog.getByText("Say why it comes down.").waitFor();
    await dialog.getByRole("textbox", { name: "Reason" }).fill("Wrong origin in the text");
    await dialog.getByRole("button", { name: "Take it down" }).click();
    await card.locator('[data-status="removed"]').waitFor();
    await page.getByText(/Sofia Greco\W* took it down from \W*emberoak\W*: \W*Wrong origin in the text/).waitFor();
  }, 120_000);

  it("an intern whose level is approval required saves a draft without approval", async () => {
    const page = await signedIn(person("jan"), "/publishing/new");
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await page.getByText("Needs approval").first().waitFor();
    await page.getByRole("textbox", { name: "Text" }).fill("Draft by the intern: our new espresso blend");
    await page.getByText(/need approval: scheduling or publishing sends the post for approval first/).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/publishing-composer-intern-en.png`, fullPage: true });
    expect(await page.getByRole("radio", { name: "Publish now" }).count()).toBe(0);
    // Scheduling sends the post for approval (test/e2e/approvals.e2e.test.ts); a draft needs none.
    await page.getByRole("radio", { name: "Schedule for a date and time" }).check();
    await page.getByRole("button", { name: "Send for approval" }).waitFor();
    await page.getByRole("radio", { name: /^Save as draft/ }).check();
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL((url) => /^\/publishing\/posts\/[0-9a-f-]+$/.test(url.pathname));
    await page.locator('[data-channel="emberoak"] [data-status="draft"]').waitFor();
    await page.getByText(/Jan de Vries\W* wrote the post/).waitFor();
    const draftUrl = new URL(page.url()).pathname;

    // The social media manager (Full publishing) edits the intern's draft and schedules it.
    const manager = await signedIn(person("sofia"), draftUrl);
    await manager.getByRole("link", { name: "Edit" }).click();
    await manager.waitForURL((url) => url.pathname === `${draftUrl}/edit`);
    await manager.getByRole("textbox", { name: "Text" }).fill("Our new espresso blend, Ember No. 7, is here");
    await manager.getByRole("radio", { name: "Schedule for a date and time" }).check();
    await manager.getByRole("button", { name: "Schedule", exact: true }).click();
    await manager.waitForURL((url) => url.pathname === draftUrl);
    await manager.locator('[data-channel="emberoak"] [data-status="scheduled"]').waitFor();
    await manager.getByText(/Sofia Greco\W* edited it \(version \W*\d+\W*\)/).waitFor();
    // Pausing is for admins: the intern is not offered it.
    await page.goto(`${b.server.url}/publishing`);
    await page.getByRole("heading", { name: "Posts", level: 1 }).waitFor();
    expect(await page.getByRole("button", { name: "Pause publishing" }).count()).toBe(0);
  }, 120_000);

  it("an admin pauses with a reason: the banner shows on every page, a scheduled post is held, scheduling warns first, resume opens the review", async () => {
    const page = await signedIn(person("amir"), "/publishing/new");
    // A post scheduled before the pause.
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await page.getByRole("textbox", { name: "Text" }).fill("Weekend tasting at the roastery");
    await page.getByRole("radio", { name: "Schedule for a date and time" }).check();
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await page.waitForURL((url) => /^\/publishing\/posts\/[0-9a-f-]+$/.test(url.pathname));
    await page.locator('[data-channel="emberoak"] [data-status="scheduled"]').waitFor();
    const scheduledUrl = page.url();

    await page.goto(`${b.server.url}/publishing`);
    await page.getByRole("button", { name: "Pause publishing" }).click();
    const dialog = page.getByRole("dialog", { name: "Pause publishing" });
    await dialog.getByRole("button", { name: "Pause now" }).click();
    await dialog.getByText("Say why, for those who see the banner.").waitFor();
    await dialog.getByRole("textbox", { name: "Reason" }).fill("Product recall of batch 42: wait for the statement");
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/publishing-pause-en.png` });
    await dialog.getByRole("button", { name: "Pause now" }).click();
    await page.getByText(/Publishing paused; \W*\d+\W* scheduled posts? (is|are) held/).waitFor();

    // The banner is on every page, for everyone.
    await page.goto(`${b.server.url}/settings/channels`);
    const banner = page.getByRole("status").filter({ hasText: "Publishing is paused" });
    await banner.getByText(/Paused by \W*Amir Rahimi\W* since .+: \W*Product recall of batch 42: wait for the statement/).waitFor();
    const intern = await signedIn(person("jan"), "/account");
    await intern.getByText(/Product recall of batch 42/).waitFor();
    expect(await intern.getByRole("button", { name: "Resume" }).count()).toBe(0);
    await noSeriousViolations(page);

    // The post scheduled before is held.
    await page.goto(scheduledUrl);
    await page.locator('[data-channel="emberoak"] [data-status="held"]').getByText(/Held: \W*publishing paused/).waitFor();
    await page.getByText(/Held on \W*emberoak\W*: \W*publishing paused/).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/publishing-banner-en.png`, fullPage: true });

    // Scheduling warns first, and resends only when confirmed.
    await page.goto(`${b.server.url}/publishing/new`);
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await page.getByRole("textbox", { name: "Text" }).fill("Scheduled during the recall");
    await page.getByRole("radio", { name: "Schedule for a date and time" }).check();
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    const warning = page.getByRole("alert").filter({ hasText: "Publishing is paused" });
    await warning.getByText(/Product recall of batch 42/).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/publishing-composer-paused-en.png`, fullPage: true });
    await warning.getByRole("button", { name: "Schedule anyway (it will be held)" }).click();
    await page.waitForURL((url) => /^\/publishing\/posts\/[0-9a-f-]+$/.test(url.pathname));
    await page.locator('[data-channel="emberoak"]').getByText("will be held: publishing is paused").waitFor();

    // Persian, right to left, while paused: the list with the banner, the composer, a post.
    await setLanguage(page, "fa");
    await page.goto(`${b.server.url}/publishing`);
    await page.getByRole("heading", { name: "پست‌ها", level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await page.getByText("انتشار متوقف است").first().waitFor();
    if (shots) {
      await page.screenshot({ path: `${shots}/publishing-list-fa.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${shots}/publishing-list-fa-phone.png`, fullPage: true });
      await page.setViewportSize({ width: 1400, height: 1000 });
      await page.goto(scheduledUrl);
      await page.getByRole("heading", { name: "تاریخچه" }).waitFor();
      await page.screenshot({ path: `${shots}/publishing-detail-fa.png`, fullPage: true });
      await page.goto(`${b.server.url}/publishing/new`);
      await page.getByRole("checkbox", { name: /@emberoak ·/ }).check();
      await page.getByRole("textbox", { name: "متن" }).fill("قهوهٔ تازه از هویلا، کلمبیا ☕");
      await page.getByRole("radio", { name: "زمان‌بندی برای یک تاریخ و ساعت" }).check();
      await page.screenshot({ path: `${shots}/publishing-composer-fa.png`, fullPage: true });
    }
    await setLanguage(page, "en");

    // Resume: nothing is released by itself; the review lists the held post with the three decisions.
    await page.goto(`${b.server.url}/publishing`);
    if (shots) await page.screenshot({ path: `${shots}/publishing-list-en.png`, fullPage: true });
    await page.getByRole("status").filter({ hasText: "Publishing is paused" }).getByRole("button", { name: "Resume" }).click();
    await page.getByRole("dialog", { name: "Resume publishing?" }).getByRole("button", { name: "Resume" }).click();
    await page.waitForURL((url) => url.pathname === "/publishing/held");
    await page.getByText("Publishing has resumed").waitFor();
    const held = page.getByRole("row", { name: /Weekend tasting at the roastery/ });
    await held.getByRole("button", { name: /Publish now on \W*emberoak/ }).waitFor();
    await held.getByRole("button", { name: /Reschedule on \W*emberoak/ }).waitFor();
    await held.getByRole("button", { name: /Keep held on \W*emberoak/ }).waitFor();
    expect(await page.getByRole("status").filter({ hasText: "Publishing is paused" }).count()).toBe(0);
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/publishing-held-en.png`, fullPage: true });
    await held.getByRole("button", { name: /Publish now on \W*emberoak/ }).click();
    await page.getByText(/Released: it goes out at/).waitFor();
    await page.goto(scheduledUrl);
    await page.locator('[data-channel="emberoak"] [data-status="published"]').waitFor({ timeout: 30_000 });
    await page.getByText(/Amir Rahimi\W* released it on \W*emberoak\W*: publish now/).waitFor();
  }, 120_000);

  it("a post link cut short says the address is not valid, a deleted post and a page one's role does not allow say so, none with a pointless 'Try again'", async () => {
    const page = await signedIn(person("jan"), "/publishing");
    await page.goto(`${b.server.url}/publishing/posts/e4ad0653-eae8`);
    await page.getByText("The address of this page is not valid (perhaps the link was cut short).", { exact: false }).waitFor();
    expect(await page.getByText(/see the messages below/).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Try again" }).count()).toBe(0);
    await page.goto(`${b.server.url}/publishing/posts/00000000-0000-4000-8000-000000000000`);
    await page.getByText("This no longer exists. It may have been deleted.").waitFor();
    expect(await page.getByRole("button", { name: "Try again" }).count()).toBe(0);
    await page.goto(`${b.server.url}/settings/channel-access`);
    await page.getByText("Your role does not allow this.").waitFor();
    expect(await page.getByRole("button", { name: "Try again" }).count()).toBe(0);
    await page.goto(`${b.server.url}/publishing/posts/00000000-0000-4000-8000-000000000000`);
    await setLanguage(page, "fa");
    await page.reload();
    await page.getByText("این مورد دیگر وجود ندارد. شاید حذف شده باشد.").waitFor();
    await page.getByRole("link", { name: "همهٔ پست‌ها" }).waitFor();
  });
});
