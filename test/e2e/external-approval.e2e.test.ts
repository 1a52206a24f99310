import AxeBuilder from "@axe-core/playwright";
import { and, desc, eq, like } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { posts } from "../../src/server/domains/publishing/publishing.schema";
import { mailOutbox } from "../../src/server/mail/mail.schema";
import { canRunBrowser, useBrowser } from "../support/browser";
import { waitFor } from "../support/wait";

/**
 * External approval in a browser, on the demo workspace: an admin sets up a workflow in Settings whose one step names a
 * client by email for @emberoak; a manager schedules a post there; the client's mailed link (read from the outbox the
 * server writes every mail to first) opens, signed out, the post as it will appear; approving schedules the post and
 * the link then says it was used. Rejecting needs a comment (checked in Persian, on a phone).
 */
describe.skipIf(!canRunBrowser)("external approval in a browser", () => {
  const b = useBrowser("external-approval");
  const shots = b.shots;
  const client = { email: "clara@client.example", name: "Clara Client" };

  /** Text as the page shows it: interpolated values are wrapped in invisible direction marks, which this allows for. */
  const shown = (text: string) => new RegExp([...text].map((c) => c.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&")).join("[\u2066-\u2069\u200e\u200f]*"));

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  /** The manager schedules a post on @emberoak through the composer; returns its id. */
  async function managerSchedules(text: string): Promise<string> {
    const page = await b.signedIn({ email: b.demoPerson("sofia"), next: "/publishing/new" });
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await page.getByRole("textbox", { name: "Text" }).fill(text);
    await page.getByRole("radio", { name: "Schedule for a date and time" }).check();
    await page.getByRole("button", { name: /^(Schedule|Send for approval)$/ }).click();
    await page.waitForURL((url) => /^\/publishing\/posts\/[0-9a-f-]+$/.test(url.pathname));
    const postId = new URL(page.url()).pathname.split("/").pop()!;
    await page.context().close();
    return postId;
  }

  /** The link in the newest mail to the client: its path and query, opened on the test server. */
  async function mailedLink(): Promise<string> {
    const link = await waitFor("the external approval link mailed to the client", async () => {
      const [mail] = await b.server.services.database.db
        .select({ text: mailOutbox.text })
        .from(mailOutbox)
        .where(and(eq(mailOutbox.toAddress, client.email), like(mailOutbox.text, "%/external-approval?token=%")))
        .orderBy(desc(mailOutbox.createdAt))
        .limit(1);
      return mail?.text.match(/https?:\/\/\S+?(\/external-approval\?token=[^\s]+)/)?.[1];
    });
    return `${b.server.url}${link}`;
  }

  const stateOf = async (postId: string) => (await b.server.services.database.db.select({ state: posts.state }).from(posts).where(eq(posts.id, postId)))[0]?.state;

  /** A browser with nobody signed in, as the client opens the mail. */
  async function signedOut(options: { locale?: string; viewport?: { width: number; height: number } } = {}) {
    const context = await b.browser.newContext({ locale: options.locale ?? "en-US", viewport: options.viewport ?? { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  it("an admin creates a workflow naming a client; the client approves a manager's post by link; the link then says it was used", async () => {
    const admin = await b.signedIn({ email: b.demoPerson("amir"), next: "/settings/approval-workflows" });
    await admin.getByRole("heading", { name: "Approval workflows", level: 1 }).waitFor();
    await admin.getByText(/Members with "Approval required" on a channel without a workflow need one approval from anyone with Full publishing/).waitFor();
    await admin.getByRole("button", { name: "New workflow" }).click();
    const dialog = admin.getByRole("dialog", { name: "New approval workflow" });
    await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Client sign-off");
    // A step without approvers is refused before anything is sent.
    await dialog.getByRole("button", { name: "Create workflow" }).click();
    await dialog.getByText("Name at least one approver for this step").waitFor();
    await dialog.getByRole("textbox", { name: /Outside approver's email, step \W*1/ }).fill(client.email);
    await dialog.getByRole("textbox", { name: /Outside approver's name, step \W*1/ }).fill(client.name);
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
    await dialog.getByText(shown(`${client.name} (${client.email}, outside the workspace, by email link)`)).waitFor();
    // The step's error goes once the step has an approver.
    expect(await dialog.getByText("Name at least one approver for this step").count()).toBe(0);
    await dialog.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await noSeriousViolations(admin);
    if (shots) await admin.screenshot({ path: `${shots}/approval-workflow-editor-en.png`, fullPage: true });
    await dialog.getByRole("button", { name: "Create workflow" }).click();
    await dialog.waitFor({ state: "detached" });
    const card = admin.getByRole("region", { name: "Client sign-off" });
    await card.getByText(shown(`Any one of: ${client.name} (${client.email}, outside the workspace, by email link)`)).waitFor();
    await card.getByText(/Channels: .*@emberoak · Sandbox/).waitFor();
    await noSeriousViolations(admin);
    if (shots) await admin.screenshot({ path: `${shots}/approval-workflows-en.png`, fullPage: true });
    // A channel has one workflow: a second one says that choosing @emberoak moves it, and before saving, from where.
    await admin.getByRole("button", { name: "New workflow" }).click();
    const second = admin.getByRole("dialog", { name: "New approval workflow" });
    await second.getByText(shown("Uses “Client sign-off” now: choosing it moves it to this workflow")).waitFor();
    await second.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await second.getByText(shown("Saving moves the chosen channels out of: Client sign-off.")).waitFor();
    await second.getByRole("button", { name: "Cancel" }).click();
    await second.waitFor({ state: "detached" });
    await admin.context().close();

    const words = `New single origin from Huila, roasted this week ${Date.now()}`;
    const postId = await managerSchedules(words);
    expect(await stateOf(postId)).toBe("in_review");

    const link = await mailedLink();
    const page = await signedOut();
    await page.goto(link);
    await page.getByRole("heading", { name: "Approve a post" }).waitFor();
    await page.getByText(/asks you to approve this post before it is published/).filter({ hasText: shown(`Hello ${client.name}:`) }).waitFor();
    const channel = page.locator('[data-channel="emberoak"]');
    await channel.getByText("Sandbox").waitFor();
    await channel.getByText(words).waitFor();
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await page.getByText(new RegExp(`Goes out on .* \\(time zone: \\W*${zone.replace(/[/+]/g, "\\$&")}\\W*\\) once approved`)).waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/external-approval-en.png`, fullPage: true });

    await page.getByRole("textbox", { name: "Comment" }).fill("Looks great, go ahead.");
    await page.getByRole("button", { name: "Approve" }).click();
    await page.getByText("Approved — thank you").waitFor();
    await page.getByText("The post is now scheduled and will go out at its time.").waitFor();
    expect(await stateOf(postId)).toBe("scheduled");

    // The link worked once.
    await page.goto(link);
    await page.getByText("This link no longer works").waitFor();
    await page.getByText(/it was used, revoked or expired/).waitFor();
    await page.getByText(/Ask the person who asked for your approval/).waitFor();
    await noSeriousViolations(page);
    await page.context().close();
  }, 120_000);

  it("rejecting needs a comment, in Persian on a phone; with one, the post goes back to draft", async () => {
    const postId = await managerSchedules(`Weekend cupping at the roastery ${Date.now()}`);
    const link = await mailedLink();
    const page = await signedOut({ locale: "fa-IR", viewport: { width: 390, height: 844 } });
    await page.goto(link);
    await page.getByRole("heading", { name: "تأیید یک پست" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    // Nothing sideways to scroll on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.getByRole("button", { name: "رد", exact: true }).click();
    await page.getByText("بنویسید چرا آن را رد می‌کنید تا نویسنده بتواند پست را تغییر دهد.").waitFor();
    expect(await stateOf(postId)).toBe("in_review");
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/external-approval-reject-fa-phone.png`, fullPage: true });

    await page.getByRole("textbox", { name: "نظر" }).fill("The price is wrong: it is 14 euros, not 12.");
    await page.getByRole("button", { name: "رد", exact: true }).click();
    await page.getByText("رد شد", { exact: true }).waitFor();
    expect(await stateOf(postId)).toBe("draft");
    if (shots) await page.screenshot({ path: `${shots}/external-approval-rejected-fa-phone.png`, fullPage: true });
    await page.context().close();

    // The workflows page in Persian, on a phone: the editor opens full screen with the existing workflow.
    const admin = await b.signedIn({ email: b.demoPerson("amir"), next: "/settings/approval-workflows", viewport: { width: 390, height: 844 } });
    await b.setLanguage(admin, "fa");
    await admin.reload();
    await admin.getByRole("heading", { name: "روندهای تأیید", level: 1 }).waitFor();
    await admin.getByRole("button", { name: shown("ویرایش Client sign-off") }).click();
    await admin.getByRole("dialog").getByText(shown(`${client.name} (${client.email}، بیرون از فضای کار، با پیوند ایمیلی)`)).waitFor();
    expect(await admin.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await noSeriousViolations(admin);
    if (shots) await admin.screenshot({ path: `${shots}/approval-workflow-editor-fa-phone.png`, fullPage: true });
    await admin.context().close();
  }, 120_000);
});
