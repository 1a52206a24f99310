import type { Locale } from "../../../../contracts/roles";
import { LOCALES } from "../../../../contracts/roles";

/**
 * What an alert says outside the app (mail, Slack, Teams, webhooks), in each language of the web app. The app itself
 * renders alerts from their kind and evidence with its own translations.
 */

export type SpikeEvidence = {
  window: { start: string; end: string; total: number; negative: number };
  baseline: { kind: "hour_of_week" | "last_day"; median: number; negativeShare: number };
  ratio: number;
  negativeShare: number;
  topTerms: Array<{ term: string; count: number }>;
};
export type KeywordEvidence = { term: string; author: string; excerpt: string };
export type ImpostorEvidence = { network: string; handle: string; imitatesHandle: string; score: number; reasons: string[] };

export type AlertFacts =
  | { kind: "spike" | "negative_turn"; stream: string; evidence: SpikeEvidence }
  | { kind: "keyword"; stream: string; evidence: KeywordEvidence }
  | { kind: "impostor"; stream: string | null; evidence: ImpostorEvidence };

type Texts = {
  openInParapet: string;
  title(facts: AlertFacts): string;
  lines(facts: AlertFacts): string[];
};

const impostor = (f: AlertFacts) => f.evidence as ImpostorEvidence;
const pct = (share: number) => `${Math.round(share * 100)}%`;
const times = (ratio: number) => `×${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}`;
const terms = (evidence: SpikeEvidence) => evidence.topTerms.slice(0, 5).map((t) => t.term).join(", ");

