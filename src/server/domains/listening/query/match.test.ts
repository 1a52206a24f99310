import { describe, expect, it } from "vitest";
import { generateCorpus, generateQueries, postToMatch, seededRandom } from "../../../../../bench/lib/listening-corpus";
import { AppError } from "../../../errors";
import { analyzePost, compileQuery, matchNaively, QueryMatcher, type PostToMatch } from "./match";
import { parseQuery, type ParsedQuery } from "./parse";

/** Whether one query matches one post, through a matcher holding only that query. */
function matches(query: string, post: string | PostToMatch): boolean {
  const matcher = new QueryMatcher();
  matcher.add("q", query);
  return matcher.match(typeof post === "string" ? { text: post } : post).includes("q");
}

// [query, post, matches?]: the language's meaning, case by case.
const CASES: Array<[string, string | PostToMatch, boolean]> = [
  // Words respect boundaries; case and accents do not matter.
  ["cat", "My cat is fine", true],
  ["cat", "Every category counts", false],
  ["cat", "CAT!", true],
  ["cafe", "Un café, s'il vous plaît", true],
  ["café", "CAFE", true],
  ["naïve", "naive", true],
  // German.
  ["Müller", "Frau Müller sagt", true],
  ["Müller", "Frau Muller sagt", true],
  ["Müller", "Frau MUELLER sagt", true],
  ["Mueller", "Frau Müller sagt", false], // documented: write the umlaut to match all three spellings
  ["Straße", "Hauptstrasse? Nein: STRASSE", true],
  ['"Frau Müller"', "frau mueller", true],
  ["Rückerstattung", "Wo bleibt meine Ruckerstattung", true],
  // Persian and Arabic.
  ["کتاب", "این كتاب خوب است", true], // Arabic kaf in the post
  ["كتاب", "این کتاب خوب است", true],
  ["یکی", "يكي", true],
  ["مدرسه", "المدرسة", false], // the article is part of the word: no stemming
  ["مدرسه", "مدرسة جديدة", true],
  ["میخواهم", "من می‌خواهم بروم", true],
  ["می‌خواهم", "من میخواهم بروم", true],
  ["بانک", "بانک‌های ملی", true], // a ZWNJ-joined suffix: the stem is a part
  ["بانک", "بانکها", false], // written joined: a different word (use بانک*)
  ["بانک*", "بانکها", true],
  ['"بانک ملی"', "بانک‌های ملی ایران", true],
  ["العربية", "اللُّغَةُ الْعَرَبِيَّةُ", true],
  // Phrases.
  ['"free insulin"', "Free insulin for all!", true],
  ['"free insulin"', "insulin free", false],
  ['"free insulin"', "free, insulin", true], // punctuation is not a word
  ['"free insulin"', "free cheap insulin", false],
  // Boolean operators.
  ["parapet hack", "the hack of parapet", true],
  ["parapet hack", "parapet only", false],
  ["parapet OR brustwehr", "eine Brustwehr", true],
  ["parapet -spam", "parapet news", true],
  ["parapet -spam", "parapet spam", false],
  ['parapet -"free trial"', "parapet free of trial", true],
  ['parapet -"free trial"', "parapet free trial", false],
  ["parapet NOT (spam OR ad)", "parapet ad", false],
  ["a b OR c", "c", true],
  ["a b OR c", "a", false],
  // NEAR/n: at most n words between, either order.
  ["parapet NEAR/3 hack", "parapet got a big hack", true],
  ["parapet NEAR/3 hack", "parapet got a very big hack", false],
  ["parapet NEAR/3 hack", "hack of the parapet", true],
  ["parapet NEAR/0 hack", "parapet hack", true],
  ["parapet NEAR/0 hack", "parapet, the hack", false],
  ['"free insulin" NEAR/1 scam', "free insulin is a scam", false],
  ['"free insulin" NEAR/1 scam', "free insulin, scam", true],
  ['"free insulin" NEAR/1 scam', "scam: free insulin", true],
  ["(parapet OR brustwehr) NEAR/2 gehackt", "Die Brustwehr wurde gehackt", true],
  ["parapet NEAR/2 parapet", "parapet", false], // the same occurrence does not count twice
  // Hashtags and handles.
  ["#parapet", "love #Parapet", true],
  ["#parapet", "love parapet", false],
  ["parapet", "love #Parapet", true], // a word finds a hashtag's word
  ["#parapet", "love #ParapetHack", false],
  ['"parapet hack"', "#parapet_hack", true],
  ["@parapet.bsky.social", "thanks @Parapet.bsky.social.", true],
  ["@parapet.bsky.social", "thanks @parapet", false],
  ["@parapet", "cc @parapet@mastodon.social", true],
  ["@parapet@mastodon.social", "cc @parapet@mastodon.social", true],
  ["@parapet@mastodon.social", "cc @parapet@chaos.social", false],
  ["@parapet", "mail parapet@example.com", false],
  // Prefixes.
  ["parap*", "Parapets everywhere", true],
  ["parap*", "a para pet", false],
  ["parap*", "#parapet", true],
  ["refund* -spam", "refunded quickly", true],
  ["Müll*", "Muelltonne", true],
  // Scripts without spaces.
  ["東京", "東京タワーへ行く", true],
  ["東京", "京東", false],
  // Fields.
  ["parapet lang:de", { text: "parapet", langs: ["de"] }, true],
  ["parapet lang:de", { text: "parapet", langs: ["en"] }, false],
  ["parapet lang:de", { text: "parapet" }, false],
  ["parapet lang:pt", { text: "parapet", langs: ["pt-BR"] }, true],
  ["parapet lang:pt-br", { text: "parapet", langs: ["pt"] }, false],
  ["parapet -lang:en", { text: "parapet", langs: ["fa"] }, true],
  ["parapet network:bluesky", { text: "parapet", network: "bluesky" }, true],
  ["parapet network:bluesky", { text: "parapet", network: "mastodon" }, false],
  ["author:parapet.bsky.social", { text: "anything", author: "Parapet.bsky.social" }, true],
  ["author:@parapet.bsky.social refund", { text: "no", author: "parapet.bsky.social" }, false],
  ["author:parapet", { text: "hi", author: "@parapet@mastodon.social" }, true],
  ["author:parapet", { text: "parapet", author: "other.bsky.social" }, false],
];

