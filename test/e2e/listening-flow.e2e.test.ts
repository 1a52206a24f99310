import AxeBuilder from "@axe-core/playwright";
import { and, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";
import { listeningAlerts, listeningSources, listeningStreams } from "../../src/server/domains/listening/listening.schema";
import { unsafeJudgeStreams } from "../../src/server/domains/listening/alerts/judge-streams";
import { createSandboxPost, findSandboxAccount } from "../../src/server/networks/sandbox/network";

/**
 * Listening from end to end, in a browser, on the demo workspace with the worker running (its source runner reads the
 * Sandbox's live stream through the brand's channel and feeds the pipeline): the social media manager writes a
 * stream in the editor; the owner starts the viral complaint scenario on the Sandbox page and plays its ticks; the
 * scenario's posts arrive in the new stream's column; the judging job (the worker's `listening.judge-streams`, also
 * called here so the test does not wait for its schedule) raises a spike alert on the demo's brand stream against
 * its hour-of-week history; the manager sees the open-alert count, opens the alert and reads its evidence.
 */
describe.skipIf(!canRunBrowser)("listening from a running scenario to a spike alert", () => {
  const b = useBrowser("listening-flow", { PARAPET_SERVICES: "web,worker" });
  const shots = b.shots;

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  it("a stream created in the editor fills from the viral complaint scenario, and the spike alert arrives with its evidence", async () => {
    const services = b.server.services;
    const db = services.database.db;

    // The manager writes a stream.
    const page = await b.signedIn({ email: b.demoPerson("sofia"), next: "/listening" });
    await page.getByRole("heading", { name: "Streams", level: 1 }).waitFor();
    await page.getByRole("link", { name: "New stream" }).click();
    await page.waitForURL((url) => url.pathname === "/listening/streams/new");
    await page.getByLabel("Name").fill("Mould reports");
    await page.getByRole("textbox", { name: "Query" }).fill("@emberoak (mould* OR batch OR Schimmel)");
    await page.getByTestId("query-explanation").waitFor();
    await noSeriousViolations(page);
    await page.getByRole("button", { name: "Create stream" }).click();
    await page.waitForURL((url) => url.pathname === "/listening");
    const column = page.getByRole("region", { name: "Mould reports" });
    await column.getByText("Nothing heard yet", { exact: false }).waitFor();

    const me = (await page.evaluate(async () => (await fetch("/api/v1/me")).json())) as { workspace: { id: string } };
    const workspaceId = me.workspace.id;
    // The worker's source runner is reading the Sandbox's live stream once a post that no stream wants moves the
    // demo source's cursor (it starts from the newest post when it connects).
    const probeBy = (await findSandboxAccount(db, "maya_collins"))!.id;
    const connected = async () => (await db.select({ cursor: listeningSources.cursor }).from(listeningSources).where(eq(listeningSources.workspaceId, workspaceId)))[0]?.cursor != null;
    await expect
      .poll(
        async () => {
          if (await connected()) return true;
          await createSandboxPost(db, probeBy, { text: "just a walk in the park", lang: "en", createdAt: new Date() });
          return false;
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(true);

    // The owner starts the scenario on the Sandbox page and plays its ticks.
    const owner = await b.signedIn({ next: "/settings/sandbox" });
    await owner.getByRole("heading", { level: 1, name: "Sandbox" }).waitFor();
    const row = owner.getByRole("row").filter({ hasText: "Viral complaint" });
    await row.getByRole("button", { name: /^Start .{0,2}Viral complaint.{0,2}$/ }).click();
    await owner.getByRole("dialog", { name: /Start .{0,3}Viral complaint/ }).getByRole("button", { name: "Start" }).click();
    await row.getByText("Playing").waitFor();
    const ticksPlayed = async () => Number(/(\d+)\D{0,2} of \D{0,2}5\D{0,2} ticks/.exec((await row.textContent()) ?? "")?.[1] ?? -1);
    // The worker may play a due tick itself meanwhile; either way every tick is played once.
    for (let round = 0; round < 10 && (await ticksPlayed()) < 5; round++) {
      const before = await ticksPlayed();
      const play = row.getByRole("button", { name: /^Play the next tick of .{0,2}Viral complaint.{0,2}$/ });
      if (!(await play.count())) break;
      await play.click();
      await expect.poll(ticksPlayed, { timeout: 30_000 }).toBeGreaterThan(before);
    }
    await expect.poll(ticksPlayed, { timeout: 30_000 }).toBe(5);
    await noSeriousViolations(owner);
    if (shots) await owner.screenshot({ path: `${shots}/flow-sandbox-en.png`, fullPage: true });

    // The scenario's posts arrive in the manager's column.
    await expect
      .poll(
        async () => {
          await page.reload();
          await column.waitFor();
          return (await column.getByText("MOULDY", { exact: false }).count()) > 0 && (await column.getByText("Schimmel", { exact: false }).count()) > 0;
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe(true);
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/flow-board-en.png`, fullPage: true });

    // The judging job: a window is judged once its minutes are over, so within about a minute of the last post the
    // brand stream's volume stands out against its hour-of-week history.
    const [brand] = await db.select().from(listeningStreams).where(and(eq(listeningStreams.workspaceId, workspaceId), eq(listeningStreams.name, "Ember & Oak")));
    // Only spikes raised now: the demo ships the spike of its drill twelve days ago (resolved).
    const spikes = async () => db.select().from(listeningAlerts).where(and(eq(listeningAlerts.workspaceId, workspaceId), eq(listeningAlerts.kind, "spike"), eq(listeningAlerts.status, "open")));
    await expect
      .poll(
        async () => {
          await unsafeJudgeStreams(services);
          return (await spikes()).map((a) => a.streamId);
        },
        { timeout: 150_000, interval: 5_000 },
      )
      .toEqual([brand.id]);
    // The batch number is a critical term of the demo's Complaints stream: a keyword alert there too.
    const [complaints] = await db.select().from(listeningStreams).where(and(eq(listeningStreams.workspaceId, workspaceId), eq(listeningStreams.name, "Complaints")));
    const keyword = await db.select().from(listeningAlerts).where(and(eq(listeningAlerts.workspaceId, workspaceId), eq(listeningAlerts.kind, "keyword")));
    expect(keyword.map((a) => [a.streamId, (a.evidence as { facts: { evidence: { term: string } } }).facts.evidence.term])).toEqual([[complaints.id, "HB-0923"]]);

    // The manager sees it arrive, opens it and reads the evidence.
    await page.reload();
    await page.getByRole("navigation").getByTestId("open-alerts-count").waitFor();
    await page.getByRole("navigation").getByRole("link", { name: /^Alerts/ }).click();
    await page.getByRole("heading", { name: "Alerts", level: 1 }).waitFor();
    // Newest first: the open spike comes before the demo drill's resolved one.
    const link = page.getByTestId("alert-row").filter({ hasText: "Spike" }).getByRole("link", { name: /Ember & Oak/ }).first();
    await link.waitFor();
    await page.mouse.move(700, 900); // not hovering the nav link (hover darkens the active link's background)
    await noSeriousViolations(page);
    await link.click();
    await page.getByTestId("alert-status").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toMatch(/^Spike on .+Ember & Oak.+$/);
    await page.getByText(/\d+\W* mentions in 15 minutes; usually .+ \W*at this hour of the week/).waitFor();
    await page.getByRole("heading", { name: "First posts of the spike" }).waitFor();
    // Every complaint of the scenario is its own text: no list of "repeated" posts that were each posted once.
    await page.getByTestId("repeated-posts").getByText("No text was repeated: each post in the spike is its own.").waitFor();
    expect(await page.getByTestId("repeated-posts").getByRole("article").count()).toBe(0);
    await page.getByText("Opened a sealed bag of @emberoak Hearth", { exact: false }).first().waitFor();
    expect(await page.getByTestId("alert-status").textContent()).toBe("Open");
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/flow-alert-en.png`, fullPage: true });

    // The critical-term alert says in how many new mentions the term was used, in words that fit the number.
    const termCount = Number((keyword[0]!.evidence as { count?: number }).count ?? 1);
    await page.goto(`${b.server.url}/listening/alerts/${keyword[0]!.id}`);
    await page.getByTestId("alert-status").waitFor();
    const termLine = termCount === 1 ? /was used in \W*1\W* new mention of this stream\./ : new RegExp(`was used in \\W*${termCount}\\W* new mentions of this stream\\.`);
    await page.getByText(termLine).waitFor();
  }, 420_000);
});