const TEXTS: Record<Locale, Texts> = {
  en: {
    openInParapet: "Open in Parapet",
    title: (f) =>
      f.kind === "spike" ? `Spike on “${f.stream}”` : f.kind === "negative_turn" ? `Turn to negative on “${f.stream}”` : f.kind === "keyword" ? `Critical term “${f.evidence.term}” on “${f.stream}”` : `Possible impostor: ${impostor(f).handle}`,
    lines: (f) => {
      if (f.kind === "spike" || f.kind === "negative_turn") {
        const e = f.evidence;
        const usual = e.baseline.kind === "hour_of_week" ? "at this hour of the week" : "in the last day";
        return [
          `${e.window.total} mentions in 15 minutes; usually ${e.baseline.median} ${usual} (${times(e.ratio)})`,
          `${pct(e.negativeShare)} negative; usually ${pct(e.baseline.negativeShare)}`,
          ...(e.topTerms.length ? [`Most said: ${terms(e)}`] : []),
        ];
      }
      if (f.kind === "keyword") return [`${f.evidence.author}: ${f.evidence.excerpt}`];
      const e = impostor(f);
      return [`${e.handle} (${e.network}) looks like ${e.imitatesHandle}`, `Why: ${e.reasons.join(", ")}`];
    },
  },
  de: {
    openInParapet: "In Parapet öffnen",
    title: (f) =>
      f.kind === "spike" ? `Anstieg bei „${f.stream}“` : f.kind === "negative_turn" ? `Stimmung kippt ins Negative bei „${f.stream}“` : f.kind === "keyword" ? `Kritischer Begriff „${f.evidence.term}“ bei „${f.stream}“` : `Mögliches Fake-Konto: ${impostor(f).handle}`,
    lines: (f) => {
      if (f.kind === "spike" || f.kind === "negative_turn") {
        const e = f.evidence;
        const usual = e.baseline.kind === "hour_of_week" ? "zu dieser Stunde der Woche" : "am letzten Tag";
        return [
          `${e.window.total} Erwähnungen in 15 Minuten; üblich ${e.baseline.median} ${usual} (${times(e.ratio)})`,
          `${pct(e.negativeShare)} negativ; üblich ${pct(e.baseline.negativeShare)}`,
          ...(e.topTerms.length ? [`Häufigste Begriffe: ${terms(e)}`] : []),
        ];
      }
      if (f.kind === "keyword") return [`${f.evidence.author}: ${f.evidence.excerpt}`];
      const e = impostor(f);
      return [`${e.handle} (${e.network}) ähnelt ${e.imitatesHandle}`, `Gründe: ${e.reasons.join(", ")}`];
    },
  },
  it: {
    openInParapet: "Apri in Parapet",
    title: (f) =>
      f.kind === "spike" ? `Picco su «${f.stream}»` : f.kind === "negative_turn" ? `Svolta negativa su «${f.stream}»` : f.kind === "keyword" ? `Termine critico «${f.evidence.term}» su «${f.stream}»` : `Possibile account impostore: ${impostor(f).handle}`,
    lines: (f) => {
      if (f.kind === "spike" || f.kind === "negative_turn") {
        const e = f.evidence;
        const usual = e.baseline.kind === "hour_of_week" ? "a quest'ora della settimana" : "nell'ultimo giorno";
        return [
          `${e.window.total} menzioni in 15 minuti; di solito ${e.baseline.median} ${usual} (${times(e.ratio)})`,
          `${pct(e.negativeShare)} negative; di solito ${pct(e.baseline.negativeShare)}`,
          ...(e.topTerms.length ? [`Termini più frequenti: ${terms(e)}`] : []),
        ];
      }
      if (f.kind === "keyword") return [`${f.evidence.author}: ${f.evidence.excerpt}`];
      const e = impostor(f);
      return [`${e.handle} (${e.network}) somiglia a ${e.imitatesHandle}`, `Perché: ${e.reasons.join(", ")}`];
    },
  },
  nl: {
    openInParapet: "Openen in Parapet",
    title: (f) =>
      f.kind === "spike" ? `Piek bij ‘${f.stream}’` : f.kind === "negative_turn" ? `Omslag naar negatief bij ‘${f.stream}’` : f.kind === "keyword" ? `Kritieke term ‘${f.evidence.term}’ bij ‘${f.stream}’` : `Mogelijk nepaccount: ${impostor(f).handle}`,
    lines: (f) => {
      if (f.kind === "spike" || f.kind === "negative_turn") {
        const e = f.evidence;
        const usual = e.baseline.kind === "hour_of_week" ? "op dit uur van de week" : "in de afgelopen dag";
        return [
          `${e.window.total} vermeldingen in 15 minuten; meestal ${e.baseline.median} ${usual} (${times(e.ratio)})`,
          `${pct(e.negativeShare)} negatief; meestal ${pct(e.baseline.negativeShare)}`,
          ...(e.topTerms.length ? [`Meest genoemd: ${terms(e)}`] : []),
        ];
      }
      if (f.kind === "keyword") return [`${f.evidence.author}: ${f.evidence.excerpt}`];
      const e = impostor(f);
      return [`${e.handle} (${e.network}) lijkt op ${e.imitatesHandle}`, `Waarom: ${e.reasons.join(", ")}`];
    },
  },
  fa: {
    openInParapet: "باز کردن در پاراپت",
    title: (f) =>
      f.kind === "spike" ? `جهش در «${f.stream}»` : f.kind === "negative_turn" ? `چرخش به منفی در «${f.stream}»` : f.kind === "keyword" ? `واژهٔ حساس «${f.evidence.term}» در «${f.stream}»` : `حساب جعلی احتمالی: ${impostor(f).handle}`,
    lines: (f) => {
      if (f.kind === "spike" || f.kind === "negative_turn") {
        const e = f.evidence;
        const usual = e.baseline.kind === "hour_of_week" ? "در همین ساعت از هفته" : "در روز گذشته";
        return [
          `${e.window.total} اشاره در ۱۵ دقیقه؛ معمولاً ${e.baseline.median} ${usual} (${times(e.ratio)})`,
          `${pct(e.negativeShare)} منفی؛ معمولاً ${pct(e.baseline.negativeShare)}`,
          ...(e.topTerms.length ? [`پرتکرارترین واژه‌ها: ${terms(e)}`] : []),
        ];
      }
      if (f.kind === "keyword") return [`${f.evidence.author}: ${f.evidence.excerpt}`];
      const e = impostor(f);
      return [`${e.handle} (${e.network}) شبیه ${e.imitatesHandle} است`, `دلایل: ${e.reasons.join("، ")}`];
    },
  },
};

/** The alert texts in `locale` (English when it is not one of the app's languages). */
export function alertTexts(locale: string | null | undefined): Texts {
  return TEXTS[(LOCALES as readonly string[]).includes(locale ?? "") ? (locale as Locale) : "en"];
}
