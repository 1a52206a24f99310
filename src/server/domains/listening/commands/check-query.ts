import { queryInvalidWithSpans } from "../listening.errors";
import { parseQuery } from "../query";

/** The query as it will be stored (trimmed), or 400 `query_invalid` with every syntax error's code, message and span. */
export function checkQuery(text: string): string {
  // Spans refer to the text as typed, so the editor can underline them: parse it untrimmed.
  const result = parseQuery(text);
  if (!result.ok) throw queryInvalidWithSpans([result.error]);
  return text.trim();
}
