// Language and sentiment of one mention in one call, for the listening pipeline. Pure: same input, same output.
// A user's corrections (kept by the pipeline) are passed in and win over detection and the model; a corrected
// language also decides which weights score the sentiment.
import { type DetectedLanguage, detectLanguage } from "../language/detect.ts";
import { classifySentiment, type Sentiment } from "./classify.ts";
import type { SentimentLabel } from "./model.ts";

export type MentionCorrection = { language?: string | null; sentiment?: SentimentLabel | null };

export type MentionAnalysis = { language: DetectedLanguage; sentiment: Sentiment };

export function analyseMention(
  text: string,
  options: { declaredLanguages?: readonly string[] | null; correction?: MentionCorrection | null } = {},
): MentionAnalysis {
  const language = detectLanguage(text, { declared: options.declaredLanguages, override: options.correction?.language });
  const sentiment = classifySentiment(text, language.language, { override: options.correction?.sentiment });
  return { language, sentiment };
}
