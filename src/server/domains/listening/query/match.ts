// Matching posts against saved queries. A post is analysed once (tokens → positions); every active query is compiled
// once into a QueryMatcher: an inverted index from each query's required keys (parse.ts, `keys`) to the queries, so
// a post looks up its own distinct tokens and verifies only the queries found — never a loop over all queries.
// Adding or removing a query touches only that query's index entries.
import { AUTHOR_KEY, lengthKeyCost, parseQuery, PREFIX_KEY, requiredKeys, type KeyCost, type ParsedQuery, type QueryNode, type WordForms } from "./parse";
import { queryInvalid } from "./query.errors";
import { normalizeTag, tokenize } from "./tokenize";

/** What matching needs of a post (Bluesky's `langs` may list several languages). */
export type PostToMatch = {
  text: string;
  langs?: readonly string[] | string | null;
  network?: string | null;
  /** The author's handle (with or without "@"). */
  author?: string | null;
};

/** A post tokenised once, ready to be matched against any number of queries. */
export type AnalyzedPost = {
  /** Each distinct token with its word positions, ascending. */
  positions: Map<string, number[]>;
  langs: string[];
  network: string | null;
  /** The author's normalised handle, and for "user@server" also "user". */
  authors: string[];
};

/** Tokenises and indexes a post's text by token. */
export function analyzePost(post: PostToMatch): AnalyzedPost {
  const { tokens, positions: pos } = tokenize(post.text);
  const positions = new Map<string, number[]>();
  for (let i = 0; i < tokens.length; i++) {
    const list = positions.get(tokens[i]);
    if (list) {
      if (list[list.length - 1] !== pos[i]) list.push(pos[i]);
    } else positions.set(tokens[i], [pos[i]]);
  }
  const langs = post.langs == null ? [] : (typeof post.langs === "string" ? [post.langs] : [...post.langs]).map((l) => l.toLowerCase());
  const authors: string[] = [];
  if (post.author) {
    const handle = normalizeTag(post.author.replace(/^@/, ""));
    authors.push(handle);
    const at = handle.indexOf("@");
    if (at > 0) authors.push(handle.slice(0, at));
  }
  return { positions, langs, network: post.network ? post.network.toLowerCase() : null, authors };
}

// ---------------------------------------------------------------------------------------------------------------
// Verification of one query on one analysed post

/** Start and end word positions of each occurrence. */
type Occurrences = Array<[number, number]>;

function wordPositions(post: AnalyzedPost, forms: WordForms): number[] | undefined {
  if (forms.length === 1) return post.positions.get(forms[0]);
  let merged: number[] | undefined;
  for (const f of forms) {
    const p = post.positions.get(f);
    if (p) merged = merged ? [...merged, ...p].sort((a, b) => a - b) : p;
  }
  return merged;
}

function prefixPositions(post: AnalyzedPost, forms: WordForms): number[] | undefined {
  let merged: number[] | undefined;
  for (const [token, p] of post.positions) {
    if (!startsWithAny(token, forms)) continue;
    merged = merged ? merged.concat(p) : p;
  }
  return merged ? [...merged].sort((a, b) => a - b) : undefined; // a copy: the post's own lists stay untouched
}

/** Whether any word (not a hashtag or handle) of the post starts with one of the stems. */
function hasPrefix(post: AnalyzedPost, forms: WordForms): boolean {
  for (const token of post.positions.keys()) if (startsWithAny(token, forms)) return true;
  return false;
}

function startsWithAny(token: string, forms: WordForms): boolean {
  const first = token.charCodeAt(0);
  if (first === 0x23 || first === 0x40) return false; // hashtags and handles are not words
  for (let i = 0; i < forms.length; i++) if (token.startsWith(forms[i])) return true;
  return false;
}

function hasWord(post: AnalyzedPost, forms: WordForms): boolean {
  for (let i = 0; i < forms.length; i++) if (post.positions.has(forms[i])) return true;
  return false;
}

function hasAt(post: AnalyzedPost, forms: WordForms, position: number, prefix: boolean): boolean {
  const p = prefix ? prefixPositions(post, forms) : wordPositions(post, forms);
  return !!p && p.includes(position);
}

/** Occurrences of a sequence of words (a term, a phrase): consecutive positions. */
function sequence(post: AnalyzedPost, words: WordForms[], prefixLast: boolean, firstOnly: boolean): Occurrences {
  const out: Occurrences = [];
  const last = words.length - 1;
  const starts = prefixLast && last === 0 ? prefixPositions(post, words[0]) : wordPositions(post, words[0]);
  if (!starts) return out;
  for (const s of starts) {
    let ok = true;
    for (let k = 1; k <= last && ok; k++) ok = hasAt(post, words[k], s + k, prefixLast && k === last);
    if (ok) {
      out.push([s, s + last]);
      if (firstOnly) break;
    }
  }
  return out;
}

