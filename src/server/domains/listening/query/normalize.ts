// Text normalisation shared by saved queries and incoming posts: both sides go through the same steps, so a query word
// matches a post word exactly when their normal forms are equal. The rules (docs/listening.md, "Query language"):
//
//  - Unicode compatibility decomposition (NFKD: full-width → ASCII, ligatures, Arabic presentation forms), then
//    lower case (locale-independent), final sigma ς → σ, German ß/ẞ → ss.
//  - Accents and diacritics removed: Latin/Greek/Cyrillic combining marks (é → e, ü → u, ñ → n, ё → е),
//    Arabic harakat, superscript alef and Quranic marks, Hebrew points. Vowel signs of Indic and South-East Asian
//    scripts are letters of the word, not decoration: they are kept. Japanese voicing marks are kept.
//  - Arabic and Persian letter variants folded as Lucene's Arabic/Persian normalisers do: ي ى ی ئ → ی, ك → ک,
//    أ إ آ ٱ → ا, ة ۀ ە ہ → ه, ؤ → و; Arabic-Indic and Persian digits → 0–9; tatweel (ـ) removed.
//  - Zero-width non-joiner and joiner, soft hyphen, word joiner and BOM removed, so "می‌خواهم" = "میخواهم".
//
// The module precomputes one table over the Basic Multilingual Plane so the tokenizer classifies a UTF-16 code unit
// with one array read (Intl.Segmenter was about 6× slower on the benchmark corpus; see bench/listening-match.ts).

/** What the tokenizer does with a (normalised, lower-case) code unit. */
export const enum CharClass {
  /** Ends a word: spaces, punctuation, symbols, emoji. */
  Separator = 0,
  /** Letter or digit of a script that separates words with spaces (Latin, Arabic, Cyrillic, Hangul, Indic…). */
  Word = 1,
  /** A combining mark that stays: continues the current word. */
  Mark = 2,
  /** A letter of a script written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar): one token each. */
  Ideograph = 3,
  /** Removed before tokenizing (diacritics, harakat, tatweel, ZWNJ…): invisible to words. */
  Removed = 4,
}

const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const NO_SPACE_SCRIPT = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;

/** Code points removed outright (ranges, inclusive). */
const REMOVED_RANGES: Array<[number, number]> = [
  [0x0300, 0x036f], // combining diacritical marks (Latin, Greek, Cyrillic accents after NFKD)
  [0x1ab0, 0x1aff], // combining diacritical marks extended
  [0x1dc0, 0x1dff], // combining diacritical marks supplement
  [0x20d0, 0x20ff], // combining marks for symbols
  [0xfe20, 0xfe2f], // combining half marks
  [0x0591, 0x05bd], // Hebrew cantillation and points
  [0x05bf, 0x05bf],
  [0x05c1, 0x05c2],
  [0x05c4, 0x05c5],
  [0x05c7, 0x05c7],
  [0x0610, 0x061a], // Arabic honorifics and small signs
  [0x064b, 0x065f], // Arabic harakat (fatha, damma, kasra, tanwin, shadda, sukun, hamza above/below, madda)
  [0x0670, 0x0670], // superscript alef
  [0x06d6, 0x06dc], // Quranic annotation signs
  [0x06df, 0x06e4],
  [0x06e7, 0x06e8],
  [0x06ea, 0x06ed],
  [0x0640, 0x0640], // tatweel (kashida)
  [0x00ad, 0x00ad], // soft hyphen
  [0x200b, 0x200d], // zero-width space, non-joiner (ZWNJ), joiner
  [0x2060, 0x2060], // word joiner
  [0xfeff, 0xfeff], // byte order mark / zero-width no-break space
  [0xfe00, 0xfe0f], // variation selectors
];

/** Single code unit replacements applied after lower-casing (0: none). */
const FOLD_PAIRS: Array<[string, string]> = [
  ["ς", "σ"],
  // Arabic and Persian letter variants (after NFKD, أ إ آ ئ ؤ arrive as a base letter + a removed hamza/madda).
  ["ي", "ی"],
  ["ى", "ی"],
  ["ې", "ی"],
  ["ك", "ک"],
  ["ٱ", "ا"],
  ["ة", "ه"],
  ["ە", "ه"],
  ["ہ", "ه"],
  ["ۃ", "ه"],
  ["ۀ", "ه"],
  ["ۂ", "ه"],
  ["ٵ", "ا"],
];
const DIGIT_BLOCKS = [0x0660, 0x06f0, 0x0966]; // Arabic-Indic, Persian (Extended Arabic-Indic), Devanagari digits

export const charClass = new Uint8Array(0x10000);
export const charFold = new Uint16Array(0x10000);

for (let c = 0; c < 0x10000; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue; // surrogates: handled by code point in the tokenizer
  const ch = String.fromCharCode(c);
  if (LETTER_OR_NUMBER.test(ch)) charClass[c] = NO_SPACE_SCRIPT.test(ch) ? CharClass.Ideograph : CharClass.Word;
  else if (MARK.test(ch)) charClass[c] = CharClass.Mark;
  const lower = ch.toLowerCase();
  if (lower !== ch && lower.length === 1) charFold[c] = lower.charCodeAt(0);
}
for (const [from, to] of REMOVED_RANGES) for (let c = from; c <= to; c++) charClass[c] = CharClass.Removed;
for (const [from, to] of FOLD_PAIRS) charFold[from.charCodeAt(0)] = to.charCodeAt(0);
for (const block of DIGIT_BLOCKS) for (let d = 0; d < 10; d++) charFold[block + d] = 0x30 + d;
// Lower-case targets of folded capitals must fold further (e.g. Σ → σ is direct; nothing chains today), and the
// folded target of a letter is a letter: keep its class.
charClass[0x005f] = CharClass.Separator; // "_" splits words ("parapet_hack" → parapet, hack); kept inside handles

/** The class of a code point outside the BMP (rare: CJK extension B, historic scripts, emoji). */
export function astralClass(codePoint: number): CharClass {
  const ch = String.fromCodePoint(codePoint);
  if (LETTER_OR_NUMBER.test(ch)) return NO_SPACE_SCRIPT.test(ch) ? CharClass.Ideograph : CharClass.Word;
  if (MARK.test(ch)) return CharClass.Mark;
  return CharClass.Separator;
}

/** The compatibility-decomposed form the tokenizer reads; ASCII text is returned as is (it has nothing to decompose). */
export function decompose(text: string): string {
  // NFKD on pure ASCII is the identity; the regex test is cheaper than ICU's quick check on long texts.
  return NON_ASCII.test(text) ? text.normalize("NFKD") : text;
}
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Normalises a piece of text the way words are compared: decomposed, lower case, folded, diacritics and invisible
 * joiners removed. Separators are kept as they are (it does not tokenize).
 */
export function normalizeText(text: string): string {
  const s = decompose(text);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      out += s[i] + s[i + 1];
      i++;
      continue;
    }
    if (charClass[c] === CharClass.Removed) continue;
    if (c === 0xdf || c === 0x1e9e) {
      out += "ss";
      continue;
    }
    let f = charFold[c] || c;
    if (charFold[f]) f = charFold[f];
    out += String.fromCharCode(f);
  }
  return out;
}
