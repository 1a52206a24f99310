import { describe, expect, it } from "vitest";
import { analyseMention } from "./analyse.ts";

describe("analyseMention", () => {
  it("detects, or takes the declared language, then scores sentiment in it", () => {
    const a = analyseMention("Vielen Dank, das ist super, ich freue mich sehr! 😊");
    expect(a.language).toMatchObject({ language: "de", source: "detected" });
    expect(a.sentiment).toMatchObject({ label: "positive", source: "model" });
    const b = analyseMention("ممنون، عالی بود", { declaredLanguages: ["fa"] });
    expect(b.language).toEqual({ language: "fa", confidence: 1, source: "declared" });
    expect(b.sentiment.label).toBe("positive");
  });

  it("keeps a user's corrections of language and sentiment", () => {
    const a = analyseMention("Worst service ever 😡", { correction: { sentiment: "neutral", language: "en" } });
    expect(a.language.source).toBe("correction");
    expect(a.sentiment).toMatchObject({ label: "neutral", score: 1, source: "correction" });
    // correcting only the language still lets the model score the sentiment, in the corrected language
    const b = analyseMention("Worst service ever 😡", { correction: { language: "en" } });
    expect(b.sentiment).toMatchObject({ label: "negative", source: "model" });
  });

  it("is pure: the same input gives the same output", () => {
    const t = "Que vergonha, horrível, odeio esse programa";
    expect(analyseMention(t)).toEqual(analyseMention(t));
  });
});