function occurrences(node: QueryNode, post: AnalyzedPost, firstOnly: boolean): Occurrences {
  switch (node.type) {
    case "term":
      return sequence(post, node.words, node.prefix, firstOnly);
    case "phrase":
      return sequence(post, node.words, false, firstOnly);
    case "hashtag":
    case "handle": {
      const p = post.positions.get(node.type === "hashtag" ? node.tag : node.handle);
      return p ? p.map((x) => [x, x] as [number, number]) : [];
    }
    case "or":
      return node.children.flatMap((c) => occurrences(c, post, firstOnly));
    default:
      throw new Error(`not positional: ${node.type}`);
  }
}

/** Whether one parsed query matches an analysed post (exact: phrases, NEAR, NOT and fields). */
export function evaluate(node: QueryNode, post: AnalyzedPost): boolean {
  switch (node.type) {
    case "term":
      if (node.words.length === 1) return node.prefix ? hasPrefix(post, node.words[0]) : hasWord(post, node.words[0]);
      return sequence(post, node.words, node.prefix, true).length > 0;
    case "phrase":
      return sequence(post, node.words, false, true).length > 0;
    case "hashtag":
      return post.positions.has(node.tag);
    case "handle":
      return post.positions.has(node.handle);
    case "field":
      if (node.field === "lang") return post.langs.some((l) => l === node.value || (!node.value.includes("-") && l.startsWith(node.value + "-")));
      if (node.field === "network") return post.network === node.value;
      return post.authors.includes(node.value);
    case "not":
      return !evaluate(node.child, post);
    case "and":
      return node.children.every((c) => evaluate(c, post));
    case "or":
      return node.children.some((c) => evaluate(c, post));
    case "near": {
      const left = occurrences(node.left, post, false);
      if (left.length === 0) return false;
      const right = occurrences(node.right, post, false);
      for (const [ls, le] of left)
        for (const [rs, re] of right) {
          // Words strictly between the two occurrences, in either order; overlapping occurrences do not count.
          const gap = rs > le ? rs - le - 1 : ls > re ? ls - re - 1 : -1;
          if (gap >= 0 && gap <= node.distance) return true;
        }
      return false;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The matcher

// A local copy of the author key prefix (module bindings may be read through getters in a hot loop).
const AUTHOR: string = AUTHOR_KEY;

type Entry = { id: string; query: ParsedQuery; keys: string[]; seen: number };

/** Parses a query or throws its syntax error as an AppError (code, span in `extra`). */
export function compileQuery(text: string): ParsedQuery {
  const result = parseQuery(text);
  if (!result.ok) throw queryInvalid(result.error);
  return result.query;
}

/**
 * All active queries, compiled once and indexed by their required keys. A post looks up its distinct tokens (and,
 * when prefix or author queries exist, its token stems and author) and verifies only the queries found.
 *
 * Which keys a query is indexed under matters: "refund AND acme" is best found through "acme". Without knowledge the
 * matcher prefers fewer and longer words; after `observe`-ing a sample of posts it prefers the words seen least,
 * for queries added from then on, and `rekey()` applies that to the queries already there.
 */
export class QueryMatcher {
  private readonly index = new Map<string, Entry[]>();
  /** Prefix queries by their stem (a post's tokens are cut to each stem length in use and looked up here). */
  private readonly stems = new Map<string, Entry[]>();
  private readonly entries = new Map<string, Entry>();
  /** How many observed posts contained each token (document frequency of a sample). */
  private readonly frequency = new Map<string, number>();
  private observedPosts = 0;
  /** How many index keys of prefix queries have each stem length; the lengths a post's tokens are cut to. */
  private readonly prefixLengthCounts = new Map<number, number>();
  private prefixLengths: number[] = [];
  private authorQueries = 0;
  private epoch = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Adds (or replaces) a query under an id; a string is parsed and a syntax error thrown as an AppError. */
  add(id: string, query: string | ParsedQuery): ParsedQuery {
    const parsed = typeof query === "string" ? compileQuery(query) : query;
    this.remove(id);
    const entry: Entry = { id, query: parsed, keys: this.keysFor(parsed), seen: 0 };
    this.entries.set(id, entry);
    this.indexEntry(entry);
    return parsed;
  }

  /** Removes a query; only its own index entries are touched. */
  remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    this.unindexEntry(entry);
    return true;
  }

  /** Counts a sample post's tokens, so keys can be chosen by how rare their words are. */
  observe(input: PostToMatch | AnalyzedPost): void {
    const post = "positions" in input ? input : analyzePost(input);
    this.observedPosts++;
    for (const token of post.positions.keys()) this.frequency.set(token, (this.frequency.get(token) ?? 0) + 1);
  }

  /** Re-chooses every query's keys from the observed frequencies; returns how many queries moved. */
  rekey(): number {
    let moved = 0;
    for (const entry of this.entries.values()) {
      const keys = this.keysFor(entry.query);
      if (keys.length === entry.keys.length && keys.every((k, i) => k === entry.keys[i])) continue;
      this.unindexEntry(entry);
      entry.keys = keys;
      this.indexEntry(entry);
      moved++;
    }
    return moved;
  }

  private keysFor(query: ParsedQuery): string[] {
    if (this.observedPosts === 0) return query.keys;
    const unknownPrefix = this.observedPosts / 100; // a stem's frequency is not counted: assume a common-ish word
    const cost: KeyCost = (keys) =>
      keys.reduce((sum, k) => sum + (k.startsWith(PREFIX_KEY) ? unknownPrefix : (this.frequency.get(k) ?? 0)), 0) * 1000 + lengthKeyCost(keys);
    return requiredKeys(query.ast, cost)?.keys ?? query.keys;
  }

  private indexEntry(entry: Entry): void {
    for (const key of entry.keys) {
      const stem = key.startsWith(PREFIX_KEY);
      const map = stem ? this.stems : this.index;
      const k = stem ? key.slice(PREFIX_KEY.length) : key;
      const list = map.get(k);
      if (list) list.push(entry);
      else map.set(k, [entry]);
      if (stem) this.countPrefix(k.length, 1);
      else if (key.startsWith(AUTHOR_KEY)) this.authorQueries++;
    }
  }

  private unindexEntry(entry: Entry): void {
    for (const key of entry.keys) {
      const stem = key.startsWith(PREFIX_KEY);
      const map = stem ? this.stems : this.index;
      const k = stem ? key.slice(PREFIX_KEY.length) : key;
      const list = map.get(k)!;
      const i = list.indexOf(entry);
      list[i] = list[list.length - 1];
      list.pop();
      if (list.length === 0) map.delete(k);
      if (stem) this.countPrefix(k.length, -1);
      else if (key.startsWith(AUTHOR_KEY)) this.authorQueries--;
    }
  }

  private countPrefix(length: number, delta: number): void {
    const n = (this.prefixLengthCounts.get(length) ?? 0) + delta;
    if (n === 0) this.prefixLengthCounts.delete(length);
    else this.prefixLengthCounts.set(length, n);
    this.prefixLengths = [...this.prefixLengthCounts.keys()];
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The ids of every query matching the post, in no particular order. */
  match(input: PostToMatch | AnalyzedPost): string[] {
    const post = "positions" in input ? input : analyzePost(input);
    const epoch = ++this.epoch;
    const matched: string[] = [];
    const index = this.index;
    const lengths = this.prefixLengths;
    for (const token of post.positions.keys()) {
      const list = index.get(token);
      if (list !== undefined) this.verify(list, post, epoch, matched);
      if (lengths.length > 0) {
        const first = token.charCodeAt(0);
        if (first === 0x23 || first === 0x40) continue; // hashtags and handles are not words
        for (let i = 0; i < lengths.length; i++)
          if (token.length >= lengths[i]) {
            const stems = this.stems.get(token.length === lengths[i] ? token : token.slice(0, lengths[i]));
            if (stems !== undefined) this.verify(stems, post, epoch, matched);
          }
      }
    }
    if (this.authorQueries > 0)
      for (const a of post.authors) {
        const list = index.get(AUTHOR + a);
        if (list !== undefined) this.verify(list, post, epoch, matched);
      }
    return matched;
  }

  private verify(list: Entry[], post: AnalyzedPost, epoch: number, matched: string[]): void {
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (e.seen === epoch) continue;
      e.seen = epoch;
      if (evaluate(e.query.ast, post)) matched.push(e.id);
    }
  }
}

/** The reference: every query evaluated on the post, one by one (tests and the benchmark compare against it). */
export function matchNaively(queries: Iterable<[string, ParsedQuery]>, input: PostToMatch | AnalyzedPost): string[] {
  const post = "positions" in input ? input : analyzePost(input);
  const matched: string[] = [];
  for (const [id, q] of queries) if (evaluate(q.ast, post)) matched.push(id);
  return matched;
}
