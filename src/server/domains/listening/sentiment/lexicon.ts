// A small curated lexicon for languages the model has no training data for (Dutch, Persian). UMSAB has no
// Dutch or Persian tweets, so for these the shipped model runs on its shared (cross-language) weights — emoji,
// emoticons, "!", and character n-grams that related languages share — and these word lists add evidence on
// top. Written for this project by hand; see docs/listening.md for how well it does (a small hand-labelled
// check set, scripts/sentiment/checkset-nl-fa.json), which is much less than what UMSAB measures.
import { tokenize } from "./features.ts";

const POSITIVE: Record<string, string[]> = {
  nl: [
    "goed", "goede", "geweldig", "geweldige", "mooi", "mooie", "prachtig", "prachtige", "top", "super", "fijn", "fijne",
    "leuk", "leuke", "blij", "tevreden", "bedankt", "dank", "dankjewel", "bedankt", "heerlijk", "heerlijke", "fantastisch",
    "fantastische", "uitstekend", "uitstekende", "perfect", "perfecte", "aanrader", "snel", "vriendelijk", "vriendelijke",
    "gelukkig", "trots", "genieten", "genoten", "liefde", "love", "knap", "gaaf", "gave", "prima", "aardig", "behulpzaam",
    "blije", "succes", "gefeliciteerd", "proficiat", "hoera", "fan", "best", "beste", "yes", "wauw", "wow", "lekker",
  ],
  fa: [
    "خوب", "عالی", "عالیه", "زیبا", "قشنگ", "ممنون", "ممنونم", "مرسی", "سپاس", "سپاسگزارم", "متشکرم", "دوست", "عشق",
    "خوشحال", "خوشحالم", "راضی", "راضیم", "بهترین", "بهتر", "العاده", "محشر", "شگفت", "انگیز", "عالیست", "موفق",
    "موفقیت", "تبریک", "آفرین", "باحال", "لذت", "خوشمزه", "مهربان", "سریع", "دلنشین", "خوشگل", "عزیز",
    "شاد", "امیدوار", "قدردانی", "ارزان", "کامل",
  ],
};

const NEGATIVE: Record<string, string[]> = {
  nl: [
    "slecht", "slechte", "slechtste", "vreselijk", "vreselijke", "verschrikkelijk", "verschrikkelijke", "waardeloos",
    "waardeloze", "teleurgesteld", "teleurstellend", "teleurstellende", "boos", "kwaad", "jammer", "helaas", "klote",
    "kut", "shit", "oplichters", "oplichting", "oplichter", "nep", "traag", "trage", "kapot", "stuk", "fout", "probleem",
    "problemen", "klacht", "klachten", "schandalig", "schande", "belachelijk", "belachelijke", "nooit", "haat", "irritant",
    "irritante", "verdrietig", "bah", "balen", "zwak", "duur", "dure", "onbeschoft", "storing", "defect", "afzetters",
    "walgelijk", "ellende", "rampzalig", "ramp", "triest", "zielig", "lelijk", "lelijke", "vies", "vieze",
  ],
  fa: [
    "بد", "بدترین", "افتضاح", "افتضاحه", "زشت", "متنفر", "نفرت", "عصبانی", "ناراحت", "ناراحتم", "ناامید", "کلاهبردار",
    "کلاهبرداری", "دزد", "دزدی", "دروغ", "دروغگو", "خراب", "مشکل", "شکایت", "گران", "گرون", "کند", "ضعیف", "وحشتناک",
    "مزخرف", "لعنتی", "حیف", "متاسفانه", "متأسفانه", "شرم", "شرمآور", "فاجعه", "بیشرم", "آشغال", "اعصاب", "غمگین",
    "تاسف", "ظلم", "فریب", "نمیخرم", "هرگز",
  ],
};

// Word → +1 (positive) or −1 (negative), per language, in the same normalised form the tokenizer produces.
const LEXICON = new Map<string, Map<string, number>>();
for (const [lang, words] of Object.entries(POSITIVE)) {
  const m = LEXICON.get(lang) ?? new Map<string, number>();
  for (const w of words) for (const t of tokenize(w)) m.set(t, 1);
  LEXICON.set(lang, m);
}
for (const [lang, words] of Object.entries(NEGATIVE)) {
  const m = LEXICON.get(lang) ?? new Map<string, number>();
  for (const w of words) for (const t of tokenize(w)) m.set(t, -1);
  LEXICON.set(lang, m);
}

const NEGATORS: Record<string, Set<string>> = {
  nl: new Set(["niet", "geen", "nooit", "niets"]),
  fa: new Set(["نه", "نمی", "هیچ", "نیست", "نبود"].flatMap((w) => tokenize(w))),
};

/** Weight of one lexicon hit on the class logits (set by hand, not tuned on the check set). */
const HIT = 1.2;

export function lexiconLanguages(): string[] {
  return [...LEXICON.keys()];
}

/** Additive logits from the lexicon for `language`, or null when it has no lexicon (or no hit). */
export function lexiconLogits(text: string, language: string): [number, number, number] | null {
  const m = LEXICON.get(language);
  if (!m) return null;
  const neg = NEGATORS[language]!;
  let pos = 0;
  let negative = 0;
  let flip = false;
  for (const tok of tokenize(text)) {
    if (/^[.,;:!?]+$/.test(tok)) {
      flip = false;
      continue;
    }
    // Persian verbs negate with a prefix: نمی…, نـ… (e.g. نمیخرم, نیست); the word lists carry the common ones.
    if (neg.has(tok)) {
      flip = true;
      continue;
    }
    const s = m.get(tok);
    if (s === undefined) continue;
    if ((s > 0) !== flip) pos++;
    else negative++;
  }
  if (pos === 0 && negative === 0) return null;
  const net = pos - negative;
  return [net < 0 ? -net * HIT : 0, pos > 0 && negative > 0 ? 0 : -Math.min(pos + negative, 2) * 0.5 * HIT, net > 0 ? net * HIT : 0];
}
