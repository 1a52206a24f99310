import { createRequire } from "node:module";
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Services } from "../../../context";
import { listeningAlerts, listeningStreams, mentionMatches, mentions, streamMinuteCounts } from "../listening.schema";
import { normalizeTag, tokenize, words } from "../query/tokenize";
import { unsafeDeliverAlerts } from "./deliver-alerts";
import { raiseAlert } from "./raise-alert";
import { historyStart, judgeWindow, WINDOW_MINUTES, type Sensitivity, type SpikeVerdict } from "./spike-detection";

/** How far back a keyword alert looks for mentions not yet judged (the job runs every minute; this covers missed runs). */
const KEYWORD_LOOKBACK_MINUTES = 15;
/** How many 15-minute windows of volume the evidence shows before the alert. */
const VOLUME_WINDOWS = 8;

/**
 * Words too common to say anything about a spike, in every language the pipeline reads (the `stopword` package's
 * lists; it ships no types), plus a few social-media fillers those lists lack.
 */
const STOP_LISTS = createRequire(import.meta.url)("stopword") as Record<string, string[]>;
const STOP_WORDS = new Set(
  [...["eng", "deu", "ita", "nld", "fas", "fra", "spa", "por", "ara", "hin"].flatMap((language) => STOP_LISTS[language]), "it's", "i'm", "don't", "can't", "just", "below"].map(
    (word) => word.toLowerCase(),
  ),
);

export type JudgeResult = { judged: number; raised: number };

/**
 * Judges every active stream of every workspace (as the system, across workspaces: hence unsafe): a volume spike or a
 * turn to negative in the last window against the stream's hour-of-week baseline, and critical terms in mentions
 * stored since the last keyword alert of that term (at most `KEYWORD_LOOKBACK_MINUTES` back). Each stream is judged
 * in its own transaction; `raiseAlert` locks the stream and keeps the cooldown, so two workers judging at once raise
 * one alert. Due deliveries are sent afterwards. `streamIds` judges only those streams (the demo's seeded drill judges
 * its brand stream at a past moment, and must not judge other workspaces' streams then).
 */
export async function unsafeJudgeStreams(services: Services, options: { streamIds?: string[] } = {}): Promise<JudgeResult> {
  const db = services.database.db;
  const only = options.streamIds ? inArray(listeningStreams.id, options.streamIds.length ? options.streamIds : ["00000000-0000-0000-0000-000000000000"]) : undefined;
  const streams = await db.select().from(listeningStreams).where(and(isNull(listeningStreams.archivedAt), only)).orderBy(asc(listeningStreams.id));
  const result: JudgeResult = { judged: 0, raised: 0 };
  for (const stream of streams) {
    const judgeSpikes = stream.spikeSensitivity !== "off";
    if (!judgeSpikes && !stream.criticalTerms.length) continue;
    const ctx = unsafeSystemCtx(services, "listening.judge-streams", stream.workspaceId);
    try {
      result.raised += await inTransaction(ctx, async (tx) => {
        let raised = 0;
        const now = tx.now();
        if (judgeSpikes) {
          const counts = await tx.db
            .select({ minute: streamMinuteCounts.minute, total: streamMinuteCounts.total, negative: streamMinuteCounts.negative })
            .from(streamMinuteCounts)
            .where(and(eq(streamMinuteCounts.streamId, stream.id), gte(streamMinuteCounts.minute, historyStart(now)), lt(streamMinuteCounts.minute, now)));
          const verdict = judgeWindow(counts, now, stream.spikeSensitivity as Sensitivity);
          const kinds = [...(verdict.spike ? ["spike" as const] : []), ...(verdict.negativeTurn && stream.negativeAlerts ? ["negative_turn" as const] : [])];
          if (kinds.length) {
            const evidence = await spikeEvidence(tx.db, stream, verdict, counts);
            for (const kind of kinds) {
              const id = await raiseAlert(tx, {
                streamId: stream.id,
                facts: {
                  kind,
                  stream: stream.name,
                  evidence: {
                    window: { start: verdict.window.start.toISOString(), end: verdict.window.end.toISOString(), total: verdict.window.total, negative: verdict.window.negative },
                    baseline: { kind: verdict.baseline.kind, median: verdict.baseline.median, negativeShare: round(verdict.baseline.negativeShare) },
                    ratio: round(verdict.ratio),
                    negativeShare: round(verdict.negativeShare),
                    topTerms: evidence.topTerms,
                  },
                },
                evidence: { ...evidence.rest, score: round(verdict.score), sensitivity: stream.spikeSensitivity, baselineSamples: verdict.baseline.samples },
                windowStart: verdict.window.start,
                windowEnd: verdict.window.end,
              });
              if (id) raised++;
            }
          }
        }
        for (const term of stream.criticalTerms) {
          if (await judgeKeyword(tx, stream, term, now)) raised++;
        }
        return raised;
      });
      result.judged++;
    } catch (err) {
      services.log.error({ err, streamId: stream.id }, "judging a listening stream failed");
    }
  }
  if (result.raised) await unsafeDeliverAlerts(services);
  return result;
}

