import { AppError } from "../../../errors";

/** Stable codes of query syntax errors; docs/listening.md lists them with examples. */
export type QueryErrorCode =
  | "query_empty"
  | "query_too_long"
  | "query_too_deep"
  | "query_unbalanced_parenthesis"
  | "query_empty_group"
  | "query_unterminated_phrase"
  | "query_empty_phrase"
  | "query_missing_operand"
  | "query_unknown_field"
  | "query_invalid_field_value"
  | "query_near_invalid"
  | "query_near_operand"
  | "query_invalid_wildcard"
  | "query_prefix_too_short"
  | "query_term_not_searchable"
  | "query_only_negative"
  | "query_needs_term";

/** A query syntax error: its code, a message, and the span [start, end) of the query text to underline. */
export type QuerySyntaxError = { code: QueryErrorCode; message: string; start: number; end: number };

/** The syntax error as an API error (400), with the span in `extra` so an editor can underline it. */
export const queryInvalid = (error: QuerySyntaxError) =>
  new AppError(error.code, 400, error.message, { query: [error.message] }, { start: error.start, end: error.end });
