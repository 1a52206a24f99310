import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase } from "../../../../test/support/databases";
import type { Database } from "../../db/client";
import { networkFailure } from "../contract";
import type { Connector, InboxItem } from "../types";
import { createSandboxConnector } from "./connector";
import { sandboxAccounts } from "./sandbox.schema";
import { SANDBOX_BRAND_HANDLES, SANDBOX_IMPOSTOR_HANDLES, seedSandboxNetwork } from "./seed";

describeEachDatabase("seeding the Sandbox", (kind) => {
  let database: Database;
  let sandbox: Connector;
  const now = new Date("2026-05-04T09:00:00Z");

  const counts = async () => {
    const tables = ["sandbox_accounts", "sandbox_posts", "sandbox_direct_messages", "sandbox_reactions"];
    return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, (await database.query<{ n: number }>(`select count(*)::int as n from ${table}`, []))[0].n])));
  };
  const wholeInbox = async (handle: string) => {
    const brand = await sandbox.connect({ kind: "sandbox", handle });
    const items: InboxItem[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await sandbox.fetchInbox!(brand.credentials, cursor);
      if (page.items.length === 0) return items;
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

  it("creates the brand's three accounts, two impostors and an audience writing in seven languages", async () => {
    const accounts = await database.db.select().from(sandboxAccounts);
    const handlesOf = (kind: string) => accounts.filter((account) => account.kind === kind).map((account) => account.handle).sort();
    expect(handlesOf("brand")).toEqual([...SANDBOX_BRAND_HANDLES].sort());
    expect(handlesOf("impostor")).toEqual([...SANDBOX_IMPOSTOR_HANDLES].sort());
    expect(handlesOf("audience").length).toBeGreaterThanOrEqual(30);
    expect(new Set(accounts.filter((account) => account.kind === "audience").map((account) => account.language))).toEqual(new Set(["en", "de", "it", "nl", "fa", "fr", "es"]));
  });

  it("adds nothing when run again", async () => {
    const before = await counts();
    expect(before.sandbox_posts).toBeGreaterThanOrEqual(30);
    await seedSandboxNetwork(database.db, new Date(now.getTime() + 3_600_000));
    expect(await counts()).toEqual(before);
  });

  it("gives @emberoak an inbox of mentions, replies, messages and reactions in several languages, praise and complaints", async () => {
    const items = await wholeInbox("emberoak");
    expect(new Set(items.map((item) => item.kind))).toEqual(new Set(["mention", "reply", "direct_message", "reaction"]));
    const texts = items.map((item) => item.text).join("\n");
    for (const phrase of ["Absolutely lovely", "colis perdu", "سفارش من", "bollitore", "Hearth als filterkoffie", "El asa del Copper Kettle quema"]) expect(texts).toContain(phrase);
    // Mentions of @emberoak_de and @emberoak_support belong to those accounts.
    expect(items.some((item) => item.author.handle === "jonas_becker")).toBe(false);
    expect(items.find((item) => item.author.handle === "emberoak_giveaway")?.kind).toBe("mention");
  });

  it("gives the German and support accounts their own inboxes", async () => {
    expect((await wholeInbox("emberoak_de")).map((item) => item.author.handle)).toEqual(
      expect.arrayContaining(["lena_schmidt", "jonas_becker", "katrin_wolf", "anna_kocht"]),
    );
    expect((await wholeInbox("emberoak_support")).filter((item) => item.kind === "direct_message").map((item) => item.author.handle).sort()).toEqual([
      "reza_karimi",
      "sarah_bakes",
      "tom_hargreaves",
    ]);
  });

  it("makes impostors look like the brand but young and small, and refuses to connect them", async () => {
    const brand = await sandbox.connect({ kind: "sandbox", handle: "emberoak" });
    const real = await sandbox.lookupProfile!(brand.credentials, "emberoak");
    const fake = await sandbox.lookupProfile!(brand.credentials, "ember0ak");
    expect(fake?.displayName).toContain("Ember");
    expect(fake!.followers!).toBeLessThan(real!.followers! / 100);
    expect(Date.parse(fake!.createdAt!)).toBeGreaterThan(now.getTime() - 30 * 86_400_000);
    expect((await networkFailure(sandbox.connect({ kind: "sandbox", handle: "emberoak_giveaway" }))).kind).toBe("auth_expired");
  });

  it("keeps handles unique however they are written", async () => {
    const [{ n }] = await database.query<{ n: number }>("select count(*)::int as n from sandbox_accounts where lower(handle) = 'emberoak'", []);
    expect(n).toBe(1);
    await expect(database.db.execute(sql`insert into sandbox_accounts (handle, display_name, kind, created_at) values ('EmberOak', 'x', 'audience', now())`)).rejects.toThrow();
  });
});