type Stream = typeof listeningStreams.$inferSelect;
type Tx = Parameters<Parameters<typeof inTransaction>[1]>[0];

/** A keyword alert for `term` when a mention stored since its last alert (and within the lookback) contains it. */
async function judgeKeyword(tx: Tx, stream: Stream, term: string, now: Date): Promise<boolean> {
  const matcher = termMatcher(term);
  if (!matcher) return false;
  const [last] = await tx.db
    .select({ windowEnd: listeningAlerts.windowEnd })
    .from(listeningAlerts)
    .where(and(eq(listeningAlerts.streamId, stream.id), eq(listeningAlerts.kind, "keyword"), sql`${listeningAlerts.evidence}->'facts'->'evidence'->>'term' = ${term}`))
    .orderBy(desc(listeningAlerts.raisedAt))
    .limit(1);
  const lookback = new Date(now.getTime() - KEYWORD_LOOKBACK_MINUTES * 60_000);
  const since = last && last.windowEnd > lookback ? last.windowEnd : lookback;
  const candidates = await tx.db
    .select({ id: mentions.id, text: mentions.text, author: mentions.authorHandle, storedAt: mentions.storedAt })
    .from(mentionMatches)
    .innerJoin(mentions, eq(mentions.id, mentionMatches.mentionId))
    .where(and(eq(mentionMatches.streamId, stream.id), gte(mentionMatches.postedAt, new Date(now.getTime() - 7 * 86_400_000)), gt(mentions.storedAt, since), lt(mentions.storedAt, now)))
    .orderBy(asc(mentions.storedAt), asc(mentions.id))
    .limit(500);
  const hits = candidates.filter((m) => matcher(m.text));
  if (!hits.length) return false;
  const first = hits[0];
  const id = await raiseAlert(tx, {
    streamId: stream.id,
    facts: { kind: "keyword", stream: stream.name, evidence: { term, author: first.author, excerpt: excerpt(first.text) } },
    evidence: { mentionIds: hits.slice(0, 20).map((h) => h.id), count: hits.length },
    windowStart: since,
    windowEnd: now,
    cooldownTerm: term,
  });
  return id !== null;
}

/**
 * A test for a critical term with the query module's normalisation (case, accents, Persian/Arabic letter variants,
 * ZWNJ) and its word boundaries: "refund" matches "REFUNDS"? No — whole words only; "Rückerstattung" matches
 * "ruckerstattung". A hashtag or handle matches itself; several words match as a phrase.
 */
