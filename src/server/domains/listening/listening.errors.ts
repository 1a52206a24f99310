import { AppError } from "../../errors";
import type { QuerySyntaxError } from "./query";

export const streamNotFound = () => new AppError("stream_not_found", 404, "This stream does not exist or was archived");
export const mentionNotFound = () => new AppError("mention_not_found", 404, "This mention does not exist");
export const streamVersionConflict = (current: number) =>
  new AppError("stream_version_conflict", 409, "Someone changed this stream since you opened it: reload it and make your change again", undefined, { currentVersion: current });
export const streamOrderMismatch = () =>
  new AppError("stream_order_mismatch", 409, "The streams changed while you were moving them: reload the board and try again");
/**
 * A query that does not parse: 400 `query_invalid`, every error with its own code, message and span [start, end)
 * in `errors`, so an editor can underline each one.
 */
export const queryInvalidWithSpans = (errors: QuerySyntaxError[]) =>
  new AppError("query_invalid", 400, errors.map((e) => e.message).join("; ") || "The query is not valid", { query: errors.map((e) => e.message) }, {
    errors: errors.map(({ code, message, start, end }) => ({ code, message, start, end })),
  });
