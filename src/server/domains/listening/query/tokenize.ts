// One pass over a text, producing normalised word tokens with their positions (the n-th word is position n).
// Word boundaries: a word is a run of letters, digits and combining marks; everything else separates words
// (spaces, punctuation, apostrophes, hyphens, underscores, symbols, emoji). Scripts written without spaces (Han,
// Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) give one token per character, so a query word in them matches as a
// run of adjacent characters. Removed characters (ZWNJ, tatweel, diacritics) do not break a word.
//
// A word written with zero-width non-joiners (Persian "بانک‌ها") is one token without them ("بانکها", so "می‌خواهم"
// and "میخواهم" are the same word) and each of its parts is a token at the same position ("بانک", "ها").
//
// Hashtags and handles are tokens of their own, at the position of their first inner word, and their inner words are
// tokens too: "#ParapetHack" gives "#parapethack" and "parapethack"; "@brand.bsky.social" gives "@brand.bsky.social",
// "brand", "bsky", "social"; a Mastodon address "@user@server.social" also gives "@user". In URLs (http://, https://,
// www.) "#" and "@" do not start hashtags or handles; the URL's words (without scheme and "www") are tokens.
import { astralClass, charClass as classTable, charFold as foldTable, decompose } from "./normalize";

// Local copies: module bindings read through a getter in some loaders (tsx), too slow for a per-character loop.
const charClass: Uint8Array = classTable;
const charFold: Uint16Array = foldTable;
const SEPARATOR = 0;
const WORD = 1;
const MARK = 2;
const IDEOGRAPH = 3;
const REMOVED = 4;

export type Tokens = {
  /** Normalised tokens in text order; hashtags start with "#", handles with "@". */
  tokens: string[];
  /** Word position of each token (hashtags and handles share the position of their first inner word). */
  positions: number[];
  /** Number of word positions. */
  words: number;
};

const HASH = 0x23;
const AT = 0x40;
const UNDERSCORE = 0x5f;
const DOT = 0x2e;
const HYPHEN = 0x2d;
const ZWNJ = 0x200c;

function isWordUnit(cls: number, c: number): boolean {
  return cls === WORD || cls === IDEOGRAPH || cls === MARK || (c >= 0xd800 && c <= 0xdbff);
}

/** Splits a text into normalised tokens with positions. */
export function tokenize(text: string): Tokens {
  const out: Tokens = { tokens: [], positions: [], words: 0 };
  scan(decompose(text), 0, -1, out, true);
  return out;
}

/** The normalised plain words of a text (no hashtags or handles): what a query term or phrase must match in order. */
export function words(text: string): string[] {
  const out: Tokens = { tokens: [], positions: [], words: 0 };
  scan(decompose(text), 0, -1, out, false);
  // One word per position: the parts of a ZWNJ-joined word share its position and are left out.
  return out.tokens.filter((_, i) => i === 0 || out.positions[i] !== out.positions[i - 1]);
}

/** Normalises a hashtag or handle body (without its sigil) as the tokenizer does. */
export function normalizeTag(body: string): string {
  const s = decompose(body);
  return foldRange(s, 0, s.length);
}

function foldRange(s: string, start: number, end: number): string {
  let clean = true;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (charFold[c] !== 0 || charClass[c] === REMOVED || c === 0xdf) {
      clean = false;
      break;
    }
  }
  if (clean) return s.slice(start, end);
  let w = "";
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (charClass[c] === REMOVED) continue;
    if (c === 0xdf || c === 0x1e9e) {
      w += "ss";
      continue;
    }
    const f = charFold[c];
    w += f === 0 ? s[i] : String.fromCharCode(f);
  }
  return w;
}

function startsUrl(s: string, i: number): number {
  // Returns the index after "http://", "https://" or "www." at i (0: not a URL).
  const c = s.charCodeAt(i) | 0x20;
  if (c === 0x68 /* h */) {
    if (s.startsWith("https://", i) || s.startsWith("HTTPS://", i)) return i + 8;
    if (s.startsWith("http://", i) || s.startsWith("HTTP://", i)) return i + 7;
  } else if (c === 0x77 /* w */ && (s.startsWith("www.", i) || s.startsWith("WWW.", i))) return i + 4;
  return 0;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029;
}

/**
 * Scans s[start, end) into out. `tags`: recognise hashtags, handles and URLs (false inside them).
 */
