import { and, eq, sql, type SQLWrapper } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { rowsOf } from "../../../db/client";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { insertBrandAccount, listeningTestWorkspace, matchedPost, storeMentionsAt } from "../../../../../test/support/listening-fixtures";
import type { TestServices } from "../../../../../test/support/services";
import { impostorAccounts, impostorScanMarks, listeningAlerts, mentions } from "../listening.schema";
import { storeMatches } from "../pipeline/store-matches";
import { EVIDENCE_MENTIONS, EVIDENCE_TEXTS, type ImpostorEvidence } from "./impostor-evidence";
import { recentMentions, recentWorkspaces, SCAN_LOOKBACK_MINUTES, SETTLE_SECONDS, unsafeScanImpostors, unsafeScanNewMentions } from "./scan-impostors";

const NOW = new Date("2026-11-23T09:00:00Z");

describeEachDatabase("impostor scan over the authors of recent mentions", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  let channelId: string;
  let seq = 0;

  beforeAll(async () => {
    ({ services, workspaceId } = await listeningTestWorkspace(kind, NOW));
    channelId = await insertBrandAccount(services, workspaceId);
  });
  afterAll(async () => {
    await services.close();
  });

  const mention = (author: string, name: string | null, text: string) =>
    storeMentionsAt(services, [matchedPost(workspaceId, { networkPostId: `p${++seq}`, authorHandle: author, authorName: name, text, fingerprint: seq, postedAt: services.clock() })]);
  const suspects = () => services.database.db.select().from(impostorAccounts).where(eq(impostorAccounts.workspaceId, workspaceId));
  const impostorAlerts = () => services.database.db.select().from(listeningAlerts).where(and(eq(listeningAlerts.workspaceId, workspaceId), eq(listeningAlerts.kind, "impostor")));

  it("finds a confusable account announcing a giveaway, raises one alert, and leaves the brand's fans and its own account alone", async () => {
    await mention("@emberoаk_support", "Emberoak Coffee", "Giveaway! DM us your card number to claim your prize"); // Cyrillic а
    await mention("@coffee_fan", "Fan", "I love emberoak, best coffee in town");
    await mention("@emberoak", "Emberoak Coffee", "Our new roast is out");
    const [first, second] = await Promise.all([unsafeScanImpostors(services), unsafeScanImpostors(services)]);
    expect(first.newSuspects + second.newSuspects).toBe(1);
    const rows = await suspects();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ handle: "@emberoаk_support", status: "new", imitatesChannelId: channelId });
    expect(rows[0].score).toBeGreaterThanOrEqual(0.8);
    const reasons = (rows[0].evidence as { reasons: Array<{ kind: string }> }).reasons.map((r) => r.kind);
    expect(reasons).toContain("bait");
    const alerts = await impostorAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].title).toBe("Possible impostor: @emberoаk_support");
    expect((alerts[0].evidence as any).impostorId).toBe(rows[0].id);
  });

  it("keeps the status a person set: a later sighting only moves lastSeenAt, and raises no new alert", async () => {
    const [row] = await suspects();
    await services.database.db.update(impostorAccounts).set({ status: "reported", statusAt: NOW }).where(eq(impostorAccounts.id, row.id));
    services.clock.advance(20 * 60_000);
    await mention("@emberoаk_support", "Emberoak Help", "Last chance: free coffee for a year");
    await unsafeScanImpostors(services);
    const [after] = await suspects();
    expect(after).toMatchObject({ status: "reported", score: row.score, displayName: "Emberoak Coffee" });
    expect(after.evidence).toEqual(row.evidence);
    expect(after.lastSeenAt).toEqual(services.clock());
    expect(await impostorAlerts()).toHaveLength(1);
  });

  it("a suspect nobody has looked at yet keeps the bait post that made it suspicious through later harmless posts, and its score", async () => {
    const bait = "Win a free espresso machine, send us your bank details";
    services.clock.advance(20 * 60_000);
    await mention("@emberoak2026", null, bait);
    await unsafeScanImpostors(services);
    const [row] = (await suspects()).filter((s) => s.handle === "@emberoak2026");
    expect(row.status).toBe("new");
    for (const text of ["hello", "nice weather today"]) {
      services.clock.advance(20 * 60_000);
      await mention("@emberoak2026", "Emberoak Coffee", text);
      await unsafeScanImpostors(services);
    }
    const [again] = (await suspects()).filter((s) => s.handle === "@emberoak2026");
    expect(again.displayName).toBe("Emberoak Coffee");
    expect(again.score).toBe(row.score); // the later posts alone score lower (0.7: the brand's name as display name)
    const evidence = again.evidence as ImpostorEvidence;
    expect(evidence.texts).toEqual([bait, "hello", "nice weather today"]);
    expect(evidence.reasons.map((r) => r.kind)).toEqual(["brand_with_affix", "bait", "confusable_name"]);
    expect(evidence.reasons.find((r) => r.kind === "bait")).toMatchObject({ asksForPayment: true });
    expect(evidence.mentionIds).toHaveLength(3);
    expect(again.firstSeenAt).toEqual(row.firstSeenAt);
    expect(await impostorAlerts()).toHaveLength(2); // one per suspect: @emberoаk_support, @emberoak2026
  });

  it("keeps a suspect's evidence within its bounds: the first bait posts and the newest, bait before plain posts", async () => {
    const texts: string[] = [];
    for (let i = 1; i <= 8; i++) {
      services.clock.advance(20 * 60_000);
      const text = i % 2 ? `Giveaway ${i}: claim your prize` : `plain post ${i}`;
      texts.push(text);
      await mention("@emberoak_deals", null, text);
      await mention("@emberoak_deals", null, `${text}, again`);
      await mention("@emberoak_deals", null, `${text}, and again`);
      await unsafeScanImpostors(services);
    }
    const [row] = (await suspects()).filter((s) => s.handle === "@emberoak_deals");
    const evidence = row.evidence as ImpostorEvidence;
    expect(evidence.texts).toHaveLength(EVIDENCE_TEXTS);
    expect(evidence.texts.slice(0, EVIDENCE_TEXTS - 1)).toEqual(["Giveaway 1: claim your prize", "Giveaway 1: claim your prize, again", "Giveaway 1: claim your prize, and again", "Giveaway 3: claim your prize"]);
    expect(evidence.texts.at(-1)).toBe("Giveaway 7: claim your prize, and again");
    expect(evidence.mentionIds).toHaveLength(EVIDENCE_MENTIONS);
    const ids = (await services.database.db.select({ id: mentions.id }).from(mentions).where(eq(mentions.authorHandle, "@emberoak_deals")).orderBy(mentions.id)).map((m) => m.id);
    expect(evidence.mentionIds).toEqual([...ids.slice(0, EVIDENCE_MENTIONS / 2), ...ids.slice(-EVIDENCE_MENTIONS / 2)]);
    const reasons = evidence.reasons.filter((r) => r.kind === "bait");
    expect(reasons).toHaveLength(1);
    const alerts = (await impostorAlerts()).filter((a) => (a.evidence as { impostorId: string }).impostorId === row.id);
    expect(alerts).toHaveLength(1);
  });

  it("reads the recent mentions through their index, not the whole table", async () => {
    // A long history and a few recent mentions, with the statistics a live database has.
    const db = services.database.db;
    await db.execute(sql`
      insert into mentions (workspace_id, network, network_post_id, author_handle, text, lang, lang_source, sentiment, sentiment_score, fingerprint, posted_at, received_at, stored_at)
      select ${workspaceId}, 'sandbox', 'history-' || n, '@fan', 'emberoak', 'en', 'detected', 'neutral', 0.5, n, t, t, t
      from generate_series(1, 30000) as n, lateral (select ${NOW.toISOString()}::timestamptz - interval '1 day' - n * interval '1 minute' as t) as at`);
    await db.execute(sql`analyze mentions`);
    const now = services.clock();
    const since = new Date(now.getTime() - SCAN_LOOKBACK_MINUTES * 60_000);
    const plan = async (query: SQLWrapper) => rowsOf<Record<string, string>>(await db.execute(sql`explain ${query}`)).map((row) => Object.values(row)[0]).join("\n");
    for (const query of [recentWorkspaces(db, since, now), recentMentions(db, workspaceId, since, now)]) {
      const text = await plan(query);
      expect(text).toContain("mentions_stored");
      expect(text).not.toMatch(/Seq Scan on mentions/);
    }
  });
});

