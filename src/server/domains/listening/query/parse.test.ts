import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../../../bench/lib/listening-corpus";
import { parseQuery, showQuery } from "./parse";

// The grammar table: each valid query with its AST in a compact form (showQuery), and the keys the index needs.
const VALID: Array<[query: string, ast: string, required?: string[]]> = [
  ["parapet", "parapet", ["parapet"]],
  ["  Parapet  ", "parapet"],
  ["PARAPET", "parapet"],
  ['"free insulin"', '"free insulin"', ["insulin"]],
  ["“free insulin”", '"free insulin"'],
  ["«بانک ملی»", '"بانک ملی"'],
  ["parapet hack", "(and parapet hack)", ["parapet"]],
  ["parapet AND hack", "(and parapet hack)"],
  ["parapet && hack", "(and parapet hack)"],
  ["parapet OR hack", "(or parapet hack)", ["parapet", "hack"]],
  ["parapet || hack", "(or parapet hack)"],
  ["parapet NOT spam", "(and parapet (not spam))", ["parapet"]],
  ["parapet -spam", "(and parapet (not spam))"],
  ['parapet -"free trial"', '(and parapet (not "free trial"))'],
  ["parapet -(spam OR ad)", "(and parapet (not (or spam ad)))"],
  // Precedence: NOT > AND > OR.
  ["a b OR c", "(or (and a b) c)"],
  ["a OR b c", "(or a (and b c))"],
  ["a OR b AND c OR d", "(or a (and b c) d)"],
  ["NOT a b", "(and (not a) b)"],
  ["a OR NOT b c", "(or a (and (not b) c))", undefined],
  ["(a OR b) c", "(and (or a b) c)", ["c"]],
  ["((a))", "a"],
  ["(".repeat(32) + "a" + ")".repeat(32), "a"],
  // An OR with an exclusion is fine inside an AND that requires a term elsewhere.
  ["(a OR (b OR -c)) d", "(and (or a (or b (not c))) d)", ["d"]],
  ["(a OR b) (c OR d)", "(and (or a b) (or c d))"],
  // NEAR binds tightest, between atoms or ORs of atoms.
  ["parapet NEAR/3 hack", "(near/3 parapet hack)", ["parapet"]],
  ['"free insulin" NEAR/5 parapet', '(near/5 "free insulin" parapet)'],
  ["(parapet OR brustwehr) NEAR/2 hack", "(near/2 (or parapet brustwehr) hack)", ["hack"]],
  ["x parapet NEAR/0 hack", "(and x (near/0 parapet hack))"],
  ["-parapet NEAR/3 hack foo", "(and (not (near/3 parapet hack)) foo)", ["foo"]],
  ["#ParapetHack", "#parapethack", ["#parapethack"]],
  ["@Parapet.bsky.social", "@parapet.bsky.social", ["@parapet.bsky.social"]],
  ["@parapet@mastodon.social", "@parapet@mastodon.social"],
  ["@parapet.", "@parapet"],
  ["parapet lang:de", "(and parapet lang:de)", ["parapet"]],
  ["parapet lang:pt-BR", "(and parapet lang:pt-br)"],
  ["parapet network:Bluesky", "(and parapet network:bluesky)"],
  ["author:@Parapet.bsky.social", "author:parapet.bsky.social", ["author:parapet.bsky.social"]],
  ["parapet -lang:en", "(and parapet (not lang:en))"],
  ["parap*", "parap*", ["parap*"]],
  ["parap* -spam", "(and parap* (not spam))"],
  // Words that the tokenizer splits become phrases; lower-case operators are words.
  ["e-mail", '"e mail"', ["mail"]],
  ["parapet's", '"parapet s"'],
  ["parapet or hack", "(and parapet or hack)"],
  ["near", "near"],
  ["https://parapet.example/news", '"parapet example news"'],
  ["10:30", '"10 30"'],
  // German: umlauts also accept their transliteration; ß is ss.
  ["Müller", "muller|mueller", ["muller", "mueller"]],
  ['"Frau Müller"', '"frau muller|mueller"'],
  ["Straße", "strasse"],
  ["Größe", "grosse|groesse"],
  ["Muller", "muller"],
  // Persian and Arabic.
  ["می‌خواهم", "میخواهم"],
  ["كتاب OR کتاب", "(or کتاب کتاب)", ["کتاب"]],
  ["بانک -بانک‌ها", "(and بانک (not بانکها))"],
  ["مدرسة", "مدرسه"],
  ["العَرَبِيَّة", "العربیه"],
  ["#ایران", "#ایران"],
  ["東京", '"東 京"'],
];

