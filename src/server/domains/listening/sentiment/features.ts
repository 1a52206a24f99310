// Text → hashed sparse features for the sentiment model. The trainer (scripts/sentiment/train.ts) and the
// classifier (classify.ts) both use this file, so a model file and the code that reads it always agree.
//
// Features (each hashed into one table of 2^bits buckets with 32-bit FNV-1a style mixing):
//   - word unigrams and bigrams (after normalization: lower case, URLs → "<url>", handles → "@user",
//     Arabic-script letter variants unified, runs of 3+ equal characters cut to 2),
//   - negation scope: words after a negator ("not", "nicht", "non", "no", "pas", "não", "لا", "نه", …) up to the
//     next punctuation get a "NOT_" copy,
//   - character n-grams (2..4) inside " word " (so prefixes and suffixes are seen), which carry meaning across
//     inflections and related languages,
//   - emoji and emoticons as tokens of their own,
//   - with a lexicon (afinn.ts): each known word's valence (−5..5, flipped after a negator) and, per text, the
//     sum of valences and the counts of positive and negative words, as features whose weights are learnt,
//   - every feature twice: once shared across languages, and once conjoined with the text's language when the
//     model was trained on that language (per-language weights on top of shared ones).
// Values are 1 per occurrence, scaled by 1/sqrt(number of features) so long and short texts weigh alike.

export type FeatureConfig = {
  bits: number;
  charMin: number;
  charMax: number;
  wordBigrams: boolean;
  negation: boolean;
  perLanguage: boolean;
  /** Lexicon features (afinn.ts): valence of known words, negation-aware, and the text's sum. */
  lexicon: boolean;
  /** How many times a word unigram counts (1 when absent: models trained before this option). */
  wordWeight?: number;
  /** false: character n-grams get only the shared copy, not the language-conjoined one (true when absent). */
  charPerLanguage?: boolean;
  /** true: inside a negation scope a word gives only its negated copy, not the plain word too (false when absent). */
  negationReplace?: boolean;
};

export const DEFAULT_FEATURES: FeatureConfig = {
  bits: 20,
  charMin: 2,
  charMax: 4,
  wordBigrams: true,
  negation: true,
  perLanguage: true,
  lexicon: false,
};

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function mix(h: number): number {
  // murmur3 finaliser: spreads FNV's low bits before masking to the table size
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

// Words that turn the meaning of what follows around, in the supported languages.
const NEGATORS = new Set([
  "not", "no", "never", "nothing", "nobody", "dont", "don't", "doesn't", "didn't", "isn't", "wasn't", "can't", "cannot", "won't", "aint", "ain't",
  "nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "nichts",
  "non", "mai", "niente", "nessuno", "né",
  "niet", "geen", "nooit", "niets", "niemand",
  "ne", "pas", "jamais", "rien", "personne", "aucun", "aucune",
  "nunca", "nada", "nadie", "ni", "tampoco", "ningún", "ninguna",
  "não", "nao", "nem", "nenhum", "nenhuma", "jamais",
  "لا", "لم", "لن", "ليس", "ما", "مش", "مو", "غير",
  "نه", "نمی", "هیچ", "نیست", "نبود", "نباید",
  "nahi", "nahin", "nhi", "mat", "na",
]);

const URL_RE = /(?:https?:\/\/|www\.)\S*/g;
const HANDLE_RE = /@[\p{L}\p{N}_.]+/gu;
const REPEAT_RE = /(.)\1{2,}/gu;
// Arabic-script cleanup: diacritics and tatweel out; alef forms, yeh/kaf (Arabic vs Persian) and teh marbuta unified.
const AR_DIACRITICS_RE = /[\u064B-\u0652\u0670\u0640]/g;
const AR_MAP: Record<string, string> = {
  "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
  "\u0649": "\u064A", "\u06CC": "\u064A", "\u06A9": "\u0643", "\u0629": "\u0647",
};
const AR_MAP_RE = /[\u0623\u0625\u0622\u0671\u0649\u06CC\u06A9\u0629]/g;
const HAS_ARABIC_RE = /[\u0600-\u06FF]/;
const AR_CLITIC_RE = /^(?:وال|ال|و|ب|ل)/;

// Tokens: words (letters, marks, digits, apostrophes inside), emoji, emoticons, "!"/"?" runs, "<url>", "@user".
const TOKEN_RE =
  /<url>|@user|[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}]+)*|\p{Extended_Pictographic}|[:;=8x][-o^']?[)(\]\[dp/\\|*3]|<3|[)(][-o^']?[:;=]|[!?]+|[.,;:]/gu;
const PUNCT_RE = /^[.,;:!?]+$/;

export function normalize(text: string): string {
  let t = text.toLowerCase();
  t = t.replace(URL_RE, " <url> ").replace(HANDLE_RE, " @user ");
  if (HAS_ARABIC_RE.test(t)) t = t.replace(AR_DIACRITICS_RE, "").replace(AR_MAP_RE, (c) => AR_MAP[c]!);
  return t.replace(REPEAT_RE, "$1$1");
}

