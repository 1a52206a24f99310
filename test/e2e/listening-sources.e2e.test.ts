import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";
import { listeningSources } from "../../src/server/domains/listening/listening.schema";

/**
 * Why a listening source fails, in the reader's language: the sources list says the stored error code translated
 * (with when it tries again, in the reader's digits); those who manage sources also get the network's own words (as
 * the worker stores them: nothing of Parapet's English around them) under "Technical details", a member does not. In
 * English and in Persian (right to left).
 */
describe.skipIf(!canRunBrowser)("listening sources' errors in a browser", () => {
  const b = useBrowser("listening-sources");
  const shots = b.shots;

  it("shows a failing source's error translated, with the raw detail for managers only", async () => {
    // Interpolated values come isolated (U+2066–2069, so they keep their order right to left): compared without them.
    const textOf = async (row: Locator) => (await row.getByTestId("source-error").textContent())?.replace(/[\u2066-\u2069]/g, "");
    const owner = await b.signedIn({ next: "/listening" });
    const me = (await owner.evaluate(async () => (await fetch("/api/v1/me")).json())) as { workspace: { id: string } };
    const db = b.server.services.database.db;
    const detail = "connect ECONNREFUSED 127.0.0.1:9";
    await db.insert(listeningSources).values([
      { workspaceId: me.workspace.id, kind: "feed", url: "http://news.test/feed.xml", name: "Coffee News", state: "failing", lastError: detail, lastErrorCode: "feed_unreachable", lastErrorParams: { retryInSeconds: 30 } },
      {
        workspaceId: me.workspace.id, kind: "network_stream", name: "Roastery stream", state: "failing",
        lastError: "the Sandbox token has expired",
        lastErrorCode: "source_access_expired", lastErrorParams: { retryInSeconds: 300 },
      },
    ]);
    await owner.reload();
    const feed = owner.getByTestId("source-row").filter({ hasText: "Coffee News" });
    expect(await textOf(feed)).toBe("The feed could not be reached. Trying again in 30 seconds.");
    const stream = owner.getByTestId("source-row").filter({ hasText: "Roastery stream" });
    expect(await textOf(stream)).toBe("The channel's access has expired or was revoked: reconnect the channel. Trying again in 5 minutes.");
    await feed.getByTestId("source-error-details").hover();
    await owner.getByRole("tooltip").getByText(detail).waitFor();
    if (shots) await owner.screenshot({ path: `${shots}/listening-sources-errors-en.png`, fullPage: true });

    // In Persian: the same errors in Persian words and digits; the detail stays as the network said it.
    await b.setLanguage(owner, "fa");
    await owner.reload();
    await owner.getByRole("heading", { name: "جریان‌ها", level: 1 }).waitFor();
    await expect.poll(() => textOf(feed)).toBe("خوراک در دسترس نبود. تلاش دوباره تا ۳۰ ثانیهٔ دیگر.");
    expect(await textOf(stream)).toBe("دسترسی کانال منقضی یا لغو شده است: کانال را دوباره وصل کنید. تلاش دوباره تا ۵ دقیقهٔ دیگر.");
    await feed.getByTestId("source-error-details").hover();
    await owner.getByRole("tooltip").getByText(detail).waitFor();
    if (shots) await owner.screenshot({ path: `${shots}/listening-sources-errors-fa.png`, fullPage: true });

    // A member reads why it fails, but not the network's own words.
    const member = await b.signedIn({ email: b.demoPerson("jan"), next: "/listening" });
    const asMember = member.getByTestId("source-row").filter({ hasText: "Coffee News" });
    await asMember.getByTestId("source-error").waitFor();
    expect(await textOf(asMember)).toBe("The feed could not be reached. Trying again in 30 seconds.");
    expect(await asMember.getByTestId("source-error-details").count()).toBe(0);
    const listed = (await member.evaluate(async () => (await fetch("/api/v1/listening/sources")).json())) as { sources: Array<{ name: string; lastError: string | null; lastErrorCode: string | null }> };
    expect(listed.sources.find((s) => s.name === "Coffee News")).toMatchObject({ lastErrorCode: "feed_unreachable", lastError: null });
  }, 180_000);
});