const INVALID: Array<[query: string, code: string, start: number, end: number]> = [
  ["", "query_empty", 0, 1],
  ["   ", "query_empty", 0, 3],
  ["(parapet", "query_unbalanced_parenthesis", 0, 1],
  ["parapet)", "query_unbalanced_parenthesis", 7, 8],
  ["(a OR b", "query_unbalanced_parenthesis", 0, 1],
  ["a (b (c)", "query_unbalanced_parenthesis", 2, 3],
  [")", "query_unbalanced_parenthesis", 0, 1],
  ["a ()", "query_empty_group", 2, 4],
  ['"free insulin', "query_unterminated_phrase", 0, 13],
  ['a ""', "query_empty_phrase", 2, 4],
  ['" "', "query_empty_phrase", 0, 3],
  ["a AND", "query_missing_operand", 2, 5],
  ["AND a", "query_missing_operand", 0, 3],
  ["a OR", "query_missing_operand", 2, 4],
  ["OR a", "query_missing_operand", 0, 2],
  ["a OR OR b", "query_missing_operand", 2, 4],
  ["a NOT", "query_missing_operand", 2, 5],
  ["a -", "query_term_not_searchable", 2, 3],
  ["NEAR/3 a", "query_missing_operand", 0, 6],
  ["a NEAR/3", "query_missing_operand", 2, 8],
  ["a NEAR b", "query_near_invalid", 2, 6],
  ["a NEAR/x b", "query_near_invalid", 2, 8],
  ["a NEAR/99 b", "query_near_invalid", 2, 9],
  ["a NEAR/2 lang:de", "query_near_operand", 9, 16],
  ["(a b) NEAR/2 c", "query_near_operand", 0, 5],
  ["a NEAR/2 -b", "query_missing_operand", 2, 8],
  ["parapet color:red", "query_unknown_field", 8, 13],
  ["site:example.com parapet", "query_unknown_field", 0, 4],
  ["parapet lang:", "query_invalid_field_value", 8, 13],
  ["parapet lang:deutsch", "query_invalid_field_value", 13, 20],
  ["parapet network:myspace", "query_invalid_field_value", 16, 23],
  ["parapet author:@", "query_invalid_field_value", 15, 16],
  ["pa*", "query_prefix_too_short", 0, 3],
  ["p*rapet", "query_invalid_wildcard", 1, 2],
  ["e-ma*", "query_invalid_wildcard", 0, 5],
  ["#par*", "query_invalid_wildcard", 4, 5],
  ["!!!", "query_term_not_searchable", 0, 3],
  ["🔥", "query_term_not_searchable", 0, 2],
  ["#", "query_term_not_searchable", 0, 1],
  ["@@x", "query_term_not_searchable", 0, 3],
  ["-parapet", "query_only_negative", 0, 8],
  ["NOT parapet", "query_only_negative", 0, 11],
  ["-a -b", "query_only_negative", 0, 5],
  ["parapet OR -spam", "query_only_negative", 11, 16],
  ["(a OR (b OR -c))", "query_only_negative", 12, 14],
  ["parapet OR lang:de", "query_only_negative", 11, 18],
  ["lang:de", "query_needs_term", 0, 7],
  ["network:bluesky -spam", "query_needs_term", 0, 21],
  ["a".repeat(4001), "query_too_long", 4000, 4001],
  ["(".repeat(40) + "a" + ")".repeat(40), "query_too_deep", 32, 33],
];

describe("query grammar", () => {
  it.each(VALID)("parses %j", (query, ast, required) => {
    const result = parseQuery(query);
    if (!result.ok) throw new Error(`${query}: ${JSON.stringify(result.error)}`);
    expect(showQuery(result.query.ast)).toBe(ast);
    if (required) expect(result.query.required.sort()).toEqual([...required].sort());
  });

  it.each(INVALID)("rejects %j with %s at its position", (query, code, start, end) => {
    const result = parseQuery(query);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect({ code: result.error.code, start: result.error.start, end: result.error.end }).toEqual({ code, start, end });
    expect(result.error.message.length).toBeGreaterThan(10);
  });

  it("gives spans that point at the text to underline", () => {
    const query = "brand (refund OR color:red)";
    const result = parseQuery(query);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(query.slice(result.error.start, result.error.end)).toBe("color");
  });

  it("explains a query in words and lists its positive terms", () => {
    const result = parseQuery('(Müller OR #parapet) NEAR/3 hack -"free insulin" lang:de');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.query.explanation).toBe(
      "Posts with either the word “Müller” (also written “mueller”) or the hashtag #parapet within 3 words of the word “hack” and not the exact phrase “free insulin” and written in language de",
    );
    expect(result.query.terms.sort()).toEqual(["#parapet", "hack", "muller"].sort());
  });

  it("needs every alternative of an OR to carry a term, so the index can find every match", () => {
    const ok = parseQuery("(parapet lang:de) OR (brustwehr -spam)");
    expect(ok.ok && ok.query.required.sort()).toEqual(["brustwehr", "parapet"]);
  });

  it("chooses the rarer-looking side of an AND as the key when it knows nothing else (longer word)", () => {
    const result = parseQuery("the parapetbrand");
    expect(result.ok && result.query.required).toEqual(["parapetbrand"]);
  });

  it("answers every input an editor may send, keystroke by keystroke, with a result or an error inside the text", () => {
    const random = seededRandom(3);
    const pieces = ["a", "Müller", "بانک", "東", " ", " ", "(", ")", '"', "«", "»", "-", "*", "#", "@", ":", "lang:", "author:", "OR", "AND", "NOT", "NEAR/2", "NEAR", "/", "‌", "🔥"];
    for (let i = 0; i < 5000; i++) {
      let q = "";
      const n = Math.floor(random() * 12);
      for (let k = 0; k < n; k++) q += pieces[Math.floor(random() * pieces.length)] + (random() < 0.5 ? " " : "");
      const result = parseQuery(q);
      if (result.ok) expect(result.query.keys.length, q).toBeGreaterThan(0);
      else {
        expect(result.error.start, q).toBeGreaterThanOrEqual(0);
        expect(result.error.end, q).toBeLessThanOrEqual(Math.max(q.length, 1));
        expect(result.error.end, q).toBeGreaterThan(result.error.start);
      }
    }
    expect(parseQuery("NOT ".repeat(990) + "a b").ok).toBe(true);
  });
});
