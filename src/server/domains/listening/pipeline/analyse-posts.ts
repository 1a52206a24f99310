// The CPU stage of the listening pipeline, the same in the main thread and in worker threads: per post, tokenise
// once → match every active stream of the workspace (QueryMatcher: an inverted index, never a loop over queries) →
// for matched posts only: fingerprint, language (declared, else detected), sentiment. Matching comes first because
// it is the cheap filter: language detection costs 8–15× matching (docs/listening.md, "Pipeline").
import { detectLanguage, type DetectedLanguage } from "../language/detect";
import { classifySentiment } from "../sentiment/classify";
import { analyzePost, QueryMatcher, type AnalyzedPost } from "../query";
import { words } from "../query/tokenize";
import type { Sentiment } from "./store-matches";

/** What the CPU stage needs of a post (a compact copy: this is what crosses to a worker thread). */
export type PostInput = { text: string; lang: string | null; network: string; author: string };

/** A matched post's analysis; `index` is its place in the batch it came in. Posts that matched nothing are left out. */
export type AnalysedPost = {
  index: number;
  streamIds: string[];
  lang: string;
  langSource: "declared" | "detected";
  sentiment: Sentiment;
  sentimentScore: number;
  fingerprint: number;
  /** How many words the fingerprint was taken over (short texts are never near-duplicates). */
  fingerprintWords: number;
};

/** A change to a workspace's compiled streams: queries to add or replace, ids to remove. */
export type StreamChanges = { workspaceId: string; upsert: Array<{ id: string; query: string }>; remove: string[] };

/** How many posts a new matcher counts words of before choosing every query's keys by the words' rarity. */
const OBSERVE_POSTS = 2_000;

type Workspace = { matcher: QueryMatcher; observed: number; invalid: Set<string> };

/** The compiled streams of every workspace this thread has seen, kept between batches and changed incrementally. */
export class CompiledStreams {
  private readonly workspaces = new Map<string, Workspace>();

  /** Applies changes; returns the ids whose stored query does not parse (skipped: they match nothing). */
  apply(changes: StreamChanges): string[] {
    let ws = this.workspaces.get(changes.workspaceId);
    if (!ws) this.workspaces.set(changes.workspaceId, (ws = { matcher: new QueryMatcher(), observed: 0, invalid: new Set() }));
    for (const id of changes.remove) {
      ws.matcher.remove(id);
      ws.invalid.delete(id);
    }
    const invalid: string[] = [];
    for (const { id, query } of changes.upsert) {
      try {
        ws.matcher.add(id, query);
        ws.invalid.delete(id);
      } catch {
        // A query saved before a parser change may no longer parse: it matches nothing rather than stop the pipeline.
        ws.matcher.remove(id);
        ws.invalid.add(id);
        invalid.push(id);
      }
    }
    return invalid;
  }

  size(workspaceId: string): number {
    return this.workspaces.get(workspaceId)?.matcher.size ?? 0;
  }

  /** The CPU stage for one batch of one workspace. */
  analyse(workspaceId: string, posts: PostInput[]): AnalysedPost[] {
    const ws = this.workspaces.get(workspaceId);
    const out: AnalysedPost[] = [];
    if (!ws || ws.matcher.size === 0) return out;
    for (let i = 0; i < posts.length; i++) {
      const analysed = analysePost(ws, posts[i], i);
      if (analysed) out.push(analysed);
    }
    return out;
  }
}

function analysePost(ws: Workspace, input: PostInput, index: number): AnalysedPost | null {
  const post = analyzePost({ text: input.text, langs: input.lang ? [input.lang] : null, network: input.network, author: input.author });
  if (ws.observed < OBSERVE_POSTS) {
    ws.matcher.observe(post);
    if (++ws.observed === OBSERVE_POSTS) ws.matcher.rekey();
  }
  // A post without a declared language is detected only if a `lang:` query gets as far as asking (lazily, once).
  let detected: DetectedLanguage | undefined;
  if (!input.lang) lazyLanguage(post, input.text, (d) => (detected = d));
  const streamIds = ws.matcher.match(post);
  if (streamIds.length === 0) return null;

  const language = detected ?? detectLanguage(input.text, { declared: input.lang });
  const sentiment = classifySentiment(input.text, language.language);
  const { fingerprint, words: count } = fingerprintOf(input.text);
  return {
    index,
    streamIds,
    lang: language.language,
    langSource: language.source === "declared" ? "declared" : "detected",
    sentiment: sentiment.label,
    sentimentScore: sentiment.score,
    fingerprint,
    fingerprintWords: count,
  };
}

function lazyLanguage(post: AnalyzedPost, text: string, remember: (detected: DetectedLanguage) => void): void {
  let langs: string[] | undefined;
  Object.defineProperty(post, "langs", {
    get() {
      if (!langs) {
        const detected = detectLanguage(text);
        remember(detected);
        langs = detected.language === "und" ? [] : [detected.language];
      }
      return langs;
    },
  });
}

const LINK = /(?:https?:\/\/|www\.)\S*/gi;
const HANDLE = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_.@-]+/gu;

/**
 * A 53-bit hash of a text's normalised words, links and @handles left out (hashtags count by their words), so
 * copy-paste spam that differs in case, accents, punctuation, links or the handles it tags has one fingerprint.
 */
export function fingerprintOf(text: string): { fingerprint: number; words: number } {
  let clean = text;
  if (clean.includes("http") || clean.includes("www.") || clean.includes("HTTP") || clean.includes("WWW.")) clean = clean.replace(LINK, " ");
  if (clean.includes("@")) clean = clean.replace(HANDLE, "$1 ");
  const list = words(clean);
  // FNV-1a, twice with different offsets: 21 + 32 bits, a safe integer for a bigint column.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const w of list) {
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
    }
    a = Math.imul(a ^ 0x20, 0x01000193);
    b = Math.imul(b ^ 0x20, 0x01000193) ^ (b >>> 13);
  }
  return { fingerprint: (a >>> 11) * 0x1_0000_0000 + (b >>> 0), words: list.length };
}
