import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase } from "../../../../test/support/databases";
import type { Database } from "../../db/client";
import type { Connector, InboxItem } from "../types";
import { createSandboxConnector } from "./connector";
import { runScenarioTick, SANDBOX_SCENARIOS, type SandboxScenario } from "./scenarios";
import { seedSandboxNetwork } from "./seed";

describeEachDatabase("Sandbox scenarios", (kind) => {
  let database: Database;
  let sandbox: Connector;
  let now = new Date("2026-05-04T09:00:00Z");
  const minuteLater = () => (now = new Date(now.getTime() + 60_000));

  const activity = async () =>
    (await database.query<{ n: number }>(
      "select (select count(*) from sandbox_posts) + (select count(*) from sandbox_direct_messages) + (select count(*) from sandbox_reactions) as n",
      [],
    ))[0].n * 1;
  const playToEnd = async (scenario: SandboxScenario, run?: string) => {
    const added: number[] = [];
    for (let tick = 0; tick < 50; tick++) {
      const result = await runScenarioTick(database.db, scenario, minuteLater(), { run });
      added.push(result.added);
      if (result.finished) return added;
    }
    throw new Error("the scenario never finished");
  };
  const inboxFrom = async (handle: string, cursor: string | null) => {
    const brand = await sandbox.connect({ kind: "sandbox", handle });
    const items: InboxItem[] = [];
    for (;;) {
      const page = await sandbox.fetchInbox!(brand.credentials, cursor);
      if (page.items.length === 0) return { items, cursor };
      items.push(...page.items);
      cursor = page.cursor;
    }
  };

  beforeAll(async () => {
    database = await freshDatabase(kind);
    sandbox = createSandboxConnector(database.db, () => now);
    await seedSandboxNetwork(database.db, now);
  });
  afterAll(() => database.close());

  it("plays every scenario tick by tick to its end, each tick adding what it lists", async () => {
    for (const scenario of Object.values(SANDBOX_SCENARIOS)) {
      const before = await activity();
      const added = await playToEnd(scenario);
      expect(added, scenario.id).toEqual(scenario.ticks.map((tick) => tick.length));
      expect((await activity()) - before, scenario.id).toBe(scenario.ticks.flat().length);
    }
  });

  it("adds nothing once a scenario has finished, and plays it again under a new run", async () => {
    const scenario = SANDBOX_SCENARIOS.steady_chatter;
    const before = await activity();
    expect(await runScenarioTick(database.db, scenario, minuteLater())).toEqual({ added: 0, finished: true, ticksPlayed: scenario.ticks.length });
    expect(await activity()).toBe(before);
    await playToEnd(scenario, "second");
    expect((await activity()) - before).toBe(scenario.ticks.flat().length);
  });

  it("a viral complaint reaches the brand's inbox as a burst in its first tick, and more follows", async () => {
    const { cursor: start } = await inboxFrom("emberoak", null);
    let cursor = start;
    const perTick: number[] = [];
    for (;;) {
      const tick = await runScenarioTick(database.db, SANDBOX_SCENARIOS.viral_complaint, minuteLater(), { run: "inbox" });
      const page = await inboxFrom("emberoak", cursor);
      perTick.push(page.items.length);
      cursor = page.cursor;
      if (tick.finished) break;
    }
    // Ten mentions at once: the brand stream's spike needs no more (medium level), so it shows within a minute or two.
    expect(perTick[0]).toBeGreaterThanOrEqual(10);
    expect(perTick.slice(1).filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    expect(perTick.reduce((a, b) => a + b)).toBeGreaterThan(15);
  });

  it("an impostor giveaway brings questions about it to the brand, by post and by message", async () => {
    const { cursor } = await inboxFrom("emberoak_support", null);
    await playToEnd(SANDBOX_SCENARIOS.impostor_giveaway, "questions");
    const { items } = await inboxFrom("emberoak_support", cursor);
    expect(items.find((item) => item.kind === "direct_message")?.text).toContain("@emberoak_giveaway");
    const mentions = (await inboxFrom("emberoak", null)).items.filter((item) => item.author.handle === "emberoak_giveaway");
    expect(mentions.length).toBeGreaterThanOrEqual(2);
  });

  it("hacked-account spam is published as the brand account itself", async () => {
    await playToEnd(SANDBOX_SCENARIOS.hacked_account_spam, "search");
    const brand = await sandbox.connect({ kind: "sandbox", handle: "emberoak" });
    const found = await sandbox.search!(brand.credentials, "emberoak-crypto.example", null);
    expect(found.items.length).toBeGreaterThanOrEqual(3);
    expect(new Set(found.items.map((item) => item.author.handle))).toEqual(new Set(["emberoak_support"]));
  });

  it("refuses to play when an account it needs is missing, and says to seed the Sandbox", async () => {
    const needsStranger: SandboxScenario = { ...SANDBOX_SCENARIOS.steady_chatter, ticks: [[{ key: "hello", post: { by: "nobody_here", lang: "en", text: "Hi" } }]] };
    await expect(runScenarioTick(database.db, needsStranger, now)).rejects.toThrow(/@nobody_here: seed the Sandbox first/);
  });
});