describeEachDatabase("prompt impostor scan of a workspace's new mentions", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  let seq = 0;

  beforeAll(async () => {
    ({ services, workspaceId } = await listeningTestWorkspace(kind, NOW));
    await insertBrandAccount(services, workspaceId);
  });
  afterAll(async () => {
    await services.close();
  });

  /** Stored by the pipeline's last step, at the database's now(). */
  const store = (author: string, text: string) => storeMatches(services.database.db, [matchedPost(workspaceId, { networkPostId: `q${++seq}`, authorHandle: author, text, fingerprint: seq, postedAt: new Date() })]);
  /** Time passes: everything stored so far was stored long enough ago to have settled. */
  const settle = () => services.database.db.update(mentions).set({ storedAt: sql`now() - ${`${SETTLE_SECONDS + 1} seconds`}::interval` }).where(and(eq(mentions.workspaceId, workspaceId), sql`${mentions.storedAt} > now() - ${`${SETTLE_SECONDS} seconds`}::interval`));
  const suspect = async (handle: string) => (await services.database.db.select().from(impostorAccounts).where(and(eq(impostorAccounts.workspaceId, workspaceId), eq(impostorAccounts.handle, handle))))[0];
  const mark = async () => (await services.database.db.select().from(impostorScanMarks).where(eq(impostorScanMarks.workspaceId, workspaceId)))[0]?.mentionId;

  it("starts with the mentions stored in the last 15 minutes, judges them once, then only what is new", async () => {
    await store("@emberoak_old", "Giveaway! DM us your card number");
    await services.database.db.update(mentions).set({ storedAt: sql`now() - interval '1 hour'` }).where(eq(mentions.workspaceId, workspaceId));
    await store("@emberoаk_support", "Giveaway! DM us your card number to claim your prize");
    await store("@coffee_fan", "I love emberoak");
    await settle();
    const first = await unsafeScanNewMentions(services, workspaceId);
    expect(first).toMatchObject({ mentions: 2, authors: 2, newSuspects: 1 });
    expect(await suspect("@emberoаk_support")).toMatchObject({ status: "new" });
    expect(await suspect("@emberoak_old")).toBeUndefined(); // before the mark's start: the periodic scan's, long ago
    expect(await unsafeScanNewMentions(services, workspaceId)).toMatchObject({ mentions: 0, newSuspects: 0 });

    await store("@emberoak2026", "Win a free espresso machine, send us your bank details");
    await settle();
    expect(await unsafeScanNewMentions(services, workspaceId)).toMatchObject({ mentions: 1, newSuspects: 1 });
    const [{ max }] = await services.database.db.select({ max: sql<number>`max(id)::int` }).from(mentions);
    expect(await mark()).toBe(max);
  });

  it("judges a mention stored in the last seconds once, but keeps the mark before it until it settled", async () => {
    const before = await mark();
    await store("@coffee_fan", "emberoak again");
    expect(await unsafeScanNewMentions(services, workspaceId)).toMatchObject({ mentions: 1 });
    expect(await mark()).toBe(before); // a lower id may still be committing
    expect(await unsafeScanNewMentions(services, workspaceId)).toMatchObject({ mentions: 0 });
    await settle();
    expect(await unsafeScanNewMentions(services, workspaceId)).toMatchObject({ mentions: 0 });
    const [{ max }] = await services.database.db.select({ max: sql<number>`max(id)::int` }).from(mentions);
    expect(await mark()).toBe(max);
    const [row] = await services.database.db.select().from(impostorScanMarks).where(eq(impostorScanMarks.workspaceId, workspaceId));
    expect(row.judgedIds).toEqual([]);
  });

  it("two workers scanning at once record a new impostor once, with one alert, and read each mention once", async () => {
    await store("@emberoak_help", "Free coffee for a year! Verify your account with your card number");
    await settle();
    const [a, b] = await Promise.all([unsafeScanNewMentions(services, workspaceId), unsafeScanNewMentions(services, workspaceId)]);
    expect(a.mentions + b.mentions).toBe(1);
    expect(a.newSuspects + b.newSuspects).toBe(1);
    const row = await suspect("@emberoak_help");
    const alerts = await services.database.db
      .select()
      .from(listeningAlerts)
      .where(and(eq(listeningAlerts.workspaceId, workspaceId), eq(listeningAlerts.kind, "impostor"), sql`${listeningAlerts.evidence}->>'impostorId' = ${row.id}`));
    expect(alerts).toHaveLength(1);
  });

  it("pages through a long backlog in short transactions, settled or not, and reads each mention once", async () => {
    for (let i = 0; i < 5; i++) await store(`@fan_${i}`, `emberoak ${i}`);
    await settle();
    expect(await unsafeScanNewMentions(services, workspaceId, 2)).toMatchObject({ pages: 3, mentions: 5 });
    const [{ max }] = await services.database.db.select({ max: sql<number>`max(id)::int` }).from(mentions);
    expect(await mark()).toBe(max);
    for (let i = 0; i < 3; i++) await store(`@fan_${i}`, `emberoak fresh ${i}`);
    expect(await unsafeScanNewMentions(services, workspaceId, 2)).toMatchObject({ pages: 2, mentions: 3 });
    expect(await mark()).toBe(max);
    expect(await unsafeScanNewMentions(services, workspaceId, 2)).toMatchObject({ pages: 1, mentions: 0 });
  });

  it.runIf(kind === "postgres")("does not skip a mention whose lower id committed after a higher one was scanned", async () => {
    const url = (services.database as { url?: string }).url;
    expect(url).toBeTruthy();
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("begin");
      // A store transaction that took its id first but is slow to commit.
      await other.query(
        `insert into mentions (workspace_id, network, network_post_id, author_handle, author_name, text, lang, lang_source, sentiment, sentiment_score, fingerprint, posted_at, received_at)
         values ($1, 'sandbox', 'slow-1', '@emberoak_official', null, 'Claim your free gift card, send your bank details', 'en', 'detected', 'neutral', 0.5, 1, now(), now())`,
        [workspaceId],
      );
      await store("@coffee_fan", "emberoak, quick and committed");
      expect(await unsafeScanNewMentions(services, workspaceId)).toMatchObject({ mentions: 1, newSuspects: 0 });
      await other.query("commit");
    } finally {
      await other.end();
    }
    const after = await unsafeScanNewMentions(services, workspaceId);
    expect(after).toMatchObject({ mentions: 1, newSuspects: 1 }); // the late one; the other was judged already
    expect(await suspect("@emberoak_official")).toMatchObject({ status: "new" });
  });
});
