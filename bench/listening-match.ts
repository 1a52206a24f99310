// Matching posts against 10,000 saved listening queries on one core: the indexed matcher (presearcher + exact
// verification) as a ratio to a loop over every query and to bare tokenising, all measured in the same run.
// Rates are per second of this process's CPU time (the machine may be shared); wall-clock rates are in `wall_posts_per_s`.
// Run: npm run bench:listening-match [-- posts queries]   (defaults: 100000 posts, 10000 queries)
import { generateCorpus, generateQueries, postToMatch, type JetstreamPost } from "./lib/listening-corpus";
import { analyzePost, matchNaively, parseQuery, QueryMatcher, type ParsedQuery } from "../src/server/domains/listening/query";

const POSTS = Number(process.argv[2] ?? 100_000);
const QUERIES = Number(process.argv[3] ?? 10_000);
const NAIVE_POSTS = Math.min(1_000, POSTS);
const SEGMENTER_POSTS = Math.min(20_000, POSTS);

const corpus = generateCorpus(POSTS);
const lines = corpus.posts.map((p) => JSON.stringify(p));
const bytes = lines.reduce((n, l) => n + l.length, 0);
const queryTexts = generateQueries(QUERIES, { brands: corpus.brands });

/**
 * Runs fn over items once to warm up on a slice, then times a full pass; returns items per second of this process's
 * CPU time (user + system), so that other work on a shared machine does not count; wall-clock rates go to `wall`.
 */
const wall: Record<string, number> = {};
function rate<T>(name: string, items: T[], fn: (item: T) => void): number {
  for (let i = 0; i < Math.min(2_000, items.length); i++) fn(items[i]);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < items.length; i++) fn(items[i]);
  const used = process.cpuUsage(cpu);
  wall[name] = Math.round((items.length / (performance.now() - started)) * 1000);
  return (items.length / ((used.user + used.system) / 1000)) * 1000;
}

// 1. Bare JSON parse of the Jetstream lines, and parse + tokenize (normalise, split, index positions).
let sink = 0;
const parsePerS = rate("parse", lines, (l) => (sink += (JSON.parse(l) as JetstreamPost).commit.record.text.length));
const posts = lines.map((l) => postToMatch(corpus, JSON.parse(l) as JetstreamPost));
const tokenizePerS = rate("tokenize", posts, (p) => (sink += analyzePost(p).positions.size));
const segmenter = new Intl.Segmenter(undefined, { granularity: "word" });
const segmenterPerS = rate("segmenter", posts.slice(0, SEGMENTER_POSTS), (p) => {
  for (const s of segmenter.segment(p.text.normalize("NFKC").toLowerCase())) if (s.isWordLike) sink++;
});

// 2. Compile every query once into the matcher (keys learned from a sample of 2,000 posts).
const compileStart = performance.now();
const parsed: Array<[string, ParsedQuery]> = [];
for (const [i, text] of queryTexts.entries()) {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`generated query ${JSON.stringify(text)} is invalid: ${result.error.code}`);
  parsed.push([`q${i}`, result.query]);
}
const parseQueriesMs = performance.now() - compileStart;
const matcher = new QueryMatcher();
for (const p of posts.slice(0, 2_000)) matcher.observe(p);
for (const [id, q] of parsed) matcher.add(id, q);
const compileMs = performance.now() - compileStart;
const plain = new QueryMatcher(); // without learned word frequencies: keys chosen by length
for (const [id, q] of parsed) plain.add(id, q);

// Adding and removing one query while 10,000 are active.
const churnStart = performance.now();
for (let i = 0; i < 1_000; i++) {
  matcher.add("churn", parsed[i][1]);
  matcher.remove("churn");
}
const addRemoveUs = ((performance.now() - churnStart) / 1_000) * 1000;

// 3. Matching from text: tokenize + presearch + verify, with and without learned keys.
let matched = 0;
const matchPerS = rate("match", posts, (p) => (matched += matcher.match(p).length));
const matchesPerPost = matched / (posts.length + Math.min(2_000, posts.length));
const plainPerS = rate("match_without_learned_keys", posts, (p) => (sink += plain.match(p).length));

// 4. The loop over every query, on a slice (it is slow), and a check that both give the same answers.
const naiveSlice = posts.slice(0, NAIVE_POSTS);
const naivePerS = rate("naive", naiveSlice, (p) => (sink += matchNaively(parsed, p).length));
let mismatches = 0;
for (const p of naiveSlice) {
  const a = analyzePost(p);
  if (matcher.match(a).sort().join() !== matchNaively(parsed, a).sort().join()) mismatches++;
}

const round = (x: number) => Math.round(x);
const result = {
  posts: POSTS,
  queries: QUERIES,
  corpus_mb: Number((bytes / 1e6).toFixed(1)),
  parse_posts_per_s: round(parsePerS),
  tokenize_posts_per_s: round(tokenizePerS),
  segmenter_posts_per_s: round(segmenterPerS),
  match_posts_per_s: round(matchPerS),
  match_without_learned_keys_posts_per_s: round(plainPerS),
  naive_posts_per_s: round(naivePerS),
  ratio_to_naive: Number((matchPerS / naivePerS).toFixed(1)),
  ratio_to_tokenize: Number((matchPerS / tokenizePerS).toFixed(3)),
  matches_per_post: Number(matchesPerPost.toFixed(2)),
  compile_queries_ms: round(compileMs),
  parse_queries_ms: round(parseQueriesMs),
  add_remove_query_us: Number(addRemoveUs.toFixed(1)),
  mismatches_vs_naive: mismatches,
  wall_posts_per_s: wall,
};
console.log(`listening match: ${POSTS} Jetstream-shaped posts (${result.corpus_mb} MB, 10 languages), ${QUERIES} queries, one core (rates per CPU second)`);
console.log(`  JSON.parse ${result.parse_posts_per_s}/s; tokenize ${result.tokenize_posts_per_s}/s (Intl.Segmenter: ${result.segmenter_posts_per_s}/s)`);
console.log(`  indexed matcher ${result.match_posts_per_s}/s (${result.ratio_to_tokenize} of tokenizing; keys by length only: ${result.match_without_learned_keys_posts_per_s}/s)`);
console.log(`  loop over every query ${result.naive_posts_per_s}/s: the matcher is ${result.ratio_to_naive}× faster; ${mismatches} differing answers on ${NAIVE_POSTS} posts`);
console.log(`  ${result.matches_per_post} matches per post; compiling ${QUERIES} queries ${result.compile_queries_ms} ms; add + remove one query ${result.add_remove_query_us} µs`);
console.log(JSON.stringify(result));
if (sink < 0) console.log(sink);
if (mismatches > 0) process.exitCode = 1;
