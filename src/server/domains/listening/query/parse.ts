// The listening query language: a lexer and a recursive-descent parser producing an AST with source spans.
//
// Precedence, tightest first: NEAR/n (between two atoms) > NOT and "-" (prefix) > AND (explicit or implicit:
// adjacent terms) > OR. Parentheses group. Operators are upper case; "or", "and", "not", "near" in lower case are
// words to look for. docs/listening.md ("Query language") is the user's reference.
import type { QueryErrorCode, QuerySyntaxError } from "./query.errors";
import { normalizeTag, words } from "./tokenize";

export const QUERY_MAX_LENGTH = 4000;
export const NEAR_MAX_DISTANCE = 50;
/** Deepest nesting of parentheses (the parser is recursive). */
export const QUERY_MAX_DEPTH = 32;
export const PREFIX_MIN_LENGTH = 3;
/** A prefix query is indexed under its stem's first characters, at most this many (the matcher looks up each length in use). */
export const PREFIX_KEY_MAX_LENGTH = 8;
/** Networks `network:` accepts. */
export const QUERY_NETWORKS = ["bluesky", "mastodon", "sandbox", "rss"] as const;
export const QUERY_FIELDS = ["lang", "network", "author"] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];

type Span = { start: number; end: number };
/** A word of a term or phrase: its accepted normal forms (usually one; a German umlaut adds its "ae/oe/ue" spelling). */
export type WordForms = string[];

export type QueryNode =
  | ({ type: "term"; text: string; words: WordForms[]; prefix: boolean } & Span)
  | ({ type: "phrase"; text: string; words: WordForms[] } & Span)
  | ({ type: "hashtag"; text: string; tag: string } & Span)
  | ({ type: "handle"; text: string; handle: string } & Span)
  | ({ type: "field"; field: QueryField; value: string } & Span)
  | ({ type: "and"; children: QueryNode[] } & Span)
  | ({ type: "or"; children: QueryNode[] } & Span)
  | ({ type: "not"; child: QueryNode } & Span)
  | ({ type: "near"; distance: number; left: QueryNode; right: QueryNode } & Span);

export type ParsedQuery = {
  ast: QueryNode;
  /** Index keys: a post that matches contains at least one of them (the presearcher's key set). */
  keys: string[];
  /** The same keys as a person reads them: words, "par*", #tags, @handles, author:x. */
  required: string[];
  /** Every positive word, phrase, hashtag and handle of the query (for highlighting). */
  terms: string[];
  /** The query in plain English. */
  explanation: string;
};

export type ParseResult = { ok: true; query: ParsedQuery } | { ok: false; error: QuerySyntaxError };

/** Index key prefixes for what is not a plain token. */
export const PREFIX_KEY = "\u0001";
export const AUTHOR_KEY = "\u0002";

class SyntaxFailure extends Error {
  constructor(readonly error: QuerySyntaxError) {
    super(error.message);
  }
}
const fail = (code: QueryErrorCode, message: string, start: number, end: number): never => {
  throw new SyntaxFailure({ code, message, start, end: Math.max(end, start + 1) });
};

// ---------------------------------------------------------------------------------------------------------------
// Lexer

type Lexeme =
  | ({ kind: "lparen" | "rparen" | "and" | "or" | "not" | "minus" } & Span)
  | ({ kind: "near"; distance: number } & Span)
  | ({ kind: "phrase"; text: string } & Span)
  | ({ kind: "word"; text: string } & Span);

const OPEN_QUOTES = new Set(['"', "“", "„", "«", "”"]);
const CLOSE_QUOTES = new Set(['"', "”", "“", "»"]);
const isSpace = (ch: string) => /\s/u.test(ch);

