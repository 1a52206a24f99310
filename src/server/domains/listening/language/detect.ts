// Language of a mention: ISO 639-1 code or "und", with a confidence, in-process.
// - A user's correction wins (kept as given).
// - A language the post declares (Bluesky's `langs`, e.g. ["de", "en-US"]) is used without detection.
// - Otherwise `eld` (Efficient Language Detector, Apache-2.0, "medium" n-gram database, 60 languages) on the text
//   with URLs and @handles taken out; it was chosen by accuracy and speed on UMSAB's test tweets (see
//   docs/listening.md and `npm run eval:sentiment`). Texts in Arabic script are decided by the letters that
//   only Persian, only Urdu or only Arabic use (eld alone takes short Persian texts for Urdu).
import { eld } from "eld/medium";

export type DetectedLanguage = {
  /** ISO 639-1 code (lower case), or "und" when the text has no language to tell (empty, emoji, links). */
  language: string;
  /** 0..1; 1 for a declared language or a correction. */
  confidence: number;
  source: "declared" | "detected" | "correction";
};

export type DetectLanguageOptions = {
  /** Languages the post declares (BCP 47 tags, first one used), as Bluesky's `langs`. */
  declared?: readonly string[] | string | null;
  /** A user's correction of this mention's language (ISO 639-1 or "und"). */
  override?: string | null;
};

export const UNDETERMINED = "und";

const ISO_639_1 = /^[a-z]{2}$/;

/** "en-US" → "en"; anything that is not a two-letter primary subtag → null. */
export function primaryLanguage(tag: string): string | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return ISO_639_1.test(primary) ? primary : null;
}

const URL_RE = /(?:https?:\/\/|www\.)\S*|\bhttps?\b/g;
const HANDLE_RE = /@[\p{L}\p{N}_.]+/gu;
const LETTER_RE = /\p{L}/u;
const ARABIC_SCRIPT_RE = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/g;
const HAS_ARABIC_SCRIPT_RE = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const ALL_LETTERS_RE = /\p{L}/gu;
// Letters one of the three main Arabic-script languages uses and the others do not (or hardly).
const PERSIAN_ONLY_RE = /[\u067E\u0686\u0698\u06AF\u06CC\u06A9]/g; // پ چ ژ گ ی ک
const URDU_ONLY_RE = /[\u06D2\u06BA\u0679\u0688\u0691\u06BE\u06C1]/g; // ے ں ٹ ڈ ڑ ھ ہ
const ARABIC_ONLY_RE = /[\u064A\u0643\u0629\u0649]/g; // ي ك ة ى

function count(re: RegExp, s: string): number {
  re.lastIndex = 0;
  return s.match(re)?.length ?? 0;
}

export function detectLanguage(text: string, options: DetectLanguageOptions = {}): DetectedLanguage {
  if (options.override != null) {
    const code = options.override === UNDETERMINED ? UNDETERMINED : primaryLanguage(options.override);
    if (!code) throw new Error(`language correction must be an ISO 639-1 code or "und", got "${options.override}"`);
    return { language: code, confidence: 1, source: "correction" };
  }
  const declared = typeof options.declared === "string" ? [options.declared] : (options.declared ?? []);
  for (const tag of declared) {
    const code = primaryLanguage(tag);
    if (code) return { language: code, confidence: 1, source: "declared" };
  }

  let cleaned = text;
  if (cleaned.includes("http") || cleaned.includes("www.")) cleaned = cleaned.replace(URL_RE, " ");
  if (cleaned.includes("@")) cleaned = cleaned.replace(HANDLE_RE, " ");
  if (cleaned.includes("#")) cleaned = cleaned.replace(/#/g, " ");
  if (!LETTER_RE.test(cleaned)) return { language: UNDETERMINED, confidence: 0, source: "detected" };

  const arabicScript = HAS_ARABIC_SCRIPT_RE.test(cleaned) ? count(ARABIC_SCRIPT_RE, cleaned) : 0;
  if (arabicScript > 0 && arabicScript * 2 >= count(ALL_LETTERS_RE, cleaned)) {
    const fa = count(PERSIAN_ONLY_RE, cleaned);
    const ur = count(URDU_ONLY_RE, cleaned);
    const ar = count(ARABIC_ONLY_RE, cleaned);
    const total = fa + ur + ar;
    if (total > 0) {
      const language = ur > 0 && ur >= ar ? "ur" : fa > ar ? "fa" : "ar";
      const top = language === "ur" ? ur : language === "fa" ? fa : ar;
      // more telling letters → surer; a mix of Persian and Arabic letters → less sure
      const confidence = Math.min(0.99, (top / total) * (1 - 1 / (total + 2)));
      return { language, confidence, source: "detected" };
    }
  }

  const r = eld.detect(cleaned);
  if (!r.language) return { language: UNDETERMINED, confidence: 0, source: "detected" };
  const scores = r.getScores();
  const top = scores[r.language] ?? 0;
  let second = 0;
  for (const [k, v] of Object.entries(scores)) if (k !== r.language && v > second) second = v;
  // eld's scores are per-language similarities (0..1); the margin over the runner-up tells how sure it is.
  let confidence = Math.max(0, Math.min(1, top - second + 0.5 * top));
  if (!r.isReliable()) confidence *= 0.5;
  return { language: r.language, confidence: Math.round(confidence * 1000) / 1000, source: "detected" };
}
