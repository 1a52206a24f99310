import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiAs, canRunBrowser, useBrowser } from "../support/browser";

/**
 * A crisis's lifecycle in a browser, on the demo workspace: the owner declares one by hand (choosing the severity,
 * with the "when unsure, choose the higher" hint), starts crisis mode (pause and lock down), sees the banner on
 * every page and the held posts waiting for a decision, decides one; a post Jan (outside the crisis team) writes during
 * the lock down is listed as waiting for the crisis team's approval and opens on its page to be decided; then the
 * crisis page in Persian (right to left).
 */
describe.skipIf(!canRunBrowser)("crisis lifecycle in a browser", () => {
  const b = useBrowser("crisis-lifecycle");
  const shots = b.shots;
  /** The text as read, without the isolates that keep a crisis's ref and a Latin name in order right to left. */
  const plain = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/[\u200e\u200f\u2066-\u2069]/g, "");

  it("declares a crisis, starts crisis mode, shows the banner and the held posts, in English and Persian", { timeout: 120_000 }, async () => {
    const page = await b.signedIn({ next: "/crisis" });
    await page.getByRole("heading", { name: "Crises", level: 1 }).waitFor();
    // The demo has no open crisis (only a finished drill): the list says so and where to start.
    await page.getByText("Nothing is burning. When something is, declare a crisis here or from a listening alert.").waitFor();
    await page.getByRole("button", { name: "Declare a crisis" }).click();
    const dialog = page.getByRole("dialog", { name: "Declare a crisis" });
    await dialog.getByLabel("What is happening").fill("Cold brew cans exploding");
    await dialog.getByLabel("Why it is a crisis").fill("A customer's video of an exploding can is spreading");
    await dialog.getByText("When unsure, choose the higher severity", { exact: false }).waitFor();
    // Choosing a scenario brings the workspace's plan for it; a scenario without a plan leaves none chosen.
    await dialog.getByLabel("Scenario", { exact: true }).click();
    await page.getByRole("option", { name: "Defective product or recall" }).click();
    await expect.poll(() => dialog.getByLabel("Plan", { exact: true }).inputValue()).toBe("Defective product or recall");
    await dialog.getByLabel("Scenario", { exact: true }).click();
    await page.getByRole("option", { name: "Other", exact: true }).click();
    await expect.poll(() => dialog.getByLabel("Plan", { exact: true }).inputValue()).toBe("");
    await dialog.getByLabel("Severity", { exact: true }).click();
    await page.getByRole("option", { name: /^SEV3/ }).click();
    if (shots) await page.screenshot({ path: `${shots}/crisis-declare-en.png`, fullPage: true });
    await dialog.getByRole("button", { name: "Declare a crisis" }).click();
    await page.waitForURL(/\/crisis\/[0-9a-f-]{36}$/);
    await page.getByTestId("crisis-status").getByText("Active").waitFor();
    const ref = /^CR-\d+/.exec((await page.getByRole("heading", { level: 1 }).textContent()) ?? "")![0];
    // Declared: on the banner of every page, crisis mode not yet on.
    const banner = page.getByTestId("crisis-banner");
    await banner.getByText("Cold brew cans exploding", { exact: false }).waitFor();
    await banner.getByText("Crisis mode is off.").waitFor();

    const mode = page.getByTestId("crisis-mode");
    await mode.getByRole("button", { name: "Start crisis mode" }).click();
    await mode.getByText("On", { exact: true }).waitFor();
    await banner.getByText("locked down: only the crisis team publishes or replies", { exact: false }).waitFor();
    const held = page.getByTestId("held-posts");
    await held.waitFor();
    // The panel is on the page before crisis mode; its list refetches once the pause has held the demo calendar's
    // scheduled posts, so wait for the first one rather than count what is drawn at this instant.
    const waiting = held.getByRole("button", { name: "Discard" });
    await waiting.first().waitFor();
    const before = await waiting.count();
    expect(before).toBeGreaterThan(0);
    if (shots) await page.screenshot({ path: `${shots}/crisis-page-en.png`, fullPage: true });
    await waiting.first().click();
    await page.getByText("The post is discarded on that channel.").waitFor();
    // Closing or cancelling warns of the posts still undecided, in the singular when one is left.
    let left = before - 1;
    await expect.poll(() => waiting.count()).toBe(left);
    while (left > 1) {
      await waiting.first().click();
      await expect.poll(() => waiting.count()).toBe(--left);
    }
    await page.getByRole("button", { name: "Cancel: false alarm" }).click();
    const cancelling = page.getByRole("dialog", { name: "Cancel: false alarm" });
    // (Inserted values are wrapped in Unicode isolates: "\u20681\u2069 held post".)
    await cancelling.getByText(/^\u2068?1\u2069? held post still needs a decision first\.$/).waitFor();
    if (shots) await cancelling.screenshot({ path: `${shots}/crisis-cancel-undecided-en.png` });
    await cancelling.getByRole("button", { name: "Cancel", exact: true }).click();
    await cancelling.waitFor({ state: "detached" });

    // Jan, outside the crisis team, writes a post during the lock down: it waits for the crisis team's approval, next
    // to the held posts, and "Open to decide" leads to the post, where the owner (on the team) approves or rejects it.
    const jan = await b.signedIn({ email: b.demoPerson("jan"), next: "/" });
    const emberoak = (await apiAs<{ channels: Array<{ id: string; handle: string }> }>(jan, "GET", "/channels")).body.channels.find((c) => c.handle === "emberoak")!;
    const written = await apiAs(jan, "POST", "/posts", { text: "Our cans are safe, we promise!", channels: [{ channelId: emberoak.id }], scheduledAt: new Date(Date.now() + 3 * 3_600_000).toISOString(), acknowledgePause: true });
    expect([written.status, written.body.state]).toEqual([200, "in_review"]);
    await jan.context().close();
    await page.reload();
    const awaiting = page.getByTestId("awaiting-approval");
    await awaiting.getByText("Our cans are safe, we promise!").waitFor();
    await awaiting.getByText("The crisis team's turn").waitFor();
    if (shots) await awaiting.screenshot({ path: `${shots}/crisis-awaiting-approval-en.png` });
    await awaiting.getByRole("link", { name: "Open to decide" }).click();
    await page.waitForURL(new RegExp(`/publishing/posts/${written.body.id}$`));
    await page.getByRole("button", { name: "Approve" }).waitFor();
    await page.goBack();
    await awaiting.waitFor();

    // The banner follows to other pages; the pause banner and Home say the crisis paused publishing, and who started it.
    await page.getByRole("link", { name: "Home", exact: true }).click();
    await page.getByTestId("crisis-banner").getByRole("link", { name: "Open the crisis" }).waitFor();
    const pauseBanner = page.getByRole("status").filter({ hasText: "Publishing is paused" });
    await expect.poll(() => plain(pauseBanner)).toContain(`Paused by crisis ${ref} (Olivia Brandt) since`);
    const homePause = page.locator("[data-testid^=attention-pause-]");
    await expect.poll(() => plain(homePause)).toContain(`Paused by crisis ${ref} (Olivia Brandt)`);
    if (shots) await page.screenshot({ path: `${shots}/crisis-banner-en.png` });

    await b.setLanguage(page, "fa");
    await page.goto(`${b.server.url}/crisis`);
    await page.getByRole("heading", { name: "بحران‌ها", level: 1 }).waitFor();
    await page.getByRole("link", { name: /Cold brew cans exploding/ }).click();
    await page.getByTestId("crisis-mode").getByText("روشن", { exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await page.getByTestId("awaiting-approval").getByText("نوبت تیم بحران").waitFor();
    // The English title is isolated in the right-to-left heading, so its words keep their order; counts in Persian digits.
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toMatch(/^CR-\d+ · \u2068Cold brew cans exploding\u2069$/);
    await page.getByTestId("held-posts").getByText(/[۰-۹]+\W* از \W*[۰-۹]+\W* منتظر تصمیم/).waitFor();
    await page.getByText(/^[\u2068\u2069۰-۹]+ پست زمان‌بندی‌شده با توقف نگه داشته شد$/).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/crisis-page-fa.png`, fullPage: true });
    if (shots) await page.getByTestId("awaiting-approval").screenshot({ path: `${shots}/crisis-awaiting-approval-fa.png` });
    // The pause banner and Home in Persian: the crisis in Persian words, not the English "crisis" the server records.
    await page.getByRole("link", { name: "خانه", exact: true }).click();
    const faPause = page.getByRole("status").filter({ hasText: "انتشار متوقف است" });
    await expect.poll(() => plain(faPause)).toContain(`متوقف‌شده توسط بحران ${ref} (Olivia Brandt) از`);
    await expect.poll(() => plain(page.locator("[data-testid^=attention-pause-]"))).toContain(`متوقف‌شده به دست بحران ${ref} (Olivia Brandt)`);
    if (shots) await page.screenshot({ path: `${shots}/crisis-home-fa.png`, fullPage: true });
    await b.setLanguage(page, "en");
  });
});
