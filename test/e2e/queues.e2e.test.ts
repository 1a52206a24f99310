import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";
import { startLinkPages } from "../support/link-pages";

/**
 * Posting queues and link previews in a browser, on the demo workspace: the owner gives @emberoak weekday slots at
 * 09:00 and 17:30 in Berlin; the social media manager writes a post with a link (the composer shows the page's card,
 * read by the server from a local site the operator allowed), chooses "Add to queue", sees the slot before saving and
 * gets it; a second post gets a later slot; the settings page and the composer in Persian.
 */
describe.skipIf(!canRunBrowser)("posting queues and link previews in a browser", () => {
  // The local site is on loopback: this server's operator allowed it by name.
  const b = useBrowser("queues", { PARAPET_LINK_PREVIEW_ALLOWED_HOSTS: "127.0.0.1" });
  const shots = b.shots;
  let pages: Awaited<ReturnType<typeof startLinkPages>>;

  beforeAll(async () => {
    pages = await startLinkPages();
  }, 120_000);
  afterAll(async () => {
    await pages?.close();
  }, 120_000);

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
  const inBerlin = (iso: string) =>
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", weekday: "short", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
  const postOf = (page: Page) =>
    page.evaluate(async (id) => (await fetch(`/api/v1/posts/${id}`)).json(), new URL(page.url()).pathname.split("/").pop()!) as Promise<{ scheduledAt: string; state: string }>;

  it("an owner sets @emberoak's time slots in Berlin time", async () => {
    const page = await b.signedIn({ next: "/settings/posting-queues" });
    await page.getByRole("heading", { name: "Posting queues", level: 1 }).waitFor();
    await page.getByRole("button", { name: /^Set time slots for \W*@emberoak\W*$/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Time zone").fill("Europe/Berl");
    await page.getByRole("option", { name: "Europe/Berlin" }).click();
    // The days run as the reader's week does: from Sunday in (US) English, as in the calendar.
    const dayChips = dialog.getByRole("group", { name: /^Days for / }).first().getByRole("checkbox");
    expect(await dayChips.evaluateAll((chips) => chips.map((chip) => chip.getAttribute("aria-label")))).toEqual(["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]);
    // The first row is 09:00 on weekdays; a second time at 17:30, Monday to Friday too.
    await dialog.getByRole("button", { name: "Add a time" }).click();
    await dialog.getByLabel("Time", { exact: true }).nth(1).fill("17:30");
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/queues-editor-en.png`, fullPage: true });
    await dialog.getByRole("button", { name: "Save time slots" }).click();
    await dialog.waitFor({ state: "detached" });
    const card = page.getByRole("region", { name: /@emberoak · Sandbox/ });
    await card.getByText(/^\W*Mon–Fri\W* at \W*09:00( AM)?\W*$/).waitFor();
    await card.getByText(/^\W*Mon–Fri\W* at \W*(17:30|05:30 PM)\W*$/).waitFor();
    await card.getByText(/^Time zone: \W*Europe\/Berlin\W*$/).waitFor();
    await card.getByText(/^Next: /).waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/queues-settings-en.png`, fullPage: true });
  }, 120_000);

  it("a manager sees a link's card in the composer and adds two posts to the queue, each at the slot shown", async () => {
    const page = await b.signedIn({ email: b.demoPerson("sofia"), next: "/publishing/new" });
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await page.getByRole("textbox", { name: "Text" }).fill(`Our winter roast is here: ${pages.url}/roast`);
    const card = page.getByTestId("link-preview");
    await card.getByText("Winter roast: Kettle & Ember").waitFor();
    await card.getByText("Notes of plum and cocoa. Roasted on Mondays, shipped on Tuesdays.").waitFor();
    await card.getByText("Ember & Oak").waitFor();
    // The image came through the server, as bytes it checked.
    expect(await card.locator("img").evaluate((img) => [(img as HTMLImageElement).src.slice(0, 22), (img as HTMLImageElement).naturalWidth])).toEqual(["data:image/png;base64,", 2]);

    await page.getByRole("radio", { name: "Add to queue (next free time slot)" }).check();
    const shown = page.getByText(/^Next free time slot: /);
    await shown.waitFor();
    const firstShown = await shown.textContent();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/queues-composer-en.png`, fullPage: true });
    await page.getByRole("button", { name: "Add to queue", exact: true }).click();
    await page.waitForURL((url) => /^\/publishing\/posts\/[0-9a-f-]+$/.test(url.pathname));
    const first = await postOf(page);
    expect(first.state).toBe("scheduled");
    expect(inBerlin(first.scheduledAt)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) (09:00|17:30)$/);
    // The time shown before saving is the one the post got.
    expect(firstShown).toContain(await page.evaluate((at) => new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" }).format(new Date(at)), first.scheduledAt));

    await page.goto(`${b.server.url}/publishing/new`);
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await page.getByRole("textbox", { name: "Text" }).fill("A second post for the queue");
    await page.getByRole("radio", { name: "Add to queue (next free time slot)" }).check();
    await page.getByText(/^Next free time slot: /).waitFor();
    expect(await page.getByText(/^Next free time slot: /).textContent()).not.toBe(firstShown);
    await page.getByRole("button", { name: "Add to queue", exact: true }).click();
    await page.waitForURL((url) => /^\/publishing\/posts\/[0-9a-f-]+$/.test(url.pathname));
    const second = await postOf(page);
    expect(new Date(second.scheduledAt).getTime()).toBeGreaterThan(new Date(first.scheduledAt).getTime());
    expect(inBerlin(second.scheduledAt)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) (09:00|17:30)$/);

    // A channel without slots says so, and a link that has no preview says why.
    await page.goto(`${b.server.url}/publishing/new`);
    await page.getByRole("checkbox", { name: /@emberoak_de · Sandbox/ }).check();
    await page.getByRole("textbox", { name: "Text" }).fill(`Nothing to see at ${pages.url}/nothing`);
    await page.getByText(/^No preview for this link: \W*the page has no title, description or image to show\.\W*$/).waitFor();
    await page.getByRole("radio", { name: "Add to queue (next free time slot)" }).check();
    await page.getByText(/@emberoak_de\W* has no time slots yet/).waitFor();
  }, 120_000);

  it("the settings page and the composer in Persian", async () => {
    const page = await b.signedIn({ email: b.demoPerson("sofia"), next: "/settings/posting-queues" });
    await b.setLanguage(page, "fa");
    await page.reload();
    await page.getByRole("heading", { name: "صف‌های انتشار", level: 1 }).waitFor();
    await page.getByText(/^منطقهٔ زمانی: \W*Europe\/Berlin\W*$/).waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/queues-settings-fa.png`, fullPage: true });
    // The owner's editor in Persian: the week starts on Saturday (شنبه), as the Persian calendar's does.
    const owner = await b.signedIn({ next: "/settings/posting-queues" });
    await b.setLanguage(owner, "fa");
    await owner.reload();
    await owner.getByRole("button", { name: /^تنظیم زمان‌های \W*@emberoak\W*$/ }).click();
    const dayChips = owner.getByRole("dialog").getByRole("group", { name: /^روزهای ساعت / }).first().getByRole("checkbox");
    expect(await dayChips.evaluateAll((chips) => chips.map((chip) => chip.getAttribute("aria-label")))).toEqual(["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"]);
    if (shots) await owner.screenshot({ path: `${shots}/queues-editor-fa.png`, fullPage: true });
    await b.setLanguage(owner, "en");
    await owner.context().close();
    await page.goto(`${b.server.url}/publishing/new`);
    await page.getByRole("checkbox", { name: /@emberoak/ }).first().check();
    await page.getByRole("textbox").first().fill(`برشته‌کاری زمستانی ما رسید: ${pages.url}/roast`);
    await page.getByTestId("link-preview").getByText("Winter roast: Kettle & Ember").waitFor();
    await page.getByRole("radio", { name: "افزودن به صف (نخستین زمان آزاد)" }).check();
    await page.getByText(/^نخستین زمان آزاد: /).waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/queues-composer-fa.png`, fullPage: true });
    await b.setLanguage(page, "en");
  }, 120_000);
});
