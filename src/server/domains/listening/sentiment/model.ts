// The sentiment model file: a small header (JSON) and int8-quantised weights of a multinomial logistic
// regression over hashed features (features.ts). Written by scripts/sentiment/train.ts, read here.
//
// Layout: "PSM1" | u32 little-endian header length | header JSON (UTF-8) | zero padding to 4 bytes |
//         Int8Array of (2^bits × 3) weights, feature-major (w[f*3 + class]).
import { readFileSync } from "node:fs";
import { DEFAULT_FEATURES, type FeatureConfig, languageSeed } from "./features.ts";

export const SENTIMENT_LABELS = ["negative", "neutral", "positive"] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

export type ModelHeader = {
  format: 1;
  features: FeatureConfig;
  /** Languages with their own (conjoined) weights; any other language uses the shared weights only. */
  languages: string[];
  /** Weight = int8 × scale. */
  scale: number;
  /** Per-language additive class biases tuned on the validation split (macro-F1), "*" for the rest. */
  classBias: Record<string, [number, number, number]>;
  trainedOn: string;
  createdBy: string;
};

export type SentimentModel = {
  header: ModelHeader;
  weights: Int8Array;
  /** language → seed of its conjoined features (only for languages in header.languages). */
  seeds: Map<string, number>;
};

const MAGIC = "PSM1";

export function encodeModel(header: ModelHeader, weights: Int8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const headLen = 8 + json.length;
  const pad = (4 - (headLen % 4)) % 4;
  const buf = Buffer.alloc(headLen + pad + weights.length);
  buf.write(MAGIC, 0, "latin1");
  buf.writeUInt32LE(json.length, 4);
  json.copy(buf, 8);
  Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).copy(buf, headLen + pad);
  return buf;
}

export function decodeModel(buf: Uint8Array): SentimentModel {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.toString("latin1", 0, 4) !== MAGIC) throw new Error("not a Parapet sentiment model (bad magic)");
  const len = b.readUInt32LE(4);
  const header = JSON.parse(b.toString("utf8", 8, 8 + len)) as ModelHeader;
  if (header.format !== 1) throw new Error(`unsupported sentiment model format ${String(header.format)}`);
  const headLen = 8 + len;
  const start = headLen + ((4 - (headLen % 4)) % 4);
  const n = (1 << header.features.bits) * 3;
  if (b.length - start !== n) throw new Error(`sentiment model has ${b.length - start} weights, expected ${n}`);
  const weights = new Int8Array(b.buffer, b.byteOffset + start, n);
  const seeds = new Map(header.languages.map((l) => [l, languageSeed(l)]));
  return { header: { ...header, features: { ...DEFAULT_FEATURES, ...header.features } }, weights, seeds };
}

export const SHIPPED_MODEL_URL = new URL("./sentiment-model.bin", import.meta.url);

let shipped: SentimentModel | undefined;

/** The model committed beside this file (loaded once, ~3 MB). */
export function shippedModel(): SentimentModel {
  shipped ??= decodeModel(readFileSync(SHIPPED_MODEL_URL));
  return shipped;
}
