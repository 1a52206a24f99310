// Reading UMSAB (the XLM-T paper's multilingual tweet sentiment benchmark) from ../shared/data/sentiment/umsab
// (or $UMSAB_DIR), and the metrics every figure in docs/listening.md is computed with.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const UMSAB_DIR = process.env.UMSAB_DIR ?? resolve(repoRoot, "../shared/data/sentiment/umsab");

/** UMSAB folder → ISO 639-1 code. */
export const UMSAB_LANGUAGES: Record<string, string> = {
  arabic: "ar",
  english: "en",
  french: "fr",
  german: "de",
  hindi: "hi",
  italian: "it",
  portuguese: "pt",
  spanish: "es",
};

export type Split = "train" | "val" | "test";
export type Example = { text: string; label: number; language: string };

export function umsabAvailable(): boolean {
  return existsSync(resolve(UMSAB_DIR, "english", "test_text.txt"));
}

function lines(path: string): string[] {
  const s = readFileSync(path, "utf8");
  const out = s.split("\n");
  if (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

export function loadSplit(folder: string, split: Split): Example[] {
  const texts = lines(resolve(UMSAB_DIR, folder, `${split}_text.txt`));
  const labels = lines(resolve(UMSAB_DIR, folder, `${split}_labels.txt`));
  if (texts.length !== labels.length) throw new Error(`${folder}/${split}: ${texts.length} texts, ${labels.length} labels`);
  const language = UMSAB_LANGUAGES[folder]!;
  return texts.map((text, i) => ({ text, label: Number(labels[i]), language }));
}

/** XLM-T's published predictions on all/test_text.txt, split back per language (all/ is the eight test files in this order). */
export function xlmtTestPredictions(): Map<string, number[]> {
  const preds = lines(resolve(UMSAB_DIR, "xlmt_all_predictions.txt")).map(Number);
  const allTexts = lines(resolve(UMSAB_DIR, "all", "test_text.txt"));
  if (preds.length !== allTexts.length) throw new Error("xlmt predictions and all/test_text.txt differ in length");
  const out = new Map<string, number[]>();
  let at = 0;
  for (const folder of Object.keys(UMSAB_LANGUAGES)) {
    const test = loadSplit(folder, "test");
    test.forEach((e, i) => {
      if (allTexts[at + i] !== e.text) throw new Error(`all/test_text.txt line ${at + i + 1} is not ${folder} test line ${i + 1}`);
    });
    out.set(UMSAB_LANGUAGES[folder]!, preds.slice(at, at + test.length));
    at += test.length;
  }
  return out;
}

/** Macro-averaged F1 over the three classes. */
export function macroF1(gold: ArrayLike<number>, pred: ArrayLike<number>): number {
  let sum = 0;
  for (let c = 0; c < 3; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === c && gold[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / 3;
}
