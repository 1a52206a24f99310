import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiAs, canRunBrowser, useBrowser } from "../support/browser";

/**
 * The pause banner for someone who cannot see every paused channel: the channels they can see are named by handle,
 * the others only counted ("and 1 channel you cannot see"), never named; in English and in Persian.
 */
describe.skipIf(!canRunBrowser)("the pause banner and channels the reader cannot see", () => {
  const b = useBrowser("pause-banner");
  const shots = b.shots;
  /** The text as read, without the direction marks and isolates that keep handles and counts in order right to left. */
  const plain = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/[\u200e\u200f\u2066-\u2069]/g, "");

  it("names the paused channels the reader can see and counts the others", async () => {
    const admin = await b.signedIn({ email: b.demoPerson("amir"), next: "/publishing" });
    const sofia = await b.signedIn({ email: b.demoPerson("sofia"), next: "/publishing" });
    type Channel = { id: string; handle: string; network: string };
    const all = (await apiAs<{ channels: Channel[] }>(admin, "GET", "/channels")).body.channels;
    const seen = new Set((await apiAs<{ channels: Channel[] }>(sofia, "GET", "/channels")).body.channels.map((c) => c.id));
    const paused = all.filter((c) => c.network === "sandbox");
    const visible = paused.filter((c) => seen.has(c.id));
    const hidden = paused.filter((c) => !seen.has(c.id));
    // The demo gives Sofia some of the Sandbox channels, not all: the case this test is about.
    expect(visible.length).toBeGreaterThan(0);
    expect(hidden.length).toBeGreaterThan(0);
    const pause = await apiAs(admin, "POST", "/publishing/pauses", { reason: "Checking the recall statement", channelIds: paused.map((c) => c.id) });
    expect(pause.status).toBe(200);

    await sofia.reload();
    const banner = sofia.getByRole("status").filter({ hasText: "Publishing is paused" });
    await banner.waitFor();
    const expected = new Intl.ListFormat("en", { style: "long", type: "conjunction" }).format([
      ...visible.map((c) => `@${c.handle}`),
      `${hidden.length} ${hidden.length === 1 ? "channel" : "channels"} you cannot see`,
    ]);
    await expect.poll(() => plain(banner)).toContain(`Publishing is paused on ${expected}`);
    for (const channel of hidden) expect(await plain(banner)).not.toContain(channel.handle);
    if (shots) await sofia.screenshot({ path: `${shots}/pause-banner-hidden-channels-en.png` });

    // The admin, who sees every channel, gets every handle and no count.
    await admin.reload();
    const adminBanner = admin.getByRole("status").filter({ hasText: "Publishing is paused" });
    await adminBanner.waitFor();
    const named = new Intl.ListFormat("en", { style: "long", type: "conjunction" }).format(paused.map((c) => `@${c.handle}`));
    await expect.poll(() => plain(adminBanner)).toContain(`Publishing is paused on ${named}`);
    expect(await plain(adminBanner)).not.toContain("you cannot see");

    // In Persian: the count in Persian digits and words, the hidden handles still not named.
    await b.setLanguage(sofia, "fa");
    await sofia.reload();
    const faBanner = sofia.getByRole("status").filter({ hasText: "انتشار در" });
    await faBanner.waitFor();
    const count = new Intl.NumberFormat("fa").format(hidden.length);
    await expect.poll(() => plain(faBanner)).toContain(`${count} کانال که به ${hidden.length === 1 ? "آن" : "آن‌ها"} دسترسی ندارید`);
    for (const channel of visible) expect(await plain(faBanner)).toContain(`@${channel.handle}`);
    for (const channel of hidden) expect(await plain(faBanner)).not.toContain(channel.handle);
    if (shots) await sofia.screenshot({ path: `${shots}/pause-banner-hidden-channels-fa.png` });
  }, 180_000);
});
