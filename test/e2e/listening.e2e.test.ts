import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";
import { createListeningPipeline, type ListeningPipeline } from "../../src/server/domains/listening/pipeline";
import { listeningSources } from "../../src/server/domains/listening/listening.schema";

/**
 * Streams and mentions in a browser, on the demo workspace: the owner writes a stream in the editor (a bad query is
 * underlined where it goes wrong, with the message beside it; the fixed query shows its explanation), saves it, and
 * sees its column; posts arrive through the listening pipeline as a source submits them; the column shows the
 * matching ones (not the others), and a person corrects one's sentiment from its menu. Then the board, the editor
 * and the mention list in Persian (right to left).
 */
describe.skipIf(!canRunBrowser)("listening streams and mentions in a browser", () => {
  const b = useBrowser("listening");
  const shots = b.shots;
  let pipeline: ListeningPipeline | undefined;
  afterAll(async () => {
    await pipeline?.close();
  });

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  it("creates a stream in the editor, sees matching posts arrive in its column and corrects one's sentiment", async () => {
    const page = await b.signedIn({ next: "/listening" });
    await page.getByRole("heading", { name: "Streams", level: 1 }).waitFor();
    await page.getByRole("navigation").getByRole("link", { name: "Mentions" }).waitFor();
    await page.getByRole("link", { name: "New stream" }).click();
    await page.waitForURL((url) => url.pathname === "/listening/streams/new");

    await page.getByLabel("Name").fill("Kettle trouble");
    const query = page.getByRole("textbox", { name: "Query" });
    await query.fill("kettle AND (broken OR");
    // Underlined where the parser stopped, the message beside it.
    const span = page.getByTestId("query-error-span");
    await span.waitFor();
    await expect.poll(async () => page.getByTestId("query-error").textContent(), { timeout: 15_000 }).toMatch(/At character \W*20\W*: OR needs a term on both sides$/);
    expect(await span.textContent()).toBe("OR");
    expect(await query.getAttribute("aria-invalid")).toBe("true");
    if (shots) await page.screenshot({ path: `${shots}/listening-editor-error-en.png`, fullPage: true });

    await query.fill("kettle (broken OR leaking OR leaks) -giveaway");
    await page.getByTestId("query-explanation").waitFor();
    await expect.poll(async () => page.getByTestId("query-error").count(), { timeout: 15_000 }).toBe(0);
    await page.getByText(/^Looked at \W*\d+\W* stored mentions? of the last 7 days\.$/).waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/listening-editor-en.png`, fullPage: true });
    await page.getByRole("button", { name: "Create stream" }).click();
    await page.waitForURL((url) => url.pathname === "/listening");
    const column = page.getByRole("region", { name: "Kettle trouble" });
    await column.getByText("Nothing heard yet", { exact: false }).waitFor();
    // The new column is last on the board, which scrolls sideways: it is scrolled into view.
    await expect
      .poll(async () => column.getByRole("heading", { name: "Kettle trouble" }).evaluate((el) => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; }), { timeout: 5_000 })
      .toBe(true);

    // A source hands posts to the pipeline, as the sources runner does.
    const me = (await page.evaluate(async () => (await fetch("/api/v1/me")).json())) as { workspace: { id: string } };
    const db = b.server.services.database.db;
    const [source] = await db.insert(listeningSources).values({ workspaceId: me.workspace.id, kind: "network_stream", name: "Sandbox (test)" }).returning();
    pipeline = createListeningPipeline(b.server.services, { workers: 0, refreshMs: 0 });
    const now = Date.now();
    const post = (id: string, text: string, handle: string, lang: string | null, minutesAgo: number) => ({
      network: "sandbox",
      receivedAt: new Date(),
      post: {
        networkPostId: id, text, lang, url: null, createdAt: new Date(now - minutesAgo * 60_000).toISOString(),
        author: { networkAccountId: handle, handle, displayName: handle.replace(/_/g, " ") },
      },
    });
    const outcome = await pipeline.submit({
      workspaceId: me.workspace.id,
      sourceId: source.id,
      position: { cursor: "3", lastItemAt: new Date(now - 4 * 60_000) },
      posts: [
        post("e2e-1", "My Copper Kettle arrived broken and nobody answers. Really disappointed.", "tom_hargreaves", "en", 5),
        post("e2e-2", "Der Kettle leaks seit gestern, schade.", "lena_vogt", "de", 3),
        post("e2e-3", "Free kettle giveaway!!! broken links inside", "free_kettles", "en", 2),
        post("e2e-4", "Lovely morning with the new Hearth blend", "maya_collins", "en", 1),
      ],
    });
    // The demo's own streams may match some of them too; this stream's column shows exactly its two.
    expect(outcome).toMatchObject({ received: 4, shed: 0 });

    await page.reload();
    const mentions = column.getByTestId("mention");
    await expect.poll(async () => mentions.count(), { timeout: 15_000 }).toBe(2);
    await column.getByText("Der Kettle leaks seit gestern, schade.").waitFor();
    await column.getByText(/^\W*2\W* mentions in 24 h$/).waitFor();
    expect(await column.getByText("Free kettle giveaway", { exact: false }).count()).toBe(0);

    const tom = column.getByRole("article", { name: /tom hargreaves/ });
    await tom.getByText(/^\u2068?@tom_hargreaves\u2069? · Sandbox$/).waitFor(); // the handle isolated: "@" stays before it in Persian
    await tom.getByText("English").waitFor();
    // The source says how far behind it is (its newest post was 4 minutes old when handled), and can be restarted.
    const sourceRow = page.getByTestId("source-row").filter({ hasText: "Sandbox (test)" });
    await sourceRow.getByText(/^\W*4\W* min behind$/).waitFor();
    await sourceRow.getByText("Running").waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/listening-board-en.png`, fullPage: true });
    await sourceRow.getByRole("button", { name: "Restart" }).click();
    await page.getByText("restarts from where it stopped", { exact: false }).waitFor();

    const before = await tom.locator(".mantine-Badge-root").first().textContent();
    const target = before?.startsWith("Positive") ? "Neutral" : "Positive";
    await tom.getByRole("button", { name: /^Correct the mention by/ }).click();
    await page.getByRole("menuitem", { name: new RegExp(`^Mark as \\W*${target}\\W*$`) }).click();
    await page.getByText("Correction saved", { exact: false }).waitFor();
    await tom.getByText(`${target} · corrected`).waitFor();

    // Kept: the server says so too, with who corrected it.
    const stored = (await page.evaluate(async () => (await fetch("/api/v1/listening/mentions?q=Copper")).json())) as { mentions: Array<{ sentiment: string; sentimentCorrected: boolean; correctedBy: { name: string } | null }> };
    expect(stored.mentions[0]).toMatchObject({ sentiment: target.toLowerCase(), sentimentCorrected: true });
    expect(stored.mentions[0].correctedBy).not.toBeNull();

    // The mention list, filtered in the address.
    await page.getByRole("link", { name: /^All mentions of \W*Kettle trouble\W*$/ }).click();
    await page.waitForURL((url) => url.pathname === "/listening/mentions");
    await expect.poll(async () => page.getByTestId("mention").count(), { timeout: 15_000 }).toBe(2);
    await page.goto(`${new URL(page.url()).origin}/listening/mentions${new URL(page.url()).search}&lang=de`);
    await expect.poll(async () => page.getByTestId("mention").count(), { timeout: 15_000 }).toBe(1);
    await page.getByText("Der Kettle leaks seit gestern, schade.").waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/listening-mentions-en.png`, fullPage: true });

    // In Persian, right to left.
    await b.setLanguage(page, "fa");
    await page.goto(`${new URL(page.url()).origin}/listening`);
    await page.getByRole("heading", { name: "جریان‌ها", level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await page.getByRole("region", { name: "Kettle trouble" }).getByTestId("mention").first().waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/listening-board-fa.png`, fullPage: true });
    await page.getByRole("link", { name: /^ویرایش \W*Kettle trouble\W*$/ }).click();
    await page.getByRole("textbox", { name: "پرس‌وجو" }).fill("kettle lang:");
    await page.getByTestId("query-error-span").waitFor();
    await expect.poll(async () => page.getByTestId("query-error").textContent(), { timeout: 15_000 }).toContain("این فیلد درست پس از دونقطه");
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/listening-editor-fa.png`, fullPage: true });
  }, 240_000);
});