function scan(s: string, start: number, end: number, out: Tokens, tags: boolean): void {
  if (end < 0) end = s.length;
  let i = start;
  let prevWord = false; // the previous code unit belongs to a word (so "#" or "@" here is inside a word: no tag)
  while (i < end) {
    const c = s.charCodeAt(i);
    let cls: number = charClass[c];
    if (tags && !prevWord) {
      if ((c === HASH || c === AT) && i + 1 < end) {
        const n = s.charCodeAt(i + 1);
        if (isWordUnit(charClass[n], n)) {
          i = c === HASH ? scanHashtag(s, i, end, out) : scanHandle(s, i, end, out);
          prevWord = false;
          continue;
        }
      }
      if (c === 0x68 || c === 0x77 || c === 0x48 || c === 0x57) {
        const after = startsUrl(s, i);
        if (after) {
          let j = after;
          while (j < end && !isSpace(s.charCodeAt(j))) j++;
          // Trailing punctuation belongs to the sentence, not the URL.
          scan(s, after, j, out, false);
          i = j;
          prevWord = false;
          continue;
        }
      }
    }
    if (cls === WORD || cls === MARK || cls === REMOVED || (c >= 0xd800 && c <= 0xdbff)) {
      // A word: letters, digits, marks; removed characters join; an ideograph or a separator ends it.
      const wordStart = i;
      let clean = true;
      let astral = false;
      let joins: number[] | undefined; // zero-width non-joiners inside the word
      let j = i;
      for (; j < end; j++) {
        const d = s.charCodeAt(j);
        const k = charClass[d];
        if (k === WORD || k === MARK) {
          if (charFold[d] !== 0 || d === 0xdf) clean = false;
          continue;
        }
        if (k === REMOVED) {
          clean = false;
          if (d === ZWNJ) (joins ??= []).push(j);
          continue;
        }
        if (d >= 0xd800 && d <= 0xdbff && j + 1 < end) {
          const cp = s.codePointAt(j)!;
          if (astralClass(cp) === WORD) {
            astral = true;
            j++;
            continue;
          }
        }
        break;
      }
      if (j === wordStart) {
        if (c >= 0xd800 && c <= 0xdbff && j + 1 < end && astralClass(s.codePointAt(j)!) === IDEOGRAPH) {
          out.tokens.push(s.slice(j, j + 2)); // CJK extension B and later: one token per character
          out.positions.push(out.words++);
          i = j + 2;
          prevWord = true;
          continue;
        }
        // A lone high surrogate of a non-letter (emoji): skip the pair.
        i = j + ((c >= 0xd800 && c <= 0xdbff) ? 2 : 1);
        prevWord = false;
        continue;
      }
      const w = clean && !astral ? s.slice(wordStart, j) : foldRange(s, wordStart, j);
      if (w.length > 0) {
        const position = out.words++;
        out.tokens.push(w);
        out.positions.push(position);
        // Persian writes suffixes and prefixes after a ZWNJ ("بانک‌ها", "می‌خواهم"): the joined word is the token, and
        // each part is a token at the same position too, so "بانک" finds "بانک‌ها".
        if (joins) {
          let from = wordStart;
          for (const at of [...joins, j]) {
            const part = foldRange(s, from, at);
            if (part.length > 0 && part !== w) {
              out.tokens.push(part);
              out.positions.push(position);
            }
            from = at + 1;
          }
        }
      }
      i = j;
      prevWord = true;
      continue;
    }
    if (cls === IDEOGRAPH) {
      // One token per character, with the marks that follow it (Thai vowel signs, Japanese voicing marks).
      let j = i + 1;
      while (j < end && charClass[s.charCodeAt(j)] === MARK) j++;
      out.tokens.push(j === i + 1 ? s[i] : s.slice(i, j));
      out.positions.push(out.words++);
      i = j;
      prevWord = true;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      i++;
      continue;
    }
    prevWord = false;
    i++;
  }
}

function scanHashtag(s: string, i: number, end: number, out: Tokens): number {
  let j = i + 1;
  while (j < end) {
    const d = s.charCodeAt(j);
    const k = charClass[d];
    if (k === WORD || k === MARK || k === IDEOGRAPH || k === REMOVED || d === UNDERSCORE) j++;
    else if (d >= 0xd800 && d <= 0xdbff && j + 1 < end && astralClass(s.codePointAt(j)!) !== SEPARATOR) j += 2;
    else break;
  }
  emitTag("#", s, i + 1, j, out);
  return j;
}

function scanHandle(s: string, i: number, end: number, out: Tokens): number {
  let j = i + 1;
  let at = -1;
  while (j < end) {
    const d = s.charCodeAt(j);
    const k = charClass[d];
    if (k === WORD || k === MARK || k === REMOVED || d === UNDERSCORE || d === DOT || d === HYPHEN) j++;
    else if (d === AT && at < 0 && j + 1 < end && charClass[s.charCodeAt(j + 1)] === WORD) {
      at = j;
      j++;
    } else break;
  }
  // A sentence's full stop or a dash after a handle is not part of it.
  while (j > i + 1 && (s.charCodeAt(j - 1) === DOT || s.charCodeAt(j - 1) === HYPHEN)) j--;
  const position = out.words;
  emitTag("@", s, i + 1, j, out);
  if (at > 0 && at < j) {
    out.tokens.push("@" + foldRange(s, i + 1, at));
    out.positions.push(position);
  }
  return j;
}

function emitTag(sigil: string, s: string, bodyStart: number, bodyEnd: number, out: Tokens): void {
  out.tokens.push(sigil + foldRange(s, bodyStart, bodyEnd));
  out.positions.push(out.words);
  const before = out.words;
  scan(s, bodyStart, bodyEnd, out, false);
  // A body made of separators only ("#_"): the tag still takes a position so it can be found near others.
  if (out.words === before) out.words++;
}
