import { describe, expect, it } from "vitest";
import { handleName, IMPOSTOR_THRESHOLD, judgeAccount, skeleton, type BrandAccount, type SeenAccount } from "./judge-account";

const brand: BrandAccount[] = [
  { channelId: "c-bsky", network: "bluesky", handle: "emberoak.bsky.social", displayName: "Emberoak Coffee" },
  { channelId: "c-masto", network: "mastodon", handle: "@emberoak@mastodon.social", displayName: "Emberoak Coffee" },
  { channelId: "c-sandbox", network: "sandbox", handle: "emberoak", displayName: "Emberoak" },
];
const now = new Date("2026-11-23T10:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const account = (handle: string, overrides: Partial<SeenAccount> = {}): SeenAccount => ({
  network: "bluesky",
  handle,
  displayName: null,
  createdAt: daysAgo(900),
  texts: [],
  ...overrides,
});

describe("the UTS #39 skeleton", () => {
  it("maps look-alikes to one form", () => {
    expect(skeleton("emberoаk")).toBe(skeleton("emberoak")); // Cyrillic а
    expect(skeleton("ernberoak")).toBe(skeleton("emberoak")); // rn ↔ m
    expect(skeleton("emberoak1")).not.toBe(skeleton("emberoak"));
    expect(skeleton("𝔢𝔪𝔟𝔢𝔯𝔬𝔞𝔨")).toBe(skeleton("emberoak"));
    expect(skeleton("paypaI")).toBe(skeleton("paypal")); // capital I ↔ l
    expect(skeleton("كافه")).toBe(skeleton("کافه")); // Arabic kaf ↔ Persian keheh
  });

  it("reads the name part of every network's handle", () => {
    expect(handleName("emberoak.bsky.social")).toBe("emberoak");
    expect(handleName("@emberoak@mastodon.social")).toBe("emberoak");
    expect(handleName("emberoak.com")).toBe("emberoak");
    expect(handleName("@Emberoak")).toBe("emberoak");
  });
});

describe("judging an account", () => {
  const cases: Array<[string, SeenAccount, { flagged: boolean; reason?: string; imitates?: string }]> = [
    ["the brand's own account", account("emberoak.bsky.social", { displayName: "Emberoak Coffee" }), { flagged: false }],
    ["a Cyrillic а in the handle", account("emberoаk.bsky.social"), { flagged: true, reason: "confusable_handle", imitates: "c-bsky" }],
    ["rn for m", account("ernberoak.bsky.social"), { flagged: true, reason: "confusable_handle" }],
    ["separators only", account("ember_oak.bsky.social"), { flagged: true, reason: "confusable_handle" }],
    ["one letter off", account("emberoek.bsky.social"), { flagged: true, reason: "similar_handle" }],
    ["the brand with 'support'", account("emberoak-support.bsky.social"), { flagged: true, reason: "brand_with_affix" }],
    ["the brand with digits", account("emberoak2026.bsky.social"), { flagged: true, reason: "brand_with_affix" }],
    ["the brand's display name on another handle", account("coffee-deals.bsky.social", { displayName: "Emberoak Coffee" }), { flagged: true, reason: "confusable_name" }],
    ["on Mastodon, another server", account("@emberoak@evil.example", { network: "mastodon" }), { flagged: true, reason: "confusable_handle", imitates: "c-bsky" }],
    ["an unrelated name", account("oakbarrel.bsky.social"), { flagged: false }],
    ["a longer word that contains the brand", account("emberoakfanclubberlin.bsky.social"), { flagged: false }],
    ["a fan praising the brand", account("coffeelover.bsky.social", { texts: ["Emberoak makes the best flat white in town"] }), { flagged: false }],
    [
      "a new account offering free coffee in the brand's name and asking for card numbers",
      account("coffee-gifts-2026.bsky.social", { createdAt: daysAgo(2), texts: ["Emberoak GIVEAWAY! Free coffee for a year — DM us your card number to claim"] }),
      { flagged: true, reason: "mentions_brand" },
    ],
    [
      "in Persian: a new account, free prize, card number",
      account("hediye-kafe.bsky.social", { createdAt: daysAgo(5), texts: ["قرعه‌کشی Emberoak: جایزه رایگان! شماره کارت خود را بفرستید"] }),
      { flagged: true, reason: "mentions_brand" },
    ],
    [
      "in German: an old account's giveaway (no payment request) is not enough alone",
      account("kaffeeblog.bsky.social", { createdAt: daysAgo(2000), texts: ["Gewinnspiel: wir verlosen Emberoak Bohnen"] }),
      { flagged: false },
    ],
  ];

  for (const [title, seen, expected] of cases) {
    it(`${expected.flagged ? "flags" : "does not flag"} ${title}`, () => {
      const verdict = judgeAccount(seen, brand, now);
      expect(verdict.score >= IMPOSTOR_THRESHOLD, JSON.stringify(verdict)).toBe(expected.flagged);
      if (expected.reason) expect(verdict.reasons[0].kind).toBe(expected.reason);
      if (expected.imitates) expect(verdict.imitates?.channelId).toBe(expected.imitates);
    });
  }

  it("raises the score of a look-alike that is new and baits, and says why", () => {
    const plain = judgeAccount(account("emberoek.bsky.social"), brand, now);
    const baiting = judgeAccount(account("emberoek.bsky.social", { createdAt: daysAgo(3), texts: ["Free refill for everyone! Verify your account here"] }), brand, now);
    expect(baiting.score).toBeGreaterThan(plain.score);
    expect(baiting.reasons.map((r) => r.kind)).toEqual(["similar_handle", "new_account", "bait"]);
    expect(baiting.reasons[2]).toMatchObject({ kind: "bait", asksForPayment: true, phrases: expect.arrayContaining(["free", "verify your account"]) });
  });
});