export function termMatcher(term: string): ((text: string) => boolean) | null {
  const trimmed = term.trim();
  if (/^[#@]/.test(trimmed)) {
    const tag = trimmed[0] + normalizeTag(trimmed.slice(1));
    return (text) => tokenize(text).tokens.includes(tag);
  }
  const wanted = words(trimmed);
  if (!wanted.length) return null;
  return (text) => {
    const { tokens, positions } = tokenize(text);
    const at = new Map<number, Set<string>>();
    tokens.forEach((token, i) => {
      let set = at.get(positions[i]);
      if (!set) at.set(positions[i], (set = new Set()));
      set.add(token);
    });
    for (const [position, set] of at) {
      if (!set.has(wanted[0])) continue;
      if (wanted.every((w, k) => at.get(position + k)?.has(w))) return true;
    }
    return false;
  };
}

/** What the alert's page shows: top terms, top posts, splits, first posts, the volume before and during the spike. */
async function spikeEvidence(db: Tx["db"], stream: Stream, verdict: SpikeVerdict, counts: Array<{ minute: Date; total: number; negative: number }>) {
  const { start, end } = verdict.window;
  const rows = await db
    .select({
      id: mentions.id,
      text: mentions.text,
      author: mentions.authorHandle,
      network: mentions.network,
      url: mentions.url,
      lang: mentions.lang,
      sentiment: mentions.sentiment,
      fingerprint: mentions.fingerprint,
      postedAt: mentions.postedAt,
    })
    .from(mentionMatches)
    .innerJoin(mentions, eq(mentions.id, mentionMatches.mentionId))
    .where(and(eq(mentionMatches.streamId, stream.id), gte(mentionMatches.postedAt, start), lt(mentionMatches.postedAt, end)))
    .orderBy(asc(mentionMatches.postedAt), asc(mentions.id))
    .limit(5000);

  const queryWords = new Set(tokenize(stream.query).tokens);
  const termCounts = new Map<string, number>();
  for (const row of rows) {
    for (const token of new Set(tokenize(row.text).tokens)) {
      if (token.length < 3 || queryWords.has(token) || STOP_WORDS.has(token) || /^\d+$/.test(token) || token.startsWith("@")) continue;
      termCounts.set(token, (termCounts.get(token) ?? 0) + 1);
    }
  }
  const topTerms = [...termCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([term, count]) => ({ term, count }));

  // "Top" posts: the texts repeated most in the window (a copy-paste wave shows first), then the earliest.
  const groups = new Map<number, { count: number; row: (typeof rows)[number] }>();
  for (const row of rows) {
    const group = groups.get(row.fingerprint);
    if (group) group.count++;
    else groups.set(row.fingerprint, { count: 1, row });
  }
  const post = (row: (typeof rows)[number]) => ({ id: row.id, author: row.author, network: row.network, url: row.url, text: excerpt(row.text, 280), lang: row.lang, sentiment: row.sentiment, postedAt: row.postedAt.toISOString() });
  const topPosts = [...groups.values()].sort((a, b) => b.count - a.count).slice(0, 5).map((g) => ({ ...post(g.row), copies: g.count }));

  const sentiment = { negative: 0, neutral: 0, positive: 0 };
  const languages = new Map<string, number>();
  for (const row of rows) {
    sentiment[row.sentiment as keyof typeof sentiment]++;
    languages.set(row.lang, (languages.get(row.lang) ?? 0) + 1);
  }

  const byMinute = new Map(counts.map((c) => [Math.floor(c.minute.getTime() / 60_000), c.total]));
  const endMinute = Math.floor(end.getTime() / 60_000);
  const volume = [];
  for (let w = VOLUME_WINDOWS - 1; w >= 0; w--) {
    const windowEnd = endMinute - w * WINDOW_MINUTES;
    let total = 0;
    for (let m = windowEnd - WINDOW_MINUTES; m < windowEnd; m++) total += byMinute.get(m) ?? 0;
    volume.push({ start: new Date((windowEnd - WINDOW_MINUTES) * 60_000).toISOString(), total });
  }

  return {
    topTerms,
    rest: {
      topPosts,
      firstPosts: rows.slice(0, 5).map(post),
      sentiment,
      languages: [...languages].sort((a, b) => b[1] - a[1]).map(([lang, count]) => ({ lang, count })),
      volume,
      storedInWindow: rows.length,
    },
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const excerpt = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