export function tokenize(text: string): string[] {
  return normalize(text).match(TOKEN_RE) ?? [];
}

/** Seed for a language's conjoined feature copy ("" = none). */
export function languageSeed(language: string): number {
  return mix(hashString("lang:" + language, FNV_OFFSET));
}

/**
 * Appends the hashed feature indices of `text` to `out` (cleared first) and returns the value every feature
 * carries. `langSeed` 0 means: shared features only.
 */
/** A sentiment lexicon (AFINN-style valence −5..5) in the tokenizer's normalised form. */
export type Lexicon = {
  /** word or "w1 w2" phrase → valence */
  words: Map<string, number>;
  /** first words of the two-word phrases (so most tokens cost one lookup) */
  phraseStarts: Set<string>;
};

export function featurize(text: string, cfg: FeatureConfig, langSeed: number, out: number[], lexicon?: Lexicon): number {
  out.length = 0;
  let lexSum = 0;
  let lexPos = 0;
  let lexNeg = 0;
  let prevTok = "";
  const mask = (1 << cfg.bits) - 1;
  const tokens = tokenize(text);
  // the conjoined copy lands at the shared bucket XOR the language's seed: one hash mix for both
  const push = (h: number) => {
    const m = mix(h);
    out.push(m & mask);
    if (langSeed !== 0) out.push((m ^ langSeed) & mask);
  };
  const charConj = cfg.charPerLanguage !== false;
  const wordWeight = cfg.wordWeight ?? 1;
  push(0x9e3779b9); // bias
  let prev = 0x2545f491; // sentence start
  let negated = false;
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (PUNCT_RE.test(tok)) {
      negated = false;
      if (tok[0] === "!" || tok[0] === "?") push(hashString(tok.length > 1 ? tok.slice(0, 2) : tok, 0x5bd1e995));
      prev = 0x68e31da4;
      prevTok = "";
      continue;
    }
    const wh = hashString(tok, FNV_OFFSET);
    // in a negation scope the word counts as its negated copy only ("not good" ≠ "good") with negationReplace
    if (!negated || !cfg.negationReplace) for (let r = 0; r < wordWeight; r++) push(wh);
    if (lexicon) {
      let v = lexicon.words.get(tok);
      // Arabic clitics (و "and", ال "the", ب "with", ل "for") glued to a word the lexicon has without them
      if (v === undefined && tok.length > 4 && tok.charCodeAt(0) >= 0x0600 && tok.charCodeAt(0) <= 0x06ff && AR_CLITIC_RE.test(tok))
        v = lexicon.words.get(tok.replace(AR_CLITIC_RE, ""));
      if (prevTok !== "" && lexicon.phraseStarts.has(prevTok)) {
        const v2 = lexicon.words.get(prevTok + " " + tok);
        if (v2 !== undefined) v = v2;
      }
      if (v !== undefined && v !== 0) {
        if (negated) v = -v;
        push(0x51ed270b + v * 7919 + (negated ? 104729 : 0));
        lexSum += v;
        if (v > 0) lexPos++;
        else lexNeg++;
      }
    }
    prevTok = tok;
    if (cfg.wordBigrams) push(Math.imul(prev ^ 0x27d4eb2f, FNV_PRIME) ^ wh);
    if (negated) for (let r = cfg.negationReplace ? 0 : wordWeight - 1; r < wordWeight; r++) push(wh ^ 0x165667b1);
    if (cfg.negation && NEGATORS.has(tok)) negated = true;
    prev = wh;
    // character n-grams of the padded word
    const n = tok.length;
    if (n > 1 && cfg.charMax >= cfg.charMin) {
      const padded = " " + tok + " ";
      const L = padded.length;
      for (let i = 0; i < L - 1; i++) {
        let h = 0x3c6ef372 ^ 0;
        const end = Math.min(L, i + cfg.charMax);
        for (let j = i; j < end; j++) {
          h = Math.imul(h ^ padded.charCodeAt(j), FNV_PRIME);
          const len = j - i + 1;
          if (len >= cfg.charMin) {
            if (charConj) push(h ^ len);
            else out.push(mix(h ^ len) & mask);
          }
        }
      }
    }
  }
  if (cfg.wordBigrams) push(Math.imul(prev ^ 0x27d4eb2f, FNV_PRIME) ^ 0x7fed7fed);
  // only when the text has a lexicon word: "no hit" alone would make empty and word-less texts look sure
  if (lexicon && lexPos + lexNeg > 0) {
    const b = lexSum > 6 ? 6 : lexSum < -6 ? -6 : Math.round(lexSum);
    push(0x6a09e667 + b * 31);
    push(0x3c6ef373 + (lexPos > 3 ? 3 : lexPos) * 131 + (lexNeg > 3 ? 3 : lexNeg) * 17);
  }
  return 1 / Math.sqrt(out.length);
}