function lex(q: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i];
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      out.push({ kind: ch === "(" ? "lparen" : "rparen", start: i, end: i + 1 });
      i++;
      continue;
    }
    if (OPEN_QUOTES.has(ch)) {
      let j = i + 1;
      while (j < q.length && !CLOSE_QUOTES.has(q[j])) j++;
      if (j >= q.length) fail("query_unterminated_phrase", "This phrase has no closing quotation mark", i, q.length);
      out.push({ kind: "phrase", text: q.slice(i + 1, j), start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (ch === "-" && i + 1 < q.length && !isSpace(q[i + 1]) && q[i + 1] !== ")" && q[i + 1] !== "-") {
      out.push({ kind: "minus", start: i, end: i + 1 });
      i++;
      continue;
    }
    let j = i;
    while (j < q.length && !isSpace(q[j]) && q[j] !== "(" && q[j] !== ")" && !OPEN_QUOTES.has(q[j])) j++;
    const text = q.slice(i, j);
    if (text === "AND" || text === "OR" || text === "NOT") out.push({ kind: text === "AND" ? "and" : text === "OR" ? "or" : "not", start: i, end: j });
    else if (text === "&&" || text === "||") out.push({ kind: text === "&&" ? "and" : "or", start: i, end: j });
    else if (text.startsWith("NEAR")) {
      const m = /^NEAR\/(\d{1,3})$/.exec(text);
      if (!m) fail("query_near_invalid", `Write NEAR with a distance in words, e.g. NEAR/3 (0 to ${NEAR_MAX_DISTANCE})`, i, j);
      const distance = Number(m![1]);
      if (distance > NEAR_MAX_DISTANCE) fail("query_near_invalid", `NEAR allows at most ${NEAR_MAX_DISTANCE} words between terms`, i, j);
      out.push({ kind: "near", distance, start: i, end: j });
    } else out.push({ kind: "word", text, start: i, end: j });
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

class Parser {
  private at = 0;
  private depth = 0;
  constructor(
    private readonly q: string,
    private readonly lexemes: Lexeme[],
  ) {}

  parse(): QueryNode {
    if (this.lexemes.length === 0) fail("query_empty", "The query is empty: write at least one word, phrase, #hashtag or @handle", 0, this.q.length);
    const node = this.orExpr();
    const extra = this.peek();
    if (extra) {
      if (extra.kind === "rparen") fail("query_unbalanced_parenthesis", "This closing parenthesis has no opening one", extra.start, extra.end);
      fail("query_missing_operand", "Something is missing before this", extra.start, extra.end);
    }
    return node;
  }

  private peek(): Lexeme | undefined {
    return this.lexemes[this.at];
  }

  private orExpr(): QueryNode {
    const children = [this.andExpr()];
    while (this.peek()?.kind === "or") {
      const op = this.lexemes[this.at++];
      if (!this.startsUnary(this.peek())) fail("query_missing_operand", "OR needs a term on both sides", op.start, op.end);
      children.push(this.andExpr());
    }
    return children.length === 1 ? children[0] : { type: "or", children, start: children[0].start, end: children[children.length - 1].end };
  }

  private andExpr(): QueryNode {
    const first = this.peek();
    if (!this.startsUnary(first)) {
      if (!first) fail("query_missing_operand", "A term is missing at the end", this.q.length, this.q.length);
      if (first!.kind === "rparen") fail("query_unbalanced_parenthesis", "This closing parenthesis has no opening one", first!.start, first!.end);
      fail("query_missing_operand", `${this.q.slice(first!.start, first!.end)} needs a term before it`, first!.start, first!.end);
    }
    const children = [this.unary()];
    for (;;) {
      const next = this.peek();
      if (next?.kind === "and") {
        this.at++;
        if (!this.startsUnary(this.peek())) fail("query_missing_operand", "AND needs a term on both sides", next.start, next.end);
        children.push(this.unary());
      } else if (this.startsUnary(next)) children.push(this.unary()); // implicit AND
      else break;
    }
    return children.length === 1 ? children[0] : { type: "and", children, start: children[0].start, end: children[children.length - 1].end };
  }

  private startsUnary(l: Lexeme | undefined): boolean {
    return !!l && (l.kind === "not" || l.kind === "minus" || l.kind === "lparen" || l.kind === "word" || l.kind === "phrase");
  }

  private unary(): QueryNode {
    const l = this.peek()!;
    if (l.kind === "not" || l.kind === "minus") {
      this.at++;
      if (!this.startsUnary(this.peek())) fail("query_missing_operand", l.kind === "not" ? "NOT needs a term after it" : "“-” needs a term right after it", l.start, l.end);
      const child = this.unary();
      return { type: "not", child, start: l.start, end: child.end };
    }
    return this.nearExpr();
  }

  private nearExpr(): QueryNode {
    let left = this.primary();
    while (this.peek()?.kind === "near") {
      const op = this.lexemes[this.at++] as Extract<Lexeme, { kind: "near" }>;
      const next = this.peek();
      if (!next || (next.kind !== "word" && next.kind !== "phrase" && next.kind !== "lparen"))
        fail("query_missing_operand", "NEAR needs a term on both sides", op.start, op.end);
      const right = this.primary();
      for (const side of [left, right]) if (!positional(side)) fail("query_near_operand", "NEAR works between words, phrases, #hashtags, @handles or an OR of them", side.start, side.end);
      left = { type: "near", distance: op.distance, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private primary(): QueryNode {
    const l = this.lexemes[this.at++];
    if (!l) return fail("query_missing_operand", "A term is missing at the end", this.q.length, this.q.length);
    if (l.kind === "lparen") {
      if (++this.depth > QUERY_MAX_DEPTH) fail("query_too_deep", `Parentheses may be nested at most ${QUERY_MAX_DEPTH} deep`, l.start, l.end);
      const next = this.peek();
      if (!next) fail("query_unbalanced_parenthesis", "This parenthesis is never closed", l.start, l.end);
      if (next!.kind === "rparen") fail("query_empty_group", "These parentheses hold nothing", l.start, next!.end);
      const inner = this.orExpr();
      const close = this.peek();
      if (close?.kind !== "rparen") fail("query_unbalanced_parenthesis", "This parenthesis is never closed", l.start, l.end);
      this.at++;
      this.depth--;
      return { ...inner, start: l.start, end: close!.end };
    }
    if (l.kind === "phrase") return this.phrase(l);
    if (l.kind === "word") return this.word(l);
    return fail("query_missing_operand", "A term is missing here", l.start, l.end);
  }

  private phrase(l: Extract<Lexeme, { kind: "phrase" }>): QueryNode {
    const forms = wordForms(l.text);
    if (forms.length === 0) {
      if (l.text.trim() === "") fail("query_empty_phrase", "This phrase is empty", l.start, l.end);
      fail("query_term_not_searchable", "This phrase has no letters or digits to look for", l.start, l.end);
    }
    return { type: "phrase", text: l.text, words: forms, start: l.start, end: l.end };
  }

  private word(l: Extract<Lexeme, { kind: "word" }>): QueryNode {
    const { text, start, end } = l;
    const field = /^([A-Za-z]+):(.*)$/s.exec(text);
    if (field && !field[2].startsWith("//")) return this.field(field[1], field[2], start, end);
    if (text[0] === "#" || text[0] === "@") {
      const body = text.slice(1);
      if (text[0] === "@" && body.includes("@") && body.indexOf("@") === 0) fail("query_term_not_searchable", "A handle has one @ before the name", start, end);
      const normal = normalizeTag(body.replace(/[.\-]+$/u, ""));
      if (words(body).length === 0) fail("query_term_not_searchable", `${text[0] === "#" ? "A hashtag" : "A handle"} needs letters or digits after ${text[0]}`, start, end);
      if (body.includes("*")) fail("query_invalid_wildcard", "A wildcard (*) works only at the end of a word", start + 1 + body.indexOf("*"), start + 2 + body.indexOf("*"));
      return text[0] === "#" ? { type: "hashtag", text, tag: "#" + normal, start, end } : { type: "handle", text, handle: "@" + normal, start, end };
    }
    const star = text.indexOf("*");
    if (star >= 0 && star !== text.length - 1) fail("query_invalid_wildcard", "A wildcard (*) works only at the end of a word", start + star, start + star + 1);
    const prefix = star >= 0;
    // A link's scheme and "www." are not words (the tokenizer drops them from posts too).
    const raw = (prefix ? text.slice(0, -1) : text).replace(/^(https?:\/\/|www\.)/i, "");
    const forms = wordForms(raw);
    if (forms.length === 0) fail("query_term_not_searchable", "This term has no letters or digits to look for", start, end);
    if (prefix) {
      if (forms.length > 1) fail("query_invalid_wildcard", "A wildcard (*) works on a single word", start, end);
      if (forms[0].some((f) => f.length < PREFIX_MIN_LENGTH))
        fail("query_prefix_too_short", `A word with a wildcard needs at least ${PREFIX_MIN_LENGTH} letters before the *`, start, end);
    }
    return { type: "term", text, words: forms, prefix, start, end };
  }

  private field(name: string, value: string, start: number, end: number): QueryNode {
    const field = name.toLowerCase() as QueryField;
    const nameEnd = start + name.length;
    if (!QUERY_FIELDS.includes(field)) fail("query_unknown_field", `Unknown field “${name}:”; fields are ${QUERY_FIELDS.map((f) => f + ":").join(", ")}`, start, nameEnd);
    if (value === "") fail("query_invalid_field_value", `${field}: needs a value right after the colon`, start, end);
    const valueStart = nameEnd + 1;
    if (field === "lang") {
      if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value)) fail("query_invalid_field_value", "lang: takes a language code such as de, fa or pt-BR", valueStart, end);
      return { type: "field", field, value: value.toLowerCase(), start, end };
    }
    if (field === "network") {
      const v = value.toLowerCase();
      if (!(QUERY_NETWORKS as readonly string[]).includes(v)) fail("query_invalid_field_value", `network: takes one of ${QUERY_NETWORKS.join(", ")}`, valueStart, end);
      return { type: "field", field, value: v, start, end };
    }
    const handle = value.replace(/^@/, "");
    if (words(handle).length === 0) fail("query_invalid_field_value", "author: takes a handle, e.g. author:brand.bsky.social", valueStart, end);
    return { type: "field", field, value: normalizeTag(handle), start, end };
  }
}

const UMLAUT: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", Ä: "Ae", Ö: "Oe", Ü: "Ue" };

/**
 * The words a term or phrase must match, each with its accepted forms. A German umlaut written in the query also
 * accepts its transliteration: "Müller" matches Müller, Muller and Mueller. ("Mueller" in a query matches only
 * Mueller: folding every "ue" to "u" would make "due" match "du" and "blue" match "blu".)
 */
function wordForms(raw: string): WordForms[] {
  const base = words(raw);
  const composed = raw.normalize("NFC");
  if (!/[äöüÄÖÜ]/u.test(composed)) return base.map((w) => [w]);
  const variant = words(composed.replace(/[äöüÄÖÜ]/gu, (m) => UMLAUT[m]));
  if (variant.length !== base.length) return base.map((w) => [w]);
  return base.map((w, i) => (variant[i] === w ? [w] : [w, variant[i]]));
}

function positional(node: QueryNode): boolean {
  if (node.type === "term" || node.type === "phrase" || node.type === "hashtag" || node.type === "handle") return true;
  return node.type === "or" && node.children.every(positional);
}

// ---------------------------------------------------------------------------------------------------------------
// Requirements: the key set the presearcher indexes, and the "at least one positive term" rule

type KeySet = { keys: string[]; label: string[] } | null;

/** The cost of indexing a query under a set of keys: how many posts are expected to contain one of them. */
export type KeyCost = (keys: string[]) => number;

/** Without word frequencies: fewer keys and longer words are rarer (a smaller cost is a better key set). */
export const lengthKeyCost: KeyCost = (keys) => keys.length * 100 - Math.min(Math.min(...keys.map((x) => x.length)), 30);

/** The keys a query requires, chosen by a cost (the matcher passes one that knows how often words occur). */
export function requiredKeys(ast: QueryNode, cost: KeyCost = lengthKeyCost): { keys: string[]; label: string[] } | null {
  return keySet(ast, (k) => cost(k.keys));
}

function keySet(node: QueryNode, score: (k: NonNullable<KeySet>) => number = (k) => lengthKeyCost(k.keys)): KeySet {
  switch (node.type) {
    case "term":
    case "phrase": {
      const ws = node.words;
      const last = ws.length - 1;
      let best: NonNullable<KeySet> | null = null;
      for (let i = 0; i < ws.length; i++) {
        if (node.type === "term" && node.prefix && i === last) continue;
        const cand = { keys: ws[i], label: ws[i] };
        if (!best || score(cand) < score(best)) best = cand;
      }
      if (best) return best;
      const stems = ws[last];
      return { keys: [...new Set(stems.map((s) => PREFIX_KEY + s.slice(0, PREFIX_KEY_MAX_LENGTH)))], label: stems.map((s) => s + "*") };
    }
    case "hashtag":
      return { keys: [node.tag], label: [node.tag] };
    case "handle":
      return { keys: [node.handle], label: [node.handle] };
    case "field":
      return node.field === "author" ? { keys: [AUTHOR_KEY + node.value], label: ["author:" + node.value] } : null;
    case "not":
      return null;
    case "near": {
      const l = keySet(node.left, score)!;
      const r = keySet(node.right, score)!;
      return score(l) <= score(r) ? l : r;
    }
    case "and": {
      let best: KeySet = null;
      for (const c of node.children) {
        const k = keySet(c, score);
        if (k && (!best || score(k) < score(best))) best = k;
      }
      return best;
    }
    case "or": {
      const keys = new Set<string>();
      const label = new Set<string>();
      for (const c of node.children) {
        const k = keySet(c, score);
        if (!k) return null;
        k.keys.forEach((x) => keys.add(x));
        k.label.forEach((x) => label.add(x));
      }
      return { keys: [...keys], label: [...label] };
    }
  }
}

function hasPositiveTerm(node: QueryNode): boolean {
  switch (node.type) {
    case "not":
      return false;
    case "field":
      return node.field === "author";
    case "and":
    case "or":
      return node.children.some(hasPositiveTerm);
    default:
      return true;
  }
}

function hasFilterField(node: QueryNode): boolean {
  if (node.type === "field") return true;
  if (node.type === "and" || node.type === "or") return node.children.some(hasFilterField);
  return false;
}

/** The first alternative of an OR (depth first) that needs no term; the place to underline. */
function unindexableBranch(node: QueryNode): QueryNode | null {
  if (node.type === "or") {
    for (const c of node.children) if (!keySet(c)) return unindexableBranch(c) ?? c;
    return null;
  }
  if (node.type === "and") {
    for (const c of node.children) {
      const b = unindexableBranch(c);
      if (b) return b;
    }
  }
  return null;
}

function checkRequirements(q: string, ast: QueryNode): NonNullable<KeySet> {
  const k = keySet(ast);
  if (k) return k;
  if (!hasPositiveTerm(ast)) {
    if (hasFilterField(ast))
      fail("query_needs_term", "lang: and network: only narrow a query: add a word, phrase, #hashtag, @handle or author: to look for", 0, q.length);
    fail("query_only_negative", "A query needs at least one word, phrase, #hashtag or @handle to look for, not only exclusions", 0, q.length);
  }
  const branch = unindexableBranch(ast) ?? ast;
  return fail("query_only_negative", "Each alternative of OR needs a word, phrase, #hashtag or @handle to look for, not only exclusions or filters", branch.start, branch.end);
}

function positiveTerms(node: QueryNode, negated: boolean, out: Set<string>): void {
  switch (node.type) {
    case "term":
      if (!negated) out.add(node.words.map((w) => w[0]).join(" ") + (node.prefix ? "*" : ""));
      return;
    case "phrase":
      if (!negated) out.add(node.words.map((w) => w[0]).join(" "));
      return;
    case "hashtag":
      if (!negated) out.add(node.tag);
      return;
    case "handle":
      if (!negated) out.add(node.handle);
      return;
    case "field":
      return;
    case "not":
      return positiveTerms(node.child, !negated, out);
    case "near":
      positiveTerms(node.left, negated, out);
      return positiveTerms(node.right, negated, out);
    default:
      node.children.forEach((c) => positiveTerms(c, negated, out));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Explanation

const quote = (s: string) => `“${s}”`;
/** " (also written “mueller”)" when a German umlaut gave a second spelling. */
function variants(words: WordForms[]): string {
  if (!words.some((f) => f.length > 1)) return "";
  return ` (also written ${quote(words.map((f) => f[f.length - 1]).join(" "))})`;
}

/** The query in plain English, e.g. `the word “parapet” and not the phrase “free insulin”, in language de`. */
export function explain(node: QueryNode): string {
  switch (node.type) {
    case "term": {
      if (node.prefix) return `a word starting with ${quote(node.text.slice(0, -1))}${variants(node.words)}`;
      return node.words.length > 1 ? `the words ${quote(node.words.map((f) => f[0]).join(" "))} in a row${variants(node.words)}` : `the word ${quote(node.text)}${variants(node.words)}`;
    }
    case "phrase":
      return `the exact phrase ${quote(node.text.trim())}${variants(node.words)}`;
    case "hashtag":
      return `the hashtag ${node.tag}`;
    case "handle":
      return `the handle ${node.handle}`;
    case "field":
      return node.field === "lang" ? `written in language ${node.value}` : node.field === "network" ? `posted on ${node.value}` : `posted by @${node.value}`;
    case "not":
      return `not ${explain(node.child)}`;
    case "near":
      return `${explain(node.left)} within ${node.distance} word${node.distance === 1 ? "" : "s"} of ${explain(node.right)}`;
    case "and":
      return node.children.map((c) => (c.type === "or" ? `(${explain(c)})` : explain(c))).join(" and ");
    case "or":
      return "either " + node.children.map((c) => (c.type === "and" ? `(${explain(c)})` : explain(c))).join(" or ");
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** Parses a query: its AST, the keys it requires, its terms and an explanation, or a syntax error with its span. */
export function parseQuery(q: string): ParseResult {
  try {
    if (q.length > QUERY_MAX_LENGTH) fail("query_too_long", `A query may have at most ${QUERY_MAX_LENGTH} characters`, QUERY_MAX_LENGTH, q.length);
    const ast = new Parser(q, lex(q)).parse();
    const required = checkRequirements(q, ast);
    const terms = new Set<string>();
    positiveTerms(ast, false, terms);
    return { ok: true, query: { ast, keys: required.keys, required: required.label, terms: [...terms], explanation: "Posts with " + explain(ast) } };
  } catch (err) {
    if (err instanceof SyntaxFailure) return { ok: false, error: err.error };
    throw err;
  }
}

/** A compact, readable form of an AST (used by the grammar tests and handy in logs). */
export function showQuery(node: QueryNode): string {
  const w = (forms: WordForms[]) => forms.map((f) => f.join("|")).join(" ");
  switch (node.type) {
    case "term":
      return node.words.length > 1 ? `"${w(node.words)}"` : w(node.words) + (node.prefix ? "*" : "");
    case "phrase":
      return `"${w(node.words)}"`;
    case "hashtag":
      return node.tag;
    case "handle":
      return node.handle;
    case "field":
      return `${node.field}:${node.value}`;
    case "not":
      return `(not ${showQuery(node.child)})`;
    case "near":
      return `(near/${node.distance} ${showQuery(node.left)} ${showQuery(node.right)})`;
    default:
      return `(${node.type} ${node.children.map(showQuery).join(" ")})`;
  }
}
