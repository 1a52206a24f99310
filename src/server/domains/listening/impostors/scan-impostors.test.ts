import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { buildWorkspace } from "../../../../../test/support/factories";
import { createTestServices, testClock, type TestServices } from "../../../../../test/support/services";
import { channels } from "../../channels/channels.schema";
import { impostorAccounts, listeningAlerts, mentions } from "../listening.schema";
import { storeMatches } from "../pipeline/store-matches";
import { unsafeScanImpostors } from "./scan-impostors";

const NOW = new Date("2026-11-23T09:00:00Z");

describeEachDatabase("impostor scan over the authors of recent mentions", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  let channelId: string;
  let seq = 0;

  beforeAll(async () => {
    services = await createTestServices(kind, {}, testClock(NOW));
    ({ workspace: { id: workspaceId } } = await buildWorkspace(services, "Emberoak"));
    [{ id: channelId }] = await services.database.db
      .insert(channels)
      .values({ workspaceId, network: "sandbox", networkAccountId: "acct-1", handle: "@emberoak", displayName: "Emberoak Coffee", credentials: services.secrets.seal("{}") })
      .returning();
  });
  afterAll(async () => {
    await services.close();
  });

  const mention = async (author: string, name: string | null, text: string) => {
    const at = services.clock();
    const networkPostId = `p${++seq}`;
    await storeMatches(services.database.db, [
      { workspaceId, sourceId: null, network: "sandbox", networkPostId, url: null, authorHandle: author, authorName: name, text, lang: "en", langSource: "detected", sentiment: "neutral", sentimentScore: 0.5, fingerprint: seq, nearDuplicate: false, postedAt: at, receivedAt: at, streamIds: [] },
    ]);
    await services.database.db.update(mentions).set({ storedAt: at }).where(and(eq(mentions.workspaceId, workspaceId), eq(mentions.networkPostId, networkPostId)));
  };
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

  it("a suspect nobody has looked at yet follows the latest evidence", async () => {
    services.clock.advance(20 * 60_000);
    await mention("@emberoak2026", null, "Win a free espresso machine, send us your bank details");
    await unsafeScanImpostors(services);
    const [row] = (await suspects()).filter((s) => s.handle === "@emberoak2026");
    expect(row.status).toBe("new");
    services.clock.advance(20 * 60_000);
    await mention("@emberoak2026", "Emberoak Coffee", "hello");
    await unsafeScanImpostors(services);
    const [again] = (await suspects()).filter((s) => s.handle === "@emberoak2026");
    expect(again.displayName).toBe("Emberoak Coffee");
    expect((again.evidence as { texts: string[] }).texts).toEqual(["hello"]);
    expect(await impostorAlerts()).toHaveLength(2);
  });
});
