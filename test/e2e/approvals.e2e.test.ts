import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPublisher, type Publisher } from "../../src/server/domains/publishing";
import { apiAs, canRunBrowser, useBrowser } from "../support/browser";

/**
 * Approvals in a browser, on the demo workspace: the intern (jan, Approval required on @emberoak) schedules a post and
 * it goes to review; he cannot approve it himself; the social media manager (sofia) finds it in "Waiting for me" (the
 * count beside Publishing) and approves; the post is scheduled and, when due, the publisher puts it on the Sandbox,
 * whose web view shows it. A post approved without a time is published by its author; an edit after approval resets it.
 */
describe.skipIf(!canRunBrowser)("approvals in a browser", () => {
  const b = useBrowser("approvals");
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
  const postPath = /^\/publishing\/posts\/[0-9a-f-]+$/;

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  /** The intern writes a post for @emberoak and sends it; returns his page, on the post. */
  async function internSends(words: string, when: "schedule" | "now") {
    const page = await b.signedIn({ email: person("jan"), next: "/publishing/new" });
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await page.getByText("Needs approval").first().waitFor();
    await page.getByRole("textbox", { name: "Text" }).fill(words);
    await page.getByText(/need approval: scheduling or publishing sends the post for approval first/).waitFor();
    if (when === "schedule") {
      await page.getByRole("radio", { name: "Schedule for a date and time" }).check();
      // Two minutes ahead, to the minute (the field's precision): long enough to approve, short enough to wait for.
      const local = await page.evaluate(() => {
        const at = new Date(Date.now() + 120_000);
        const pad = (n: number) => String(n).padStart(2, "0");
        return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
      });
      await page.getByLabel("Date and time", { exact: true }).fill(local);
    } else {
      await page.getByRole("radio", { name: "As soon as it is approved" }).check();
    }
    await noSeriousViolations(page);
    if (shots && when === "schedule") await page.screenshot({ path: `${shots}/approvals-composer-intern-en.png`, fullPage: true });
    await page.getByRole("button", { name: "Send for approval" }).click();
    await page.waitForURL((url) => postPath.test(url.pathname));
    // Said clearly, with whom it waits for: the demo's channel has no workflow, so anyone with Full publishing on it.
    // (Interpolated values come wrapped in bidi isolates: \W* stands for them.)
    await page.getByText(/^Sent for approval to \W*anyone with Full publishing on \W*emberoak\W*\.$/).waitFor();
    return page;
  }

  it("the intern schedules a post, it waits for approval; the manager approves it from 'Waiting for me'; it goes out on the Sandbox when due", async () => {
    const words = `Cupping on Saturday: three Ethiopian lots ${Date.now()}`;
    const jan = await internSends(words, "schedule");
    const card = jan.getByTestId("approval-card");
    await card.getByText(/^Step \W*1\W* of \W*1\W* \(\W*emberoak\W*\): waiting for \W*anyone with Full publishing on \W*emberoak\W*\.$/).waitFor();
    await card.getByText("You cannot approve your own post: someone named in the step decides.").waitFor();
    expect(await card.getByRole("button", { name: "Approve" }).count()).toBe(0);
    await jan.locator('[data-channel="emberoak"] [data-state="in_review"]').getByText("Waiting for approval").waitFor();
    await jan.getByText(/^\W*Jan .* sent version \W*\d+\W* for approval$/).waitFor();
    await noSeriousViolations(jan);
    if (shots) await jan.screenshot({ path: `${shots}/approvals-post-author-en.png`, fullPage: true });
    // Not by the API either.
    const postId = new URL(jan.url()).pathname.split("/").pop()!;
    const post = await apiAs(jan, "GET", `/posts/${postId}`);
    const own = await apiAs(jan, "POST", `/posts/${postId}/approve`, { contentHash: post.body.contentHash });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe("cannot_approve_own_post");

    // In the posts list under "Waiting for approval".
    await jan.goto(`${b.server.url}/publishing?status=in_review`);
    await jan.getByRole("row", { name: new RegExp(words) }).getByText("Waiting for approval").waitFor();

    // The manager: a count beside Publishing, the queue from the posts page, the post as the channel will show it.
    const sofia = await b.signedIn({ email: person("sofia"), next: "/publishing" });
    const badge = sofia.getByRole("navigation").getByTestId("waiting-count");
    await badge.waitFor();
    expect(Number(await badge.locator("[aria-hidden]").textContent())).toBeGreaterThanOrEqual(1);
    await sofia.getByRole("link", { name: /^Waiting for me/ }).click();
    await sofia.waitForURL((url) => url.pathname === "/publishing/approvals");
    const entry = sofia.getByRole("listitem").filter({ hasText: words });
    await entry.getByText(/^Post by \W*Jan/).waitFor();
    await entry.getByText(/@emberoak · Sandbox/).waitFor();
    await entry.getByText(/Step \W*1\W* of \W*1\W*:/).waitFor();
    await noSeriousViolations(sofia);
    if (shots) await sofia.screenshot({ path: `${shots}/approvals-queue-en.png`, fullPage: true });
    // Rejecting needs a comment.
    await entry.getByRole("button", { name: "Reject" }).click();
    await entry.getByText("Say why you reject it, so the author knows what to change.").waitFor();
    await entry.getByRole("textbox", { name: "Comment" }).fill("Lovely. Go.");
    await entry.getByRole("button", { name: "Approve" }).click();
    await sofia.getByText(/^Approved: the post is scheduled for /).waitFor();
    await entry.waitFor({ state: "detached" });

    // Scheduled; when due, the publisher puts it on the Sandbox and the post's page links to it there.
    await jan.goto(`${b.server.url}/publishing/posts/${postId}`);
    await jan.getByTestId("approval-card").getByText(/approved version \W*\d+\W* · .*: \W*Lovely\. Go\.\W*$/).waitFor();
    const channel = jan.locator('[data-channel="emberoak"]');
    await channel.locator('[data-status="scheduled"]').waitFor();
    await channel.locator('[data-status="published"]').waitFor({ timeout: 200_000 });
    const href = (await channel.getByRole("link", { name: /View the post on \W*emberoak/ }).getAttribute("href"))!;
    expect(href).toMatch(/^\/sandbox\//);
    const onSandbox = await jan.context().newPage();
    await onSandbox.goto(`${b.server.url}${href}`);
    await onSandbox.getByText(words).first().waitFor();
  }, 300_000);

  it("a post sent to publish as soon as approved: approved, its author publishes it; an edit after approval resets the approval", async () => {
    const words = `Decaf that tastes like coffee ${Date.now()}`;
    const jan = await internSends(words, "now");
    const postUrl = new URL(jan.url()).pathname;

    const sofia = await b.signedIn({ email: person("sofia"), next: postUrl });
    const card = sofia.getByTestId("approval-card");
    await card.getByText("Your decision").waitFor();
    await card.getByRole("button", { name: "Approve" }).click();
    await sofia.getByText("Approved: the post is ready to publish.").first().waitFor();

    // The author sees it approved, changes a word: the approval is reset and it waits again.
    await jan.reload();
    await jan.getByRole("alert").filter({ hasText: "Approved: ready to publish" }).waitFor();
    await noSeriousViolations(jan);
    if (shots) await jan.screenshot({ path: `${shots}/approvals-approved-en.png`, fullPage: true });
    await jan.getByRole("link", { name: "Edit" }).click();
    await jan.getByRole("textbox", { name: "Text" }).fill(`${words}, really`);
    await jan.getByRole("radio", { name: "As soon as it is approved" }).check();
    await jan.getByRole("button", { name: "Send for approval" }).click();
    await jan.waitForURL((url) => url.pathname === postUrl);
    await jan.getByText(/edited the post after version \W*\d+\W* was approved: the approval was reset$/).waitFor();
    await jan.getByTestId("approval-card").getByText("Reset by an edit").waitFor();
    await jan.getByText(/^This approval was for version \W*\d+\W*\. The post was edited after that, so it needs approval again\.$/).waitFor();

    // Approved again, the author publishes it now.
    await sofia.reload();
    await sofia.getByTestId("approval-card").getByRole("button", { name: "Approve" }).click();
    await sofia.getByText("Approved: the post is ready to publish.").first().waitFor();
    await jan.reload();
    await jan.getByRole("alert").filter({ hasText: "Approved: ready to publish" }).getByRole("button", { name: "Publish now" }).click();
    await jan.locator('[data-channel="emberoak"] [data-status="published"]').waitFor({ timeout: 60_000 });
  }, 180_000);

  it("in Persian: the queue and the approval card read right to left", async () => {
    const sofia = await b.signedIn({ email: person("sofia"), next: "/publishing/approvals" });
    await b.setLanguage(sofia, "fa");
    await sofia.reload();
    await sofia.getByRole("heading", { name: "در انتظار من", level: 1 }).waitFor();
    await noSeriousViolations(sofia);
    if (shots) await sofia.screenshot({ path: `${shots}/approvals-queue-fa.png`, fullPage: true });
    const first = sofia.getByRole("listitem").first();
    await first.getByRole("link", { name: "باز کردن پست" }).click();
    await sofia.waitForURL((url) => postPath.test(url.pathname));
    await sofia.getByTestId("approval-card").getByText("تصمیم شما").waitFor();
    // Step and version numbers in Persian digits, the round worded like the post's status.
    await sofia.getByTestId("approval-card").getByText(/^مرحله[\s\u2068\u2069]*۱[\s\u2068\u2069]*از[\s\u2068\u2069]*۱/).waitFor();
    await sofia.getByTestId("approval-card").getByText(/^نسخه[\s\u2068\u2069]*۱[\s\u2068\u2069]*، فرستاده‌شده/).waitFor();
    expect(await sofia.getByTestId("approval-card").getByText("در حال بررسی").count()).toBe(0);
    if (shots) await sofia.screenshot({ path: `${shots}/approvals-post-fa.png`, fullPage: true });
    await b.setLanguage(sofia, "en");
  });
});
