import AxeBuilder from "@axe-core/playwright";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { mailOutbox } from "../../src/server/mail/mail.schema";
import { apiAs, canRunBrowser, useBrowser } from "../support/browser";

/**
 * Autosaved drafts and internal comments in a browser, on the demo workspace. The social media manager (sofia) writes a
 * new post: it becomes a draft by itself and survives a reload; two tabs editing it get the choice instead of
 * overwriting each other; with the server unreachable the text stays on the device and is saved when it is back. Then
 * comments beside the composer: an @mention of the legal reviewer (greta, Read only) picked from the suggestions, who is
 * mailed, reads it on the post's page and answers; edit and delete one's own.
 */
describe.skipIf(!canRunBrowser)("autosaved drafts and comments in a browser", () => {
  const b = useBrowser("autosave");
  const shots = b.shots;
  const person = (local: string) => b.demoPerson(local);
  const editPath = /^\/publishing\/posts\/([0-9a-f-]+)\/edit$/;

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  const status = (page: Page) => page.getByTestId("autosave-status");
  const textBox = (page: Page) => page.getByRole("textbox", { name: "Text", exact: true });

  /** Sofia starts a new post on @emberoak and types `words`; answers her page once the draft is saved, and its id. */
  async function newDraft(words: string) {
    const page = await b.signedIn({ email: person("sofia"), next: "/publishing/new" });
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    await status(page).getByText("Drafts save by themselves as you type.").waitFor();
    await textBox(page).pressSequentially(words.slice(0, 12));
    await textBox(page).fill(words);
    await expect.poll(() => status(page).getAttribute("data-state"), { timeout: 15_000 }).toBe("saved");
    await status(page).getByText(/^Saved \W*\d/).waitFor();
    const postId = editPath.exec(new URL(page.url()).pathname)?.[1];
    expect(postId, "the address becomes the draft's").toBeTruthy();
    return { page, postId: postId! };
  }

  it("a new post becomes a draft as it is typed, and is there after a reload; it was never scheduled", async () => {
    const words = `Harvest notes from Huila ${Date.now()}`;
    const { page, postId } = await newDraft(words);
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/autosave-composer-en.png`, fullPage: true });
    await page.reload();
    await expect.poll(() => textBox(page).inputValue()).toBe(words);
    expect(await page.getByTestId("autosave-offer").count()).toBe(0);
    const saved = await apiAs(page, "GET", `/posts/${postId}`);
    expect(saved.body).toMatchObject({ text: words, state: "draft", scheduledAt: null });
    expect(saved.body.targets.map((t: { status: string }) => t.status)).toEqual(["draft"]);
    // More typing is saved after a pause; the history shows one edit, not one per save.
    await textBox(page).fill(`${words} — washed, 1,700 m`);
    await expect.poll(() => status(page).getAttribute("data-state"), { timeout: 15_000 }).toBe("saved");
    await textBox(page).fill(`${words} — washed, 1,750 m`);
    await expect.poll(async () => (await apiAs(page, "GET", `/posts/${postId}`)).body.text, { timeout: 15_000 }).toBe(`${words} — washed, 1,750 m`);
    const history = (await apiAs(page, "GET", `/posts/${postId}`)).body.history.map((e: { type: string }) => e.type);
    expect(history).toEqual(["created", "edited"]);
  }, 120_000);

  it("two tabs editing the same draft get the choice instead of overwriting each other", async () => {
    const words = `Two tabs ${Date.now()}`;
    const { page: first, postId } = await newDraft(words);
    const second = await first.context().newPage();
    await second.goto(first.url());
    await expect.poll(() => textBox(second).inputValue()).toBe(words);
    await textBox(first).fill(`${words}: first tab's ending`);
    await expect.poll(() => status(first).getAttribute("data-state"), { timeout: 15_000 }).toBe("saved");
    await textBox(second).fill(`${words}: second tab's ending`);
    const conflict = second.getByTestId("autosave-conflict");
    await conflict.waitFor({ timeout: 15_000 });
    await conflict.getByText("This draft was changed somewhere else").waitFor();
    await conflict.getByText(/^\W*Sofia Greco\W* saved version \W*\d+\W* at .* while you were editing/).waitFor();
    await conflict.getByText(`${words}: first tab's ending`).waitFor();
    await noSeriousViolations(second);
    if (shots) await second.screenshot({ path: `${shots}/autosave-conflict-en.png`, fullPage: true });
    // Nothing was overwritten.
    expect((await apiAs(second, "GET", `/posts/${postId}`)).body.text).toBe(`${words}: first tab's ending`);
    await conflict.getByRole("button", { name: "Keep mine as a new draft" }).click();
    await second.getByText("Your version is saved as a new draft; the other one stays as it was.").waitFor();
    await second.waitForURL((url) => editPath.test(url.pathname) && !url.pathname.includes(postId));
    const copyId = editPath.exec(new URL(second.url()).pathname)![1];
    await expect.poll(() => textBox(second).inputValue()).toBe(`${words}: second tab's ending`);
    expect((await apiAs(second, "GET", `/posts/${copyId}`)).body).toMatchObject({ text: `${words}: second tab's ending`, state: "draft" });
    expect((await apiAs(second, "GET", `/posts/${postId}`)).body.text).toBe(`${words}: first tab's ending`);

    // The first tab, still on the original, is told when it saves next; it loads the other version.
    await textBox(first).fill(`${words}: first tab again`);
    await expect.poll(() => status(first).getAttribute("data-state"), { timeout: 15_000 }).toBe("saved");
    await second.goto(first.url());
    await textBox(second).fill(`${words}: second tab on the original`);
    await expect.poll(() => status(second).getAttribute("data-state"), { timeout: 15_000 }).toBe("saved");
    await textBox(first).fill(`${words}: first tab, stale`);
    await first.getByTestId("autosave-conflict").waitFor({ timeout: 15_000 });
    await first.getByRole("button", { name: "Load their version (discard mine)" }).click();
    await expect.poll(() => textBox(first).inputValue()).toBe(`${words}: second tab on the original`);
    expect(await first.getByTestId("autosave-conflict").count()).toBe(0);
  }, 120_000);

  it("with the server unreachable the text stays on the device, is saved when it is back, and is offered again after a reload", async () => {
    const words = `Offline ${Date.now()}`;
    const { page, postId } = await newDraft(words);
    const cutOff = async () => page.route("**/api/v1/posts/**", (route) => (route.request().method() === "PUT" ? route.abort("internetdisconnected") : route.continue()));
    await cutOff();
    await textBox(page).fill(`${words} written on a train`);
    await expect.poll(() => status(page).getAttribute("data-state"), { timeout: 15_000 }).toBe("offline");
    await status(page).getByText(/^Offline — not saved yet\./).waitFor();
    const kept = await page.evaluate((id) => Object.entries(localStorage).find(([key]) => key.endsWith(`.${id}`))?.[1] ?? null, postId);
    expect(JSON.parse(kept ?? "{}").body?.text).toBe(`${words} written on a train`);
    if (shots) await page.screenshot({ path: `${shots}/autosave-offline-en.png`, fullPage: true });
    expect((await apiAs(page, "GET", `/posts/${postId}`)).body.text).toBe(words);
    // Back online: the retry saves it by itself.
    await page.unroute("**/api/v1/posts/**");
    await expect.poll(() => status(page).getAttribute("data-state"), { timeout: 20_000 }).toBe("saved");
    expect((await apiAs(page, "GET", `/posts/${postId}`)).body.text).toBe(`${words} written on a train`);

    // Offline again, and the page is left before the pause is over: opened again, nothing typed is lost (the browser
    // sends it on the way out, or the copy on the device is offered back).
    const context = page.context();
    await context.setOffline(true);
    await textBox(page).fill(`${words} written in a tunnel`);
    await expect.poll(() => status(page).getAttribute("data-state"), { timeout: 15_000 }).toBe("offline");
    const address = page.url();
    await page.goto("about:blank");
    await context.setOffline(false);
    await page.goto(address);
    await textBox(page).waitFor();
    if (await page.getByTestId("autosave-offer").count()) await page.getByRole("button", { name: "Restore my changes" }).click();
    await expect.poll(() => textBox(page).inputValue()).toBe(`${words} written in a tunnel`);
    await expect.poll(async () => (await apiAs(page, "GET", `/posts/${postId}`)).body.text, { timeout: 15_000 }).toBe(`${words} written in a tunnel`);

    // A text the server refuses (too long for @emberoak) is not saved, says why, and is kept on the device: after a
    // reload it is offered back.
    const tooLong = `${words} ${"very ".repeat(110)}long`;
    await textBox(page).fill(tooLong);
    await expect.poll(() => status(page).getAttribute("data-state"), { timeout: 15_000 }).toBe("refused");
    await status(page).getByText(/^Not saved: .* Your changes are kept on this device\.$/).waitFor();
    await page.reload();
    const offer = page.getByTestId("autosave-offer");
    await offer.getByText("Unsaved changes on this device").waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/autosave-restore-en.png`, fullPage: true });
    expect(await textBox(page).inputValue()).toBe(`${words} written in a tunnel`);
    await offer.getByRole("button", { name: "Restore my changes" }).click();
    await expect.poll(() => textBox(page).inputValue()).toBe(tooLong);
    expect((await apiAs(page, "GET", `/posts/${postId}`)).body.text).toBe(`${words} written in a tunnel`);
  }, 120_000);

  it("a scheduled post is not saved by itself: the composer says why", async () => {
    const words = `Scheduled ${Date.now()}`;
    const { page, postId } = await newDraft(words);
    const at = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const current = (await apiAs(page, "GET", `/posts/${postId}`)).body;
    const scheduled = await apiAs(page, "PUT", `/posts/${postId}`, { text: words, channels: current.targets.map((t: { channelId: string }) => ({ channelId: t.channelId })), scheduledAt: at, version: current.version });
    expect(scheduled.status).toBe(200);
    await page.reload();
    await expect.poll(() => status(page).getAttribute("data-state")).toBe("off");
    expect((await status(page).textContent())?.replace(/[\u2066-\u2069]/g, "")).toMatch(/^This post is scheduled: changes are not saved by themselves/);
    await textBox(page).fill(`${words} changed`);
    await page.waitForTimeout(2500);
    expect((await apiAs(page, "GET", `/posts/${postId}`)).body).toMatchObject({ text: words, state: "scheduled", version: scheduled.body.version });
  }, 120_000);

  it("comments beside the composer: @mention someone who can see the post, who is mailed, reads it on the post's page and answers; edit and delete one's own", async () => {
    const words = `Comment on this ${Date.now()}`;
    const { page, postId } = await newDraft(words);
    const panel = page.getByRole("region", { name: "Internal comments" });
    await panel.getByText("No comments yet.").waitFor();
    const box = panel.getByRole("textbox", { name: "Add a comment" });
    await box.click();
    await box.pressSequentially("Legal check please @gre");
    const option = panel.getByRole("option", { name: /Greta Hoffmann/ });
    await option.waitFor();
    await box.press("Enter");
    await expect.poll(() => box.inputValue()).toBe("Legal check please @Greta Hoffmann ");
    await box.pressSequentially("is the farm name ok?");
    await panel.getByText(/^Will notify: \W*Greta Hoffmann\W*$/).waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/comments-composer-en.png`, fullPage: true });
    await panel.getByRole("button", { name: "Comment", exact: true }).click();
    await page.getByText(/^Comment saved; \W*Greta Hoffmann\W* will get an email$/).waitFor();
    const comment = panel.getByTestId("comment").first();
    await comment.getByText("Sofia Greco").waitFor();
    await comment.getByText(/^on version \W*\d+\W*$/).waitFor();
    const mails = await b.server.services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, person("greta")));
    const mention = mails.find((m) => m.text.includes("is the farm name ok?"));
    expect(mention?.subject).toBe("Sofia Greco mentioned you in a comment on a post");
    expect(mention?.text).toContain(`/posts/${postId}`);

    // Refused when someone who cannot see the post is named (the API: the page only offers those who can).
    const members = (await apiAs(page, "GET", "/workspace/members")).body.members as Array<{ userId: string; email: string }>;
    const lucia = members.find((m) => m.email === person("lucia"))!;
    const refused = await apiAs(page, "POST", `/posts/${postId}/comments`, { body: "@Lucia", mentions: [lucia.userId] });
    expect([refused.status, refused.body.error.code]).toEqual([422, "mention_not_allowed"]);

    // Greta (Legal, Read only) reads it on the post's page, answers, and cannot change Sofia's comment.
    const greta = await b.signedIn({ email: person("greta"), next: `/publishing/posts/${postId}` });
    const gretaPanel = greta.getByRole("region", { name: "Internal comments" });
    await gretaPanel.getByText("Legal check please").waitFor();
    expect(await gretaPanel.getByRole("button", { name: "Edit" }).count()).toBe(0);
    await gretaPanel.getByRole("textbox", { name: "Add a comment" }).fill("Fine by legal.");
    await gretaPanel.getByRole("button", { name: "Comment", exact: true }).click();
    await gretaPanel.getByText("Fine by legal.").waitFor();
    await noSeriousViolations(greta);
    if (shots) await greta.screenshot({ path: `${shots}/comments-post-page-en.png`, fullPage: true });

    // Sofia edits her comment, then deletes it.
    await page.reload();
    await panel.getByText("Fine by legal.").waitFor();
    const mine = panel.getByTestId("comment").filter({ hasText: "Legal check please" });
    await mine.getByRole("button", { name: "Edit" }).click();
    await mine.getByRole("textbox", { name: "Edit your comment" }).fill("Legal check please @Greta Hoffmann: is the farm name and altitude ok?");
    await mine.getByRole("button", { name: "Save" }).click();
    await panel.getByText(/altitude ok\?/).waitFor();
    await panel.getByTestId("comment").filter({ hasText: "altitude" }).getByText(/· edited/).waitFor();
    await panel.getByTestId("comment").filter({ hasText: "altitude" }).getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await page.getByText("Comment deleted").waitFor();
    await expect.poll(() => panel.getByText(/altitude ok\?/).count()).toBe(0);
    expect((await apiAs(page, "GET", `/posts/${postId}/comments`)).body.comments.map((c: { body: string }) => c.body)).toEqual(["Fine by legal."]);

    // In Persian, right to left.
    await b.setLanguage(page, "fa");
    await page.reload();
    await page.getByRole("region", { name: "یادداشت‌های داخلی" }).getByText("Fine by legal.").waitFor();
    await page.getByTestId("autosave-status").waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/comments-composer-fa.png`, fullPage: true });
    await b.setLanguage(greta, "fa");
    await greta.reload();
    await greta.getByRole("region", { name: "یادداشت‌های داخلی" }).getByText("Fine by legal.").waitFor();
    if (shots) await greta.screenshot({ path: `${shots}/comments-post-page-fa.png`, fullPage: true });
    await b.setLanguage(page, "en");
  }, 120_000);
});
