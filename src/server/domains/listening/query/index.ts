// The listening query language: parse a query (AST, required keys, explanation or a positioned error), tokenize
// posts, and match posts against every active query through an inverted index. docs/listening.md, "Query language".
export { analyzePost, compileQuery, evaluate, matchNaively, QueryMatcher, type AnalyzedPost, type PostToMatch } from "./match";
export { explain, parseQuery, showQuery, QUERY_FIELDS, QUERY_NETWORKS, type ParsedQuery, type ParseResult, type QueryNode } from "./parse";
export { queryInvalid, type QueryErrorCode, type QuerySyntaxError } from "./query.errors";
export { normalizeText } from "./normalize";
export { tokenize, words, type Tokens } from "./tokenize";
