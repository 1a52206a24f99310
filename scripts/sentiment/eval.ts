// Reproduces every language/sentiment figure in docs/listening.md:
//   npm run eval:sentiment
// - sentiment macro-F1 per UMSAB language on the test split, the shipped model next to XLM-T's published
//   predictions (xlmt_all_predictions.txt) on the same texts;
// - language-detection accuracy per UMSAB language (its folder is the truth) and on the hand-written nl/fa
//   check set, plus sentiment on that check set;
// - texts per second on one core (this process) for both.
// The last line is one JSON object with the figures.
import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { detectLanguage } from "../../src/server/domains/listening/language/detect.ts";
import { classifySentiment } from "../../src/server/domains/listening/sentiment/classify.ts";
import { decodeModel, SENTIMENT_LABELS, SHIPPED_MODEL_URL, shippedModel } from "../../src/server/domains/listening/sentiment/model.ts";
import { loadSplit, macroF1, UMSAB_LANGUAGES, xlmtTestPredictions } from "./umsab.ts";

// --model PATH: evaluate another model file (e.g. one written by train.ts --out) instead of the shipped one;
// --no-speed: skip the speed runs.
const { values: opt } = parseArgs({ options: { model: { type: "string" }, "no-speed": { type: "boolean", default: false } } });
const modelPath = opt.model ?? SHIPPED_MODEL_URL;
const model = opt.model ? decodeModel(readFileSync(opt.model)) : shippedModel();
const folders = Object.keys(UMSAB_LANGUAGES);
const xlmt = xlmtTestPredictions();
const labelIndex = (l: string) => SENTIMENT_LABELS.indexOf(l as (typeof SENTIMENT_LABELS)[number]);

const rows: { language: string; ours: number; xlmt: number; languageAccuracy: number }[] = [];
const allTexts: { text: string; language: string }[] = [];
for (const folder of folders) {
  const lang = UMSAB_LANGUAGES[folder]!;
  const test = loadSplit(folder, "test");
  const gold = test.map((e) => e.label);
  const ours = test.map((e) => labelIndex(classifySentiment(e.text, lang, { model }).label));
  const detected = test.filter((e) => detectLanguage(e.text).language === lang).length;
  rows.push({
    language: lang,
    ours: macroF1(gold, ours),
    xlmt: macroF1(gold, xlmt.get(lang)!),
    languageAccuracy: detected / test.length,
  });
  for (const e of test) allTexts.push({ text: e.text, language: lang });
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

console.log("Sentiment, UMSAB test split (870 tweets per language), macro-F1; language detection accuracy");
console.log("| language | Parapet | XLM-T | language detected correctly |");
console.log("| --- | --- | --- | --- |");
for (const r of rows)
  console.log(`| ${r.language} | ${r.ours.toFixed(3)} | ${r.xlmt.toFixed(3)} | ${(r.languageAccuracy * 100).toFixed(1)}% |`);
const avgOurs = mean(rows.map((r) => r.ours));
const avgXlmt = mean(rows.map((r) => r.xlmt));
const langAcc7 = mean(rows.filter((r) => r.language !== "hi").map((r) => r.languageAccuracy));
console.log(`| average | ${avgOurs.toFixed(3)} | ${avgXlmt.toFixed(3)} | ${(langAcc7 * 100).toFixed(1)}% (without hi) |`);

// Dutch and Persian: the hand-labelled check set.
const check = (JSON.parse(readFileSync(new URL("./checkset-nl-fa.json", import.meta.url), "utf8")) as {
  texts: { language: string; label: string; text: string }[];
}).texts;
const checkRows: Record<string, { f1: number; f1ModelOnly: number; languageAccuracy: number; n: number }> = {};
for (const lang of ["nl", "fa"]) {
  const xs = check.filter((c) => c.language === lang);
  const gold = xs.map((c) => labelIndex(c.label));
  const pred = xs.map((c) => labelIndex(classifySentiment(c.text, lang, { model }).label));
  // model alone = the shared weights without the lexicon (as for a language with neither)
  const predModel = xs.map((c) => labelIndex(classifySentiment(c.text, "xx", { model }).label));
  checkRows[lang] = {
    f1: Number(macroF1(gold, pred).toFixed(3)),
    f1ModelOnly: Number(macroF1(gold, predModel).toFixed(3)),
    languageAccuracy: xs.filter((c) => detectLanguage(c.text).language === lang).length / xs.length,
    n: xs.length,
  };
  console.log(
    `check set ${lang} (${xs.length} hand-labelled texts): macro-F1 ${checkRows[lang]!.f1.toFixed(3)} (shared weights alone ${checkRows[lang]!.f1ModelOnly.toFixed(3)}), language detected correctly ${(checkRows[lang]!.languageAccuracy * 100).toFixed(1)}%`,
  );
}

// Speed on one core: the 6,960 test tweets, repeated, after a warm-up; per second of this process's CPU time
// (user + system), so other work on a shared machine does not count against it.
function rate(fn: (t: { text: string; language: string }) => unknown, minMs = 1500): number {
  for (let i = 0; i < 2000; i++) fn(allTexts[i % allTexts.length]!);
  let n = 0;
  const c0 = process.cpuUsage();
  const cpuMs = () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  while (cpuMs() < minMs) {
    for (const t of allTexts) fn(t);
    n += allTexts.length;
  }
  return (n / cpuMs()) * 1000;
}
const sentimentRate = opt["no-speed"] ? 0 : rate((t) => classifySentiment(t.text, t.language, { model }));
const languageRate = opt["no-speed"] ? 0 : rate((t) => detectLanguage(t.text));
const bytes = statSync(modelPath).size;
console.log(`speed, one core: sentiment ${Math.round(sentimentRate)} texts/s, language detection ${Math.round(languageRate)} texts/s`);
console.log(`model: ${(bytes / 1024 / 1024).toFixed(2)} MB (${model.header.createdBy})`);
console.log(
  JSON.stringify({
    sentiment_macro_f1: Object.fromEntries(rows.map((r) => [r.language, Number(r.ours.toFixed(3))])),
    sentiment_macro_f1_avg: Number(avgOurs.toFixed(3)),
    xlmt_macro_f1: Object.fromEntries(rows.map((r) => [r.language, Number(r.xlmt.toFixed(3))])),
    xlmt_macro_f1_avg: Number(avgXlmt.toFixed(3)),
    language_accuracy: Object.fromEntries(rows.map((r) => [r.language, Number(r.languageAccuracy.toFixed(3))])),
    checkset: checkRows,
    sentiment_texts_per_s: Math.round(sentimentRate),
    language_texts_per_s: Math.round(languageRate),
    model_bytes: bytes,
  }),
);