describe("matching a query", () => {
  it.each(CASES)("%j on %j → %s", (query, post, expected) => {
    expect(matches(query, post)).toBe(expected);
  });
});

describe("the matcher", () => {
  it("returns the ids of all matching queries", () => {
    const matcher = new QueryMatcher();
    matcher.add("brand", "parapet OR #parapet");
    matcher.add("crisis", '"free insulin" NEAR/5 parapet');
    matcher.add("german", "parapet lang:de");
    matcher.add("other", "brustwehr");
    expect(matcher.match({ text: "#Parapet announces free insulin", langs: ["en"] }).sort()).toEqual(["brand", "crisis"]);
    expect(matcher.match({ text: "Parapet heute", langs: "de" }).sort()).toEqual(["brand", "german"]);
    expect(matcher.match({ text: "nothing here" })).toEqual([]);
  });

  it("adds, replaces and removes queries without rebuilding the others", () => {
    const matcher = new QueryMatcher();
    matcher.add("a", "parapet");
    matcher.add("b", "parapet hack");
    expect(matcher.match({ text: "parapet hack" }).sort()).toEqual(["a", "b"]);
    matcher.add("a", "brustwehr"); // replaced
    expect(matcher.match({ text: "parapet hack" })).toEqual(["b"]);
    expect(matcher.remove("b")).toBe(true);
    expect(matcher.remove("b")).toBe(false);
    expect(matcher.match({ text: "parapet hack" })).toEqual([]);
    expect(matcher.match({ text: "Brustwehr" })).toEqual(["a"]);
    expect(matcher.size).toBe(1);
  });

  it("refuses a query with a syntax error, with its code and span", () => {
    const matcher = new QueryMatcher();
    let error: unknown;
    try {
      matcher.add("x", "parapet OR -spam");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("query_only_negative");
    expect((error as AppError).extra).toEqual({ start: 11, end: 16 });
    expect(matcher.size).toBe(0);
    expect(() => compileQuery("(parapet")).toThrow(/never closed/);
  });

  it("learns which words are common and keys queries on the rare side", () => {
    const matcher = new QueryMatcher();
    for (let i = 0; i < 50; i++) matcher.observe({ text: `the refundable service number ${i}` });
    matcher.add("q", "refundable AND zyx");
    const moved = new QueryMatcher();
    moved.add("q", "refundable AND zyx");
    for (let i = 0; i < 50; i++) moved.observe({ text: `the refundable service number ${i}` });
    expect(moved.rekey()).toBe(1);
    expect(moved.rekey()).toBe(0);
    // Same answers either way.
    for (const m of [matcher, moved]) {
      expect(m.match({ text: "refundable zyx" })).toEqual(["q"]);
      expect(m.match({ text: "refundable only" })).toEqual([]);
    }
  });
});

describe("the indexed matcher against a loop over every query", () => {
  it("returns exactly what the loop returns on a random multilingual corpus with thousands of queries", () => {
    const corpus = generateCorpus(800, { seed: 99 });
    const texts = generateQueries(3000, { seed: 5, brands: corpus.brands });
    // Mix in queries built from random corpus words, so common words, prefixes and NEAR are exercised at random.
    const random = seededRandom(77);
    const vocabulary = corpus.posts.flatMap((p) => p.commit.record.text.split(/\s+/)).filter((w) => /^[\p{L}]{3,}$/u.test(w));
    const w = () => vocabulary[Math.floor(random() * vocabulary.length)];
    for (let i = 0; i < 1000; i++) {
      const shapes = [
        () => `${w()} ${w()}`,
        () => `${w()} OR ${w()} -${w()}`,
        () => `"${w()} ${w()}"`,
        () => `${w()} NEAR/${Math.floor(random() * 4)} ${w()}`,
        () => `${w().slice(0, 3)}* ${w()}`,
        () => `(${w()} OR #${w()}) -lang:${["en", "de", "fa"][i % 3]}`,
      ];
      texts.push(shapes[i % shapes.length]());
    }
    const matcher = new QueryMatcher();
    const all: Array<[string, ParsedQuery]> = [];
    texts.forEach((text, i) => {
      const result = parseQuery(text);
      if (!result.ok) return; // e.g. a random word that is too short for a prefix
      all.push([String(i), result.query]);
      matcher.add(String(i), result.query);
    });
    expect(all.length).toBeGreaterThan(3900);
    // Half the corpus teaches the matcher word frequencies, then it re-keys: answers must not change.
    let total = 0;
    const seen = new Set<string>();
    for (const [n, post] of corpus.posts.entries()) {
      if (n === 400) {
        for (const p of corpus.posts.slice(0, 400)) matcher.observe(postToMatch(corpus, p));
        expect(matcher.rekey()).toBeGreaterThan(0);
      }
      const analyzed = analyzePost(postToMatch(corpus, post));
      const indexed = matcher.match(analyzed).sort();
      const naive = matchNaively(all, analyzed).sort();
      expect(indexed, post.commit.record.text).toEqual(naive);
      total += naive.length;
      naive.forEach((id) => seen.add(id));
    }
    // Not a vacuous comparison: many posts match, and many different queries match something.
    expect(total).toBeGreaterThan(1500);
    expect(seen.size).toBeGreaterThan(700);
  }, 180_000);
});
