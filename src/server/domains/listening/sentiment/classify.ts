// Sentiment of one text: negative / neutral / positive with a score, in-process, no model hub.
import { lexiconFor } from "./afinn.ts";
import { featurize } from "./features.ts";
import { lexiconLogits } from "./lexicon.ts";
import { SENTIMENT_LABELS, type SentimentLabel, type SentimentModel, shippedModel } from "./model.ts";

export type Sentiment = {
  label: SentimentLabel;
  /** Probability of `label` (0..1); 1 for a user's correction. */
  score: number;
  /** Probabilities of negative, neutral, positive. */
  probabilities: { negative: number; neutral: number; positive: number };
  /** "model": the shipped model; "correction": a user's correction, kept as given. */
  source: "model" | "correction";
};

export type SentimentOptions = {
  /** A user's correction of this mention's sentiment: returned as is, the model is not asked. */
  override?: SentimentLabel | null;
  model?: SentimentModel;
};

const buf: number[] = [];

/** Raw class scores (logits) of `text` in `language` under `weights` (float or int8 × scale). */
export function logits(
  model: Pick<SentimentModel, "header" | "seeds">,
  weights: ArrayLike<number>,
  scale: number,
  text: string,
  language: string,
  out: Float64Array = new Float64Array(3),
): Float64Array {
  const seed = model.seeds.get(language) ?? 0;
  // AFINN's words only where the model learnt from tweets how far to trust that language's (machine-translated)
  // list; elsewhere (Dutch, Persian, …) only the emoji scores: the Persian list cost 0.05–0.09 macro-F1 on the
  // hand-labelled check set, the Dutch one 0.02 (one text of 36).
  const lexicon = model.header.features.lexicon ? lexiconFor(seed === 0 ? "und" : language) : undefined;
  const v = featurize(text, model.header.features, seed, buf, lexicon) * scale;
  let a = 0;
  let b = 0;
  let c = 0;
  for (let k = 0; k < buf.length; k++) {
    const i = buf[k]! * 3;
    a += weights[i]!;
    b += weights[i + 1]!;
    c += weights[i + 2]!;
  }
  const bias = model.header.classBias[seed === 0 ? "*" : language] ?? model.header.classBias["*"] ?? [0, 0, 0];
  out[0] = a * v + bias[0];
  out[1] = b * v + bias[1];
  out[2] = c * v + bias[2];
  return out;
}

const scratch = new Float64Array(3);

export function classifySentiment(text: string, language: string, options: SentimentOptions = {}): Sentiment {
  if (options.override) {
    const p = { negative: 0, neutral: 0, positive: 0 };
    p[options.override] = 1;
    return { label: options.override, score: 1, probabilities: p, source: "correction" };
  }
  const model = options.model ?? shippedModel();
  const z = logits(model, model.weights, model.header.scale, text, language, scratch);
  const lex = lexiconLogits(text, language);
  if (lex) {
    z[0] += lex[0];
    z[1] += lex[1];
    z[2] += lex[2];
  }
  const m = Math.max(z[0]!, z[1]!, z[2]!);
  const e0 = Math.exp(z[0]! - m);
  const e1 = Math.exp(z[1]! - m);
  const e2 = Math.exp(z[2]! - m);
  const s = e0 + e1 + e2;
  const probabilities = { negative: e0 / s, neutral: e1 / s, positive: e2 / s };
  const k = e0 >= e1 && e0 >= e2 ? 0 : e2 >= e1 ? 2 : 1;
  const label = SENTIMENT_LABELS[k]!;
  return { label, score: probabilities[label], probabilities, source: "model" };
}
